/**
 * The seeds' topologies, planned end to end under the mocks: a hub that is a Proxmox guest behind its host's public
 * address (S0), one VPS with everything and no tailnet (S4), a Proxmox-only LAN without tailnet, DNS or budget
 * (S3); with the refusals that keep what cannot work out of a plan.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs, plan, render, type Plan } from "../stacks/plan/cli";
import type { PlanResource } from "../stacks/plan/document";
import { runProgram } from "../stacks/plan/harness";
import { evaluatePolicies } from "../stacks/plan/policy";
import { hybridlab } from "../stacks/program";
import { checkStackConfig } from "../stacks/estate/load";
import { asConfig, asStackFile, DEPLOY_KEY, OPERATOR_KEY, problemsOf, validEstate, withValues, type Json } from "./fixtures/estate";
import { caddyProblems } from "./support/batchValidators";
import { dockerSshOpts, remoteConnection, type DockerHostArgs } from "../components/docker/DockerHost";

const root = path.resolve(__dirname, "..");
const HOST_IP = "136.243.155.166";

/** Plans `estate` (plus provider config such as secure credentials) as `npm run plan -- --config <file>` does. */
async function planned(stack: string, estate: Json, extra: Json = {}): Promise<Plan> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hybridlab-topology-")), `Pulumi.${stack}.yaml`);
  writeFileSync(file, asStackFile(estate, extra));
  return plan(parseArgs(["--config", file, "--format", "json"]), root);
}

const ofType = (result: Plan, type: string): PlanResource[] => result.document.resources.filter((r) => r.type === type);
const artifact = (result: Plan, file: string): string => {
  const found = result.artifacts.find((a) => a.path === file);
  if (!found) throw new Error(`no artifact ${file}; have ${result.artifacts.map((a) => a.path).join(", ")}`);
  return found.content;
};
/** Everything a plan says, as text: resources, outputs and generated files. */
const everything = (result: Plan): string => `${render(result.document, "json")}\n${result.artifacts.map((a) => a.content).join("\n")}`;

const common = (environment: "dev" | "prod"): Json => ({
  environment,
  operators: [{ name: "ops", sshPublicKey: OPERATOR_KEY }],
  access: { deployKey: DEPLOY_KEY },
});

/** S0: a Proxmox server at a hoster, its public address on vmbr0, guests on the private vmbr1; the proxy in a guest. */
function proxmoxHub(): Json {
  return {
    ...common("prod"),
    dns: { zone: "example.com" },
    proxmox: {
      hetzner: {
        endpoint: `https://${HOST_IP}:8006/`,
        node: "pve",
        credential: "proxmoxve:hetznerPassword",
        rootAuth: true,
        insecure: true,
        ssh: { username: "root", port: 2222, jump: true },
        datastores: { local: { content: ["iso", "vztmpl", "snippets", "backup"] }, "local-lvm": { content: ["images", "rootdir"] } },
        bridges: { vmbr1: { cidr: "10.0.0.0/24", gateway: "10.0.0.1", nameservers: ["1.1.1.1"] } },
        capacity: { cores: 16, memoryMiB: 65536, diskGiB: 1000 },
      },
    },
    nodes: {
      edge: { kind: "proxmox-lxc", role: "hub", site: "hetzner", vmid: 150, cores: 1, memoryMiB: 2048, diskGiB: 8, networks: [{ bridge: "vmbr1", address: "10.0.0.150/24" }], publicAddress: { ipv4: HOST_IP } },
      learning: { kind: "proxmox-vm", role: "lab", site: "hetzner", vmid: 9001, cores: 4, memoryMiB: 8192, diskGiB: 60, networks: [{ bridge: "vmbr1", address: "10.0.0.104/24" }] },
    },
    apps: {
      proxy: { kind: "reverse-proxy", node: "edge", acmeEmail: "ops@example.com" },
      moodle: { kind: "moodle", node: "learning", hostname: "learn", adminEmail: "ops@example.com" },
      monitoring: { kind: "monitoring", node: "learning", hostname: "grafana", ports: { grafana: 3000 } },
    },
  };
}

const hetznerPassword = { "proxmoxve:hetznerPassword": { secure: "v1:hetzner-password" } };

