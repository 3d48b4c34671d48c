/**
 * Container apps planned whole, under the same mocks the plan command uses: the resources `pulumi up` would create
 * for a container with sidecars, devices and GPUs, its secrets kept secret, and the policy pack's verdict on them.
 */
import { runProgram, ofType, type ProgramRun, type RecordedResource } from "../stacks/plan/harness";
import { evaluatePolicies, policyConfigFromEstate } from "../stacks/plan/policy";
import { loadEstate } from "../stacks/estate/load";
import { hybridlab } from "../stacks/program";
import { containerEstate } from "./fixtures/containers";
import { asConfig, withValue, type Json } from "./fixtures/estate";

const CONTAINER = "docker:index/container:Container";
const SECRET_KEYS = ["hybridlab:appSecrets"];

const plan = (raw: Json): Promise<ProgramRun> => runProgram(hybridlab, { stack: "dev", config: asConfig(raw), secretKeys: SECRET_KEYS });

describe("a planned estate with container apps", () => {
  let run: ProgramRun;
  const byName = (name: string): RecordedResource => {
    // A ContainerService component and its container share a name: the resource is the custom one.
    const found = run.resources.find((r) => r.custom && r.name === name);
    if (!found) throw new Error(`no resource ${name}`);
    return found;
  };
  const labels = (r: RecordedResource): Record<string, string> => Object.fromEntries((r.inputs.labels as Array<{ label: string; value: string }>).map((l) => [l.label, l.value]));

  beforeAll(async () => {
    run = await plan(containerEstate());
  });

  it("creates each container app's containers, images, volumes and generated passwords, and nothing it did not ask for", () => {
    const ours = (app: string) =>
      run.resources
        .filter((r) => r.custom && r.name.startsWith(`${app}-`))
        .map((r) => `${r.type.split(":")[1].split("/")[0]}:${r.name}`)
        .sort();
    expect(ours("nextcloud")).toEqual([
      "index:nextcloud-app",
      "index:nextcloud-app-html",
      "index:nextcloud-app-image",
      "index:nextcloud-db",
      "index:nextcloud-db-db",
      "index:nextcloud-db-exporter",
      "index:nextcloud-db-exporter-image",
      "index:nextcloud-db-image",
      "index:nextcloud-db-password",
      "index:nextcloud-env-nextcloud-admin-password",
      "index:nextcloud-redis",
      "index:nextcloud-redis-image",
      "index:nextcloud-redis-password",
      "index:nextcloud-redis-redis",
    ]);
    expect(ours("ollama")).toEqual(["index:ollama-app", "index:ollama-app-image", "index:ollama-app-models"]);
    expect(byName("gis-db-image").inputs.name).toBe("postgis/postgis:18-3.6");
    expect(byName("nextcloud-env-nextcloud-admin-password").type).toBe("random:index/randomPassword:RandomPassword");
  });

  it("publishes the public container's DNS records and reports where each port is reached (a LAN port at the LAN address)", () => {
    const records = ofType(run, "cloudflare:index/dnsRecord:DnsRecord").map((r) => r.name);
    expect(records.filter((n) => n.startsWith("dns-cloud"))).toEqual(["dns-cloud-a", "dns-cloud-aaaa"]);
    expect(records.some((n) => /jellyfin|ollama|gis/.test(n))).toBe(false);
    const apps = run.outputs.apps as Record<string, { endpoints: Record<string, string>; url?: string }>;
    expect(apps.jellyfin.endpoints).toEqual({ http: "devlab:8096", discovery: "192.168.1.100:7359" });
    expect(apps.nextcloud).toMatchObject({ endpoints: { http: "devlab:8081" }, url: "https://cloud.dev.example.com" });
  });

  it("passes devices, user and the LAN-bound UDP port to Jellyfin, and GPUs to Ollama", () => {
    const jellyfin = byName("jellyfin-app").inputs;
    expect(jellyfin.devices).toEqual([{ containerPath: "/dev/dri", hostPath: "/dev/dri" }]);
    expect(jellyfin.user).toBe("1000:1000");
    expect(jellyfin.ports).toEqual([
      { external: 8096, internal: 8096 },
      { external: 7359, internal: 7359, ip: "192.168.1.100", protocol: "udp" },
    ]);
    expect(jellyfin.memory).toBe(2048);
    expect(byName("ollama-app").inputs.gpus).toBe("all");
    expect(byName("nextcloud-app").inputs.gpus).toBeUndefined();
  });

  it("keeps every secret value secret: generated, sidecar and config-read ones alike", () => {
    const envs = byName("nextcloud-app").inputs.envs as string[];
    expect(envs.filter((e) => e !== "[secret]").sort()).toEqual([
      "NEXTCLOUD_ADMIN_USER=admin",
      "PGDATABASE=nextcloud",
      "PGHOST=nextcloud-db",
      "PGPORT=5432",
      "PGUSER=nextcloud",
      "POSTGRES_DB=nextcloud",
      "POSTGRES_HOST=nextcloud-db",
      "POSTGRES_USER=nextcloud",
      "REDIS_HOST=nextcloud-redis",
      "REDIS_PORT=6379",
    ]);
    expect(envs.filter((e) => e === "[secret]")).toHaveLength(8);
    expect(labels(byName("nextcloud-app"))["hybridlab.secret-env"]).toBe(
      "DATABASE_URL,NEXTCLOUD_ADMIN_PASSWORD,PGPASSWORD,POSTGRES_PASSWORD,REDIS_HOST_PASSWORD,REDIS_PASSWORD,REDIS_URL,SMTP_PASSWORD",
    );
    expect(JSON.stringify(run.resources)).not.toContain("smtp-password-value");
    expect(byName("nextcloud-redis").inputs.uploads).toEqual([{ content: "[secret]", file: "/usr/local/etc/redis/redis.conf" }]);
  });

  it("relies on the image's own healthcheck only when told, and labels it so", () => {
    const gis = byName("gis-app");
    expect(gis.inputs.healthcheck).toBeUndefined();
    expect(labels(gis)["hybridlab.healthcheck"]).toBe("image");
    expect(labels(byName("ollama-app"))["hybridlab.healthcheck"]).toBeUndefined();
    expect(byName("ollama-app").inputs.healthcheck).toMatchObject({ tests: ["CMD", "ollama", "list"] });
  });

  it("starts the app after its sidecars and after the apps it depends on", () => {
    const gis = byName("gis-app");
    expect(gis.dependsOn).toEqual(expect.arrayContaining([byName("gis-db").urn, byName("minio-server").urn, byName("minio-buckets").urn]));
    // The sidecar itself waits for neither.
    expect(byName("gis-db").dependsOn).not.toContain(byName("minio-server").urn);
  });

  it("passes the policy pack: nothing mandatory, and no advisory about a healthcheck it has", () => {
    const estate = loadEstate(asConfig(containerEstate()));
    const report = evaluatePolicies(run.resources, { stack: "dev", config: policyConfigFromEstate(estate, "dev") });
    const containers = new Set(ofType(run, CONTAINER).map((c) => c.urn));
    expect(report.violations.filter((v) => v.urn !== undefined && containers.has(v.urn))).toEqual([]);
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("is refused by the policy pack when a route would publish a container without a login", () => {
    // What the estate rules refuse up front, the pack refuses too for any program: the route reaches a login-less container.
    const tampered = run.resources.map((r) =>
      r.type === CONTAINER && r.name === "nextcloud-app" ? { ...r, inputs: { ...r.inputs, labels: [...(r.inputs.labels as object[]), { label: "hybridlab.login", value: "none" }, { label: "hybridlab.node", value: "devlab" }] } } : r,
    );
    const report = evaluatePolicies(tampered, { stack: "dev" });
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message)).toEqual([expect.stringContaining("cloud.dev.example.com")]);
  });
});

