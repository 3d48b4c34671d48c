/** Estate rules: identity across the estate and provider facts, each refused with its config path. */
import { proxmoxApi, sshKeyBody } from "../stacks/estate/rules/identity";
import { bucketNameProblem } from "../stacks/estate/rules/apps";
import { OPERATOR_KEY, problemsOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

/** The fixture's Proxmox site under another name, reached at `endpoint`. */
function withSecondSite(endpoint: string): Json {
  const estate = validEstate();
  const home = (estate.proxmox as Record<string, Json>).home;
  return withValues(estate, [
    ["proxmox.lab", { ...home, endpoint }],
    ["nodes.devlab2", { kind: "proxmox-vm", role: "lab", site: "lab", vmid: 100, cores: 1, memoryMiB: 2048, diskGiB: 10, networks: [{ bridge: "vmbr0", address: "dhcp" }] }],
  ]);
}

describe("identity across the estate", () => {
  test.each(["https://192.168.1.10:8006/", "HTTPS://192.168.1.10:8006", "https://192.168.1.10:8006//"])("two sites at %s share the VMID space of https://192.168.1.10:8006/", (endpoint) => {
    expect(problemsOf(withSecondSite(endpoint))).toEqual([
      'hybridlab:nodes.devlab2.vmid: 100 is already used by nodes.devlab on site "home", which reaches the same Proxmox API as site "lab" (https://192.168.1.10:8006); VMIDs must be unique per Proxmox cluster',
    ]);
  });

  test("sites on different hosts or ports keep their own VMIDs", () => {
    expect(problemsOf(withSecondSite("https://192.168.1.11:8006/"))).toEqual([]);
    expect(problemsOf(withSecondSite("https://192.168.1.10/"))).toEqual([]);
  });

  test("proxmoxApi normalises case, the default port and trailing slashes", () => {
    expect(proxmoxApi("https://PVE.Lan/")).toBe("https://pve.lan:443");
    expect(proxmoxApi("https://pve.lan:443")).toBe("https://pve.lan:443");
    expect(proxmoxApi("https://pve.lan:8006/api2/json/")).toBe("https://pve.lan:8006/api2/json");
  });

  test("fails when two operators list the same key under different comments", () => {
    const twin = `${sshKeyBody(OPERATOR_KEY)} laptop@home`;
    expect(problemsOf(withValue(validEstate(), "operators.1", { name: "alice", sshPublicKey: twin }))).toEqual([
      "hybridlab:operators[1].sshPublicKey: the same key as operators[0] (ops), whatever its comment; each operator logs in with their own key",
    ]);
  });

  test("fails when an app's composed container name is another app's", () => {
    const estate = withValues(validEstate(), [
      ["apps.etl", { kind: "airflow", node: "devlab", ports: { http: 8090 } }],
      ["apps.etl-api", { kind: "minio", node: "spoke" }],
    ]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.etl-api: apps.etl-api (component server) and apps.etl (component api-server) both become the container "etl-api-server"; rename one',
    ]);
  });

  test("fails when two apps on one host compose the same Docker volume name", () => {
    const estate = withValues(validEstate(), [
      ["apps.monitoring", { kind: "monitoring", node: "hub", hostname: "grafana" }],
      ["apps.monitoring-prometheus", { kind: "minio", node: "hub" }],
    ]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.monitoring-prometheus: apps.monitoring-prometheus (volume data) and apps.monitoring (volume prometheus-data) both become the Docker volume "monitoring-prometheus-data"; rename one',
    ]);
  });

  test("fails when two apps compose the same generated secret name", () => {
    const estate = withValue(validEstate(), "apps.monitoring-grafana", { kind: "moodle", node: "spoke", adminEmail: "ops@example.com" });
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.monitoring-grafana: apps.monitoring-grafana (secret admin-password) and apps.monitoring (secret grafana-admin-password) both become the generated secret "monitoring-grafana-admin-password"; rename one',
    ]);
  });

  test("fails when an app's volume takes the name of the host agents' volume", () => {
    expect(problemsOf(withValue(validEstate(), "apps.agents-alloy", { kind: "minio", node: "spoke" }))).toEqual([
      'hybridlab:apps.agents-alloy: apps.agents-alloy (volume data) and the host agents\' volume alloy-data both become the Docker volume "agents-alloy-data"; rename one',
    ]);
  });

  test("the same app names on different hosts keep their own volumes", () => {
    const estate = withValues(validEstate(), [["apps.monitoring-prometheus", { kind: "minio", node: "spoke" }]]);
    expect(problemsOf(estate)).toEqual([]);
  });

  test("fails when an app takes the host agents' name", () => {
    expect(problemsOf(withValue(validEstate(), "apps.agents", { kind: "minio", node: "spoke" }))).toEqual([
      'hybridlab:apps.agents: "agents" names the host agents every app host runs (containers agents-<agent>); choose another app name',
    ]);
  });

  test("fails when a literal hostname takes the DNS record key of the apex", () => {
    const estate = withValues(validEstate(), [
      ["apps.moodle.hostname", "@"],
      ["apps.monitoring.hostname", "apex"],
    ]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.moodle.hostname: dev.example.com (apps.moodle) and apex.dev.example.com (apps.monitoring) would share the DNS record key "apex-a" (the apex "@" is keyed apex); choose another hostname',
    ]);
  });

  test.each([
    ["prod", "dev", 'hybridlab:environment: the stack "prod" is a prod stack, but environment is dev; set hybridlab:environment: prod'],
    ["eu-production", "dev", 'hybridlab:environment: the stack "eu-production" is a prod stack, but environment is dev; set hybridlab:environment: prod'],
    ["dev", "prod", 'hybridlab:environment: the stack "dev" is a dev stack, but environment is prod; set hybridlab:environment: dev'],
  ])("fails when the stack %s has environment %s", (stack, environment, expected) => {
    expect(problemsOf(withValue(validEstate(), "environment", environment), stack)).toContain(expected);
  });

  test.each([["prod-eu", "prod"], ["staging", "dev"], ["staging", "prod"], ["product", "dev"], ["dev", "dev"]])("accepts the stack %s with environment %s", (stack, environment) => {
    expect(problemsOf(withValue(validEstate(), "environment", environment), stack).filter((p) => p.startsWith("hybridlab:environment"))).toEqual([]);
  });
});