/** S4: one VPS runs the proxy, the apps and the monitoring; no tailnet. */
function singleVps(): Json {
  return {
    ...common("prod"),
    budget: { monthly: 20 },
    access: { deployKey: DEPLOY_KEY, adminCidrs: ["198.51.100.0/24"] },
    dns: { zone: "example.com" },
    nodes: { vps: { kind: "hetzner", role: "hub", size: "large", region: "fsn1" } },
    apps: {
      proxy: { kind: "reverse-proxy", node: "vps", acmeEmail: "ops@example.com" },
      airflow: { kind: "airflow", node: "vps", hostname: "airflow" },
      monitoring: { kind: "monitoring", node: "vps", hostname: "grafana" },
    },
  };
}

/** S3: a Proxmox homelab on a LAN, a MinIO LXC and a Spark VM; no tailnet, no DNS, no budget. */
function lanOnly(): Json {
  return {
    ...common("dev"),
    proxmox: {
      home: {
        endpoint: "https://192.168.1.10:8006/",
        node: "pve",
        credential: "proxmoxve:homePassword",
        rootAuth: true,
        ssh: { username: "root" },
        datastores: { local: { content: ["iso", "vztmpl", "snippets", "backup"] }, "local-lvm": { content: ["images", "rootdir"] } },
        bridges: { vmbr0: { cidr: "192.168.1.0/24", gateway: "192.168.1.1", nameservers: ["8.8.8.8"] } },
        capacity: { cores: 8, memoryMiB: 16384, diskGiB: 200 },
      },
    },
    nodes: {
      devlab: { kind: "proxmox-vm", role: "lab", site: "home", vmid: 100, cores: 4, memoryMiB: 12288, diskGiB: 40, networks: [{ bridge: "vmbr0", address: "192.168.1.100/24" }] },
      minio: { kind: "proxmox-lxc", role: "lab", site: "home", vmid: 200, cores: 1, memoryMiB: 2560, diskGiB: 20, networks: [{ bridge: "vmbr0", address: "192.168.1.200/24" }] },
    },
    apps: {
      minio: { kind: "minio", node: "minio", buckets: ["spark-data"] },
      spark: { kind: "spark", node: "devlab" },
      monitoring: { kind: "monitoring", node: "devlab", ports: { grafana: 3000 } },
    },
  };
}