describe("a container app that sets a plain-text secret", () => {
  it("is planned with the policy pack's mandatory violation naming the variable", async () => {
    const run = await plan(withValue(containerEstate(), "apps.ollama.env", { OLLAMA_API_KEY: "hunter2" }));
    const report = evaluatePolicies(run.resources, { stack: "dev" });
    expect(report.violations.filter((v) => v.policy === "container-no-plaintext-secret-env").map((v) => v.message)).toEqual([
      'container "app" sets OLLAMA_API_KEY as plain text: pass the value with pulumi.secret (or a *_FILE path to a mounted secret)',
    ]);
  });
});

describe("a container app in prod", () => {
  it("keeps its volumes and its sidecars' on delete and protects them, as the catalog apps' are", async () => {
    const run = await runProgram(hybridlab, { stack: "prod", config: asConfig(withValue(containerEstate(), "environment", "prod")), secretKeys: SECRET_KEYS });
    const volumes = ofType(run, "docker:index/volume:Volume").filter((v) => v.name.startsWith("nextcloud-"));
    expect(volumes.map((v) => [v.name, v.protect, v.retainOnDelete]).sort()).toEqual([
      ["nextcloud-app-html", true, true],
      ["nextcloud-db-db", true, true],
      ["nextcloud-redis-redis", true, true],
    ]);
  });
});