describe("provider facts", () => {
  test("fails when a size is not sold in its region, naming what is", () => {
    expect(problemsOf(withValue(validEstate(), "nodes.hub.region", "sin"))).toEqual([
      "hybridlab:nodes.hub.region: hetzner size cx33 (class medium) is not sold in sin; it is sold in fsn1, nbg1, hel1; choose a size sold there (cpx12, cpx22, cpx32, cpx42), or another region",
    ]);
    expect(problemsOf(withValue(validEstate(), "nodes.hub.region", "ash"))).toEqual([
      "hybridlab:nodes.hub.region: hetzner size cx33 (class medium) is not sold in ash; it is sold in fsn1, nbg1, hel1; no size in the catalog is sold there, or another region",
    ]);
  });

  test("accepts a size in a region that sells it", () => {
    expect(problemsOf(withValues(validEstate(), [["nodes.hub.region", "sin"], ["nodes.hub.size", "cpx22"]]))).toEqual([]);
  });

  test("fails when the first operator, Azure's admin, has a name Azure refuses", () => {
    const estate = withValues(validEstate(), [["operators.0.name", "admin"], ["nodes.spoke.kind", "azure"], ["nodes.spoke.size", "small"]]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:operators[0].name: "admin" is a user name Azure refuses for a VM\'s admin (the first operator is the admin of nodes.spoke); list another operator first or rename this one',
    ]);
    expect(problemsOf(withValue(validEstate(), "operators.0.name", "admin"))).toEqual([]);
  });

  test.each([
    ["/data,backup=0", 'hybridlab:nodes.minio.mounts[0].path: "/data,backup=0" must be an absolute path of letters, digits, \'.\', \'_\' and \'-\' segments such as /srv/data (Proxmox would read \',\' or \'=\' as options)'],
    ["/srv/../etc", 'hybridlab:nodes.minio.mounts[0].path: "/srv/../etc" must be an absolute path of letters, digits, \'.\', \'_\' and \'-\' segments such as /srv/data (Proxmox would read \',\' or \'=\' as options)'],
    ["/", 'hybridlab:nodes.minio.mounts[0].path: "/" must be an absolute path of letters, digits, \'.\', \'_\' and \'-\' segments such as /srv/data (Proxmox would read \',\' or \'=\' as options)'],
    ["/proc/data", "hybridlab:nodes.minio.mounts[0].path: /proc/data is inside /proc, which the container's system needs; mount data under /srv, /var/lib or /opt"],
  ])("fails an LXC mount at %s", (path, expected) => {
    expect(problemsOf(withValue(validEstate(), "nodes.minio.mounts", [{ path, sizeGiB: 1 }]))).toEqual([expected]);
  });

  test("fails a mount path listed twice and accepts data paths", () => {
    const mounts = [{ path: "/srv/data", sizeGiB: 1 }, { path: "/var/lib/minio_2.x", sizeGiB: 1 }, { path: "/srv/data", sizeGiB: 1 }];
    expect(problemsOf(withValue(validEstate(), "nodes.minio.mounts", mounts))).toEqual(["hybridlab:nodes.minio.mounts[2].path: /srv/data is already mounted by mounts[0]"]);
  });

  test("fails an app that publishes the host's SSH port", () => {
    expect(problemsOf(withValue(validEstate(), "apps.minio.ports", { console: 22 }))).toEqual([
      "hybridlab:apps.minio.ports.console: host port 22 on node minio is already claimed by sshd, which operators and the remote commands log in through; set apps.minio.ports.console to a free port",
    ]);
  });

  test.each([
    ["ab", "must be 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"],
    ["backups-", "must be 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"],
    ["a".repeat(64), "must be 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"],
    ["my..bucket", "must not contain '..', '.-' or '-.'"],
    ["my.-bucket", "must not contain '..', '.-' or '-.'"],
    ["192.168.1.10", "must not be an IP address"],
    ["xn--bucket", 'must not start with "xn--" (reserved)'],
    ["data-s3alias", 'must not end with "-s3alias" (reserved)'],
  ])("bucket %s %s", (name, problem) => {
    expect(bucketNameProblem(name)).toBe(problem);
  });

  test.each(["backups", "ml.artifacts", "a1b", "a".repeat(63)])("bucket %s is valid", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  test("fails bad and repeated buckets at their paths", () => {
    const estate = withValues(validEstate(), [
      ["apps.minio.buckets", ["backups", "xn--x", "backups"]],
      ["apps.mlflow", { kind: "mlflow", node: "spoke", artifactStore: "minio", artifactBucket: "ml..runs" }],
    ]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.minio.buckets[1]: bucket "xn--x" must not start with "xn--" (reserved)',
      'hybridlab:apps.minio.buckets[2]: bucket "backups" is listed twice',
      "hybridlab:apps.mlflow.artifactBucket: bucket \"ml..runs\" must not contain '..', '.-' or '-.'",
    ]);
  });

  test("fails a tailnet name with a space", () => {
    expect(problemsOf(withValue(validEstate(), "tailnet.name", "my tailnet"))).toEqual([
      "hybridlab:tailnet.name: must be the tailnet's name as the admin console shows it (such as example.com or tail1234.ts.net), without spaces, quotes or control characters",
    ]);
  });
});