describe("a hub that is a Proxmox guest behind its host's public address (S0)", () => {
  let result: Plan;
  beforeAll(async () => {
    result = await planned("s0", proxmoxHub(), hetznerPassword);
  });

  it("plans with no policy violation and no cost", () => {
    expect(result.document.policy).toEqual({ violations: [], mandatory: 0, advisory: 0 });
    expect(result.document.cost).toMatchObject({ total: 0, withinBudget: true });
    expect(result.document.cost.budget).toBeUndefined();
  });

  it("points every public hostname's A record at the stated address", () => {
    const records = ofType(result, "cloudflare:index/dnsRecord:DnsRecord").map((r) => [r.inputs.name, r.inputs.type, r.inputs.content]);
    expect(records).toEqual([
      ["grafana.example.com", "A", HOST_IP],
      ["learn.example.com", "A", HOST_IP],
    ]);
  });

  it("is judged by the policy pack against the stated address: without it every record is a violation", async () => {
    expect(result.policyConfig["dns-records-point-at-hub"]).toEqual({ statedHubAddresses: [HOST_IP] });
    const run = await runProgram(hybridlab, { stack: "s0", config: asConfig(proxmoxHub()) });
    const { "dns-records-point-at-hub": _stated, ...withoutStated } = result.policyConfig;
    const found = evaluatePolicies(run.resources, { stack: "s0", config: withoutStated }).violations.map((v) => v.message);
    expect(found).toEqual([
      `A record grafana.example.com holds ${HOST_IP}, which is not an address of the hub (labelled hybridlab-role: hub, or stated as a Proxmox hub's publicAddress)`,
      `A record learn.example.com holds ${HOST_IP}, which is not an address of the hub (labelled hybridlab-role: hub, or stated as a Proxmox hub's publicAddress)`,
    ]);
  });

  it("says what the Proxmox host must forward to the guest, which the program does not manage", () => {
    expect(result.document.outputs.hostForwarding).toEqual({ from: HOST_IP, to: "10.0.0.150", ports: ["80/tcp", "443/tcp", "443/udp"] });
  });

  it("adds AAAA records and forwards IPv6 too when the estate states an IPv6 address", async () => {
    const withIpv6 = await planned("s0", withValues(proxmoxHub(), [["nodes.edge.publicAddress.ipv6", "2a01:4f8:10a:1::2"]]), hetznerPassword);
    expect(withIpv6.document.policy.violations).toEqual([]);
    const aaaa = ofType(withIpv6, "cloudflare:index/dnsRecord:DnsRecord").filter((r) => r.inputs.type === "AAAA");
    expect(aaaa.map((r) => [r.inputs.name, r.inputs.content])).toEqual([
      ["grafana.example.com", "2a01:4f8:10a:1::2"],
      ["learn.example.com", "2a01:4f8:10a:1::2"],
    ]);
    expect(withIpv6.document.outputs.hostForwarding).toMatchObject({ from: HOST_IP, fromIpv6: "2a01:4f8:10a:1::2" });
  });

  it("needs no forwarding when the guest holds an address of its own on the public bridge", async () => {
    // An additional address of the host's /26, bridged to the guest (the host keeps 136.243.155.166 for itself).
    const guestIp = "136.243.155.170";
    const onBridge = withValues(proxmoxHub(), [
      ["proxmox.hetzner.bridges.vmbr0", { cidr: "136.243.155.128/26", gateway: "136.243.155.129" }],
      ["nodes.edge.networks", [{ bridge: "vmbr0", address: `${guestIp}/26` }, { bridge: "vmbr1", address: "10.0.0.150/24" }]],
      ["nodes.edge.publicAddress", { ipv4: guestIp }],
    ]);
    const held = await planned("s0", onBridge, hetznerPassword);
    expect(held.document.policy.violations).toEqual([]);
    expect(held.document.outputs).not.toHaveProperty("hostForwarding");
    expect(ofType(held, "cloudflare:index/dnsRecord:DnsRecord").map((r) => r.inputs.content)).toEqual([guestIp, guestIp]);
  });

  it("gives the site's provider its own credential, as a secret, and its SSH port for snippet uploads", () => {
    const [provider] = ofType(result, "pulumi:providers:proxmoxve");
    expect(provider.inputs).toMatchObject({ endpoint: `https://${HOST_IP}:8006/`, username: "root@pam", password: "[secret]" });
    expect(Object.keys(provider.secretDigests)).toEqual(["password"]);
    expect(JSON.parse(String(provider.inputs.ssh))).toEqual({ username: "root", agent: true, nodes: [{ name: "pve", address: HOST_IP, port: 2222 }] });
  });

  it("reaches the guests' private addresses through the Proxmox host at its SSH port", () => {
    const docker = ofType(result, "pulumi:providers:docker").map((p) => [p.name, p.inputs.host, JSON.parse(String(p.inputs.sshOpts)).slice(-2)]);
    expect(docker).toEqual([
      ["edge-docker", "ssh://hybridlab@10.0.0.150", ["-J", `root@${HOST_IP}:2222`]],
      ["learning-docker", "ssh://hybridlab@10.0.0.104", ["-J", `root@${HOST_IP}:2222`]],
    ]);
  });

  it("has no tailnet anywhere: no Tailscale resource, no MagicDNS name", () => {
    expect(result.document.resources.filter((r) => r.type.startsWith("tailscale:"))).toEqual([]);
    expect(everything(result)).not.toMatch(/tailscale|ts\.net|tailnetHost/i);
    expect(artifact(result, "learning/monitoring/prometheus.yml")).toContain("- 10.0.0.150:9100");
  });
});

describe("an SSH jump through the Proxmox host at its own port", () => {
  const jump = { host: HOST_IP, port: 2222, user: "root" };
  const base: Pick<DockerHostArgs, "sshHost" | "sshUser" | "overTailnet" | "lanJump"> = { sshHost: "10.0.0.104", sshUser: "hybridlab", overTailnet: false, lanJump: jump };
  const proxy = { proxy: { host: HOST_IP, port: 2222, user: "root", privateKey: undefined } };

  it("carries every remote step to a LAN address, and the Docker provider's SSH", () => {
    expect(remoteConnection(base, "steady")).toEqual({ host: "10.0.0.104", user: "hybridlab", privateKey: undefined, dialErrorLimit: -1, perDialTimeout: 20, ...proxy });
    expect(remoteConnection(base, "bootstrap")).toMatchObject({ host: "10.0.0.104", ...proxy });
    expect(dockerSshOpts(false, jump).slice(-2)).toEqual(["-J", `root@${HOST_IP}:2222`]);
  });

  it("carries only an LXC's bootstrap, at its LAN address, when the rest goes over the tailnet", () => {
    const lxc = { ...base, sshHost: "edge.tail1.ts.net", overTailnet: true, bootstrapHost: "10.0.0.150", bootstrapUser: "root" };
    expect(remoteConnection(lxc, "bootstrap")).toMatchObject({ host: "10.0.0.150", user: "root", ...proxy });
    expect(remoteConnection(lxc, "steady")).not.toHaveProperty("proxy");
    expect(dockerSshOpts(true, jump)).not.toContain("-J");
  });
});

describe("two Proxmox sites, each with its own credential", () => {
  it("hands each site's provider its own secret, and refuses one set in plain text", async () => {
    const estate = withValues(proxmoxHub(), [
      ["proxmox.home", { ...(lanOnly().proxmox as Json).home as Json, credential: "proxmoxve:homeApiToken", rootAuth: false }],
      ["nodes.spare", { kind: "proxmox-vm", role: "lab", site: "home", vmid: 300, cores: 1, memoryMiB: 2048, diskGiB: 10, networks: [{ bridge: "vmbr0", address: "192.168.1.30/24" }] }],
    ]);
    const result = await planned("s0", estate, { ...hetznerPassword, "proxmoxve:homeApiToken": { secure: "v1:home-token" } });
    const providers = ofType(result, "pulumi:providers:proxmoxve").map((p) => [p.name, p.inputs.endpoint, Object.keys(p.secretDigests)]);
    expect(providers).toEqual([
      ["proxmox-hetzner", `https://${HOST_IP}:8006/`, ["password"]],
      ["proxmox-home", "https://192.168.1.10:8006/", ["apiToken"]],
    ]);
    const [hetzner, home] = ofType(result, "pulumi:providers:proxmoxve");
    expect(hetzner.secretDigests.password).not.toBe(home.secretDigests.apiToken);

    const plain = checkStackConfig({ ...asConfig(estate), "proxmoxve:homeApiToken": "root@pam!tok=abc", "proxmoxve:hetznerPassword": "x" }, ["proxmoxve:hetznerPassword"]);
    expect(plain.ok ? [] : plain.problems.map((p) => p.replace(/\(.*, not shown\)/, "(...)"))).toEqual([
      "proxmoxve:homeApiToken: must be a secret but is set in plain text (...); store it encrypted with: pulumi config set --secret proxmoxve:homeApiToken",
    ]);
  });
});

describe("one VPS with everything and no tailnet (S4)", () => {
  let result: Plan;
  beforeAll(async () => {
    result = await planned("s4", singleVps());
  });

  it("plans with no policy violation", () => {
    expect(result.document.policy.violations).toEqual([]);
    expect(result.document.outputs.cloudNodes).toEqual({ vps: { publicIpv4: "203.0.113.9", sshTarget: "hybridlab@203.0.113.9" } });
  });

  it("routes the proxy to the apps by container name on the shared Docker network, and Caddy accepts it", () => {
    const caddyfile = artifact(result, "vps/proxy/Caddyfile");
    expect(caddyfile.split("\n").filter((l) => l.includes("reverse_proxy"))).toEqual(["\treverse_proxy airflow-api-server:8080", "\treverse_proxy monitoring-grafana:3000"]);
    expect(caddyProblems([caddyfile])).toEqual([[]]);
  });

  it("scrapes its own host agents through Docker's host-gateway", () => {
    const prometheus = artifact(result, "vps/monitoring/prometheus.yml");
    expect(prometheus).toContain("- host.docker.internal:9100");
    const container = ofType(result, "docker:index/container:Container").find((c) => c.name === "monitoring-prometheus");
    expect(container?.inputs.hosts).toEqual([{ host: "host.docker.internal", ip: "host-gateway" }]);
  });

  it("opens only the web and admin SSH, and has no tailnet anywhere", () => {
    const [firewall] = ofType(result, "hcloud:index/firewall:Firewall");
    const rules = firewall.inputs.rules as Array<{ port: string; protocol: string }>;
    expect(rules.map((r) => `${r.port}/${r.protocol}`)).toEqual(["80/tcp", "443/tcp", "443/udp", "22/tcp"]);
    expect(everything(result)).not.toMatch(/tailscale|ts\.net|tailnetHost/i);
  });

  it("refuses a second cloud node the VPS would have to talk to", () => {
    const split = withValues(singleVps(), [
      ["nodes.extra", { kind: "hetzner", role: "lab", size: "small", region: "fsn1" }],
      ["apps.monitoring.node", "extra"],
    ]);
    expect(problemsOf(split)).toEqual([
      "hybridlab:nodes.vps: talks with other nodes (monitor proxy metrics), but without hybridlab:tailnet a cloud node has only a public address, known after it is created, its firewall opens no app or agent port and it cannot reach a LAN: set hybridlab:tailnet, or keep its apps and the apps they talk to (the proxy, the monitoring app) on it",
      "hybridlab:nodes.extra: talks with other nodes (monitor proxy metrics), but without hybridlab:tailnet a cloud node has only a public address, known after it is created, its firewall opens no app or agent port and it cannot reach a LAN: set hybridlab:tailnet, or keep its apps and the apps they talk to (the proxy, the monitoring app) on it",
    ]);
  });

  it("refuses an app whose UI is kept off the internet, since nobody could reach it without a tailnet", () => {
    const privateMlflow = withValues(singleVps(), [["apps.mlflow", { kind: "mlflow", node: "vps" }]]);
    expect(problemsOf(privateMlflow)).toEqual([
      "hybridlab:apps.mlflow: its UI is kept off the internet, but nodes.vps is a cloud node without hybridlab:tailnet, whose firewall opens no app port, so nobody could reach it: give it a hostname (with exposure sso, or public if it has its own login), or set hybridlab:tailnet",
    ]);
  });
});

describe("a Proxmox-only LAN without tailnet, DNS or budget (S3)", () => {
  let result: Plan;
  beforeAll(async () => {
    result = await planned("s3", lanOnly(), { "proxmoxve:homePassword": { secure: "v1:home-password" } });
  });

  it("plans with no policy violation, and says there is no budget since nothing is paid", () => {
    expect(result.document.policy.violations).toEqual([]);
    expect(render(result.document, "text")).toMatch(/total +0\.00 {2}no budget \(no paid node\)\n/);
  });

  it("reaches every host at its static LAN address: Docker, scrape targets, outputs", () => {
    expect(result.document.outputs.dockerHosts).toEqual({ devlab: "ssh://hybridlab@192.168.1.100", minio: "ssh://hybridlab@192.168.1.200" });
    expect(result.document.outputs.proxmoxGuests).toEqual({
      devlab: { vmId: 100, address: "192.168.1.100", sshTarget: "hybridlab@192.168.1.100" },
      minio: { vmId: 200, address: "192.168.1.200", sshTarget: "hybridlab@192.168.1.200" },
    });
    const prometheus = artifact(result, "devlab/monitoring/prometheus.yml");
    expect(prometheus).toContain("- 192.168.1.100:9100");
    expect(prometheus).toContain("- 192.168.1.200:9100");
    // A node's name as a host (its MagicDNS name, bare or with a suffix) appears nowhere; containers on the same
    // host are reached by their own names (<app>-<component>).
    expect(everything(result)).not.toMatch(/(?<![\w.-])(devlab|minio)(\.[a-z0-9-]+)*:\d+/);
  });

  it("has no tailnet anywhere: no Tailscale resource, no MagicDNS name, no DNS record", () => {
    expect(result.document.resources.filter((r) => /^(tailscale|cloudflare):/.test(r.type))).toEqual([]);
    expect(everything(result)).not.toMatch(/tailscale|ts\.net|tailnetHost/i);
  });
});

describe("refusals", () => {
  const hubGuest = (): Json => withValues(validEstate(), [
    ["nodes.hub", undefined],
    ["nodes.spoke", undefined],
    ["budget", undefined],
    ["nodes.devlab.role", "hub"],
    ["apps.proxy.node", "devlab"],
    ["apps.monitoring.node", "devlab"],
    ["nodes.devlab.publicAddress", { ipv4: "203.0.113.10" }],
  ]);

  it.each<[string, Json, string[]]>([
    ["a Proxmox hub guest accepted as it is", hubGuest(), []],
    [
      "a Proxmox hub without its public address",
      withValues(hubGuest(), [["nodes.devlab.publicAddress", undefined]]),
      ["hybridlab:nodes.devlab.publicAddress: required: the hub runs the reverse proxy, and DNS records and Let's Encrypt reach it at its public address, which Proxmox cannot report: state it (ipv4, and ipv6 if it has one), the guest's own or the Proxmox host's that forwards 80 and 443 to it"],
    ],
    [
      "a private address stated as the public one",
      withValues(hubGuest(), [["nodes.devlab.publicAddress", { ipv4: "10.0.0.150", ipv6: "fd00::1" }]]),
      [
        "hybridlab:nodes.devlab.publicAddress.ipv4: 10.0.0.150 is not a public address; state the one the internet reaches the hub at (the Proxmox host's on its public bridge when the host forwards to the guest)",
        "hybridlab:nodes.devlab.publicAddress.ipv6: fd00::1 is not a public address; state the one the internet reaches the hub at (the Proxmox host's on its public bridge when the host forwards to the guest)",
      ],
    ],
    [
      "a public address on a guest that is not the hub",
      withValues(hubGuest(), [["nodes.minio.publicAddress", { ipv4: "203.0.113.11" }]]),
      ["hybridlab:nodes.minio.publicAddress: only the hub's public address is used (DNS points at it, through its reverse proxy); remove it, or make nodes.minio the hub"],
    ],
    [
      "a forwarded hub on DHCP",
      withValues(hubGuest(), [["nodes.devlab.networks.0.address", "dhcp"]]),
      ["hybridlab:nodes.devlab.networks: the Proxmox host forwards 203.0.113.10 to this guest (no NIC holds it), and with DHCP there is no address to forward to: give networks[0] a static address such as 10.0.0.150/24, or a NIC on the public bridge with 203.0.113.10"],
    ],
    ["an IPv6 public address that is not one", withValues(hubGuest(), [["nodes.devlab.publicAddress.ipv6", "2001:db8::1/64"]]), ['hybridlab:nodes.devlab.publicAddress.ipv6: must be an IPv6 address such as 2001:db8::10 (got "2001:db8::1/64")']],
    [
      "paid cloud nodes without a budget",
      withValues(validEstate(), [["budget", undefined]]),
      ["hybridlab:budget: required: nodes.hub, nodes.spoke are paid cloud nodes, whose prices are checked against it: set hybridlab:budget (monthly, currency)"],
    ],
    [
      "a credential key outside the provider's namespace",
      withValues(validEstate(), [["proxmox.home.credential", "hybridlab:homeToken"]]),
      ['hybridlab:proxmox.home.credential: must be a config key in the proxmoxve namespace such as proxmoxve:hetznerApiToken (got "hybridlab:homeToken")'],
    ],
    [
      "an LXC that needs root@pam on a site with its own token",
      withValues(validEstate(), [["proxmox.home.rootAuth", false], ["proxmox.home.credential", "proxmoxve:homeApiToken"]]),
      ["hybridlab:nodes.minio: needs Docker for the host agents every node runs (the LXC feature keyctl) and Tailscale (the /dev/net/tun device passthrough), which Proxmox lets only root@pam set: set hybridlab:proxmox.home.rootAuth: true (then proxmoxve:homeApiToken holds root@pam's password, not a token), or make the node a VM"],
    ],
  ])("%s", (_what, estate, expected) => {
    expect(problemsOf(estate)).toEqual(expected);
  });
});
