/**
 * The example stacks (examples/*.yaml): the seed estates as a user starts from one. Each is planned exactly as
 * `npm run plan -- --config examples/<file>` plans it, must exit 0 with no mandatory policy violation, and must hold
 * the facts its seed names (nodes, VMIDs, addresses, ports, hostnames).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { STACK_SCHEMA_FILE } from "../schema/generate";
import { parseArgs } from "../stacks/plan/cli";
import type { PlanDocument, PlanResource } from "../stacks/plan/document";
import { readStackConfig } from "../stacks/plan/stackFile";

const root = path.resolve(__dirname, "..");
const examples = readdirSync(path.join(root, "examples"))
  .filter((file) => file.endsWith(".yaml"))
  .sort();

// An independent reading of the schema editors validate stack files with.
const stackFileSchema = z.fromJSONSchema(JSON.parse(readFileSync(STACK_SCHEMA_FILE, "utf8")));

interface Planned {
  readonly status: number | null;
  readonly stderr: string;
  readonly doc: PlanDocument;
  /** A generated file, by its path under --emit-dir ("<node>/<app>/<file>"). */
  readonly artifact: (at: string) => string;
}

const emitted = mkdtempSync(path.join(tmpdir(), "hybridlab-examples-"));

/** Plans a stack file as `npm run plan -- --config FILE --format json --emit-dir DIR` does. */
function planFile(config: string): Planned {
  const dir = path.join(emitted, `${path.basename(config)}.out`);
  // What `npm run plan` runs: the compiled command, rebuilt first if a source changed.
  const result = spawnSync(process.execPath, ["-r", "./scripts/fresh.js", "bin/stacks/plan/cli.js", "--config", config, "--format", "json", "--emit-dir", dir], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.stdout === "") throw new Error(`${config} does not plan (exit ${result.status}):\n${result.stderr}`);
  return { status: result.status, stderr: result.stderr, doc: JSON.parse(result.stdout) as PlanDocument, artifact: (at) => readFileSync(path.join(dir, at), "utf8") };
}

// One run of the real command per example, shared by the tests below.
const runs = new Map<string, Planned>();
function planned(file: string): Planned {
  let run = runs.get(file);
  if (!run) {
    run = planFile(`examples/${file}`);
    runs.set(file, run);
  }
  return run;
}

const ofType = (doc: PlanDocument, type: string): PlanResource[] => doc.resources.filter((r) => r.type === type);
type Guest = { vmId: number; initialization: { ipConfigs: Array<{ ipv4: { address: string } }> } };
/** Each Proxmox guest as [name, VMID, first address], by VMID. */
const guests = (doc: PlanDocument): Array<[string, number, string]> =>
  doc.resources
    .filter((r) => r.type === "proxmoxve:index/vmLegacy:VmLegacy" || r.type === "proxmoxve:index/containerLegacy:ContainerLegacy")
    .map((r): [string, number, string] => {
      const inputs = r.inputs as Guest;
      return [r.name, inputs.vmId, inputs.initialization.ipConfigs[0].ipv4.address];
    })
    .sort((a, b) => a[1] - b[1]);
const endpoints = (doc: PlanDocument, app: string): Record<string, string> =>
  (doc.outputs.apps as Record<string, { endpoints: Record<string, string> }>)[app].endpoints;

describe("the examples", () => {
  it("are the seed estates S0, S1, S3 and S4", () => {
    expect(examples).toEqual(["s0-simondatalab.yaml", "s1-hub-and-spoke.yaml", "s3-proxmox-homelab.yaml", "s4-single-vps.yaml"]);
  });

  it("are each planned as the stack their file names, so a prod example needs no --stack", () => {
    expect(parseArgs(["--config", "examples/s4-single-vps.yaml"]).stack).toBe("s4-single-vps");
    // A file name that is no stack name leaves the default.
    expect(parseArgs(["--config", "/tmp/my estate.yaml"]).stack).toBe("dev");
  });

  it("are each listed in the README with the command that plans it", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    for (const file of examples) expect(readme).toContain(`npm run plan -- --config examples/${file}`);
  });

  describe.each(examples)("%s", (file) => {
    it("plans with exit 0 and no mandatory policy violation", () => {
      const { status, stderr, doc } = planned(file);
      expect(doc.policy.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
      expect([status, stderr]).toEqual([0, ""]);
      expect(doc.stack).toBe(file.replace(/\.yaml$/, ""));
      expect(doc.cost.withinBudget).toBe(true);
    });

    it("is what the editor's JSON Schema (schema/stack.schema.json) accepts", () => {
      const result = stackFileSchema.safeParse(parse(readFileSync(path.join(root, "examples", file), "utf8")));
      expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
    });

    it("holds no secret in plain text: anything secret-looking is a secure: value", () => {
      const { config, secretKeys } = readStackConfig(readFileSync(path.join(root, "examples", file), "utf8"), "hybridlab", file);
      const secretLooking = Object.keys(config).filter((key) => /(password|token|secret|private|apikey|api_key|credential)/i.test(key));
      expect(secretLooking.filter((key) => !secretKeys.includes(key))).toEqual([]);
      expect(Object.values(config).join("\n")).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|tskey-|hcloud_|dop_v1_/);
    });
  });
});

describe("S0, Simon DataLab on a Proxmox host at Hetzner", () => {
  const file = "s0-simondatalab.yaml";

  it("has the portfolio container and the four VMs with the seed's VMIDs and addresses on the private bridge", () => {
    expect(guests(planned(file).doc)).toEqual([
      ["geoneural", 106, "10.0.0.106/24"],
      ["portfolio", 150, "10.0.0.150/24"],
      ["ai", 159, "10.0.0.110/24"],
      ["media", 200, "10.0.0.103/24"],
      ["learning", 9001, "10.0.0.104/24"],
    ]);
  });

  it("serves the seed's public names under simondatalab.de, Moodle on its port 8086", () => {
    const { doc } = planned(file);
    expect(doc.outputs.publicUrls).toMatchObject({
      moodle: "https://moodle.simondatalab.de",
      monitoring: "https://grafana.simondatalab.de",
      "mlflow-ai": "https://mlflow.simondatalab.de",
    });
    expect(endpoints(doc, "moodle").http).toBe("10.0.0.104:8086");
  });

  it("points every public name at the host's address 136.243.155.166, which forwards 80 and 443 to the hub container", () => {
    const { doc } = planned(file);
    const records = ofType(doc, "cloudflare:index/dnsRecord:DnsRecord").map((r) => [r.inputs.name, r.inputs.type, r.inputs.content, r.inputs.proxied]);
    expect(records).toEqual(
      ["simondatalab.de", "geoneuralviz.simondatalab.de", "grafana.simondatalab.de", "mlflow.simondatalab.de", "moodle.simondatalab.de"].map((name) => [name, "A", "136.243.155.166", false]),
    );
    expect(doc.outputs.hostForwarding).toEqual({ from: "136.243.155.166", ports: ["80/tcp", "443/tcp", "443/udp"], to: "10.0.0.150" });
  });

  it("proxies Moodle on its VM's address and the portfolio on the hub itself", () => {
    const caddyfile = planned(file).artifact("portfolio/proxy/Caddyfile");
    expect(caddyfile).toMatch(/moodle\.simondatalab\.de \{[^}]*reverse_proxy 10\.0\.0\.104:8086/);
    expect(caddyfile).toMatch(/\nsimondatalab\.de \{[^}]*reverse_proxy portfolio-app:80/);
  });

  it("reaches the host's SSH on port 2222, and the guests through it", () => {
    const { doc } = planned(file);
    expect(JSON.parse(String(ofType(doc, "pulumi:providers:proxmoxve")[0].inputs.ssh))).toMatchObject({ nodes: [{ address: "136.243.155.166", port: 2222 }] });
    for (const docker of ofType(doc, "pulumi:providers:docker")) expect(JSON.parse(String(docker.inputs.sshOpts))).toEqual(expect.arrayContaining(["-J", "root@136.243.155.166:2222"]));
  });

  it("runs the seed's services where it places them, on their ports", () => {
    const { doc } = planned(file);
    const placed = (app: string) => [(doc.outputs.apps as Record<string, { node: string }>)[app].node, endpoints(doc, app)];
    expect(placed("jupyterhub")).toEqual(["learning", { http: "10.0.0.104:8000" }]);
    expect(placed("mlflow")).toEqual(["learning", { http: "10.0.0.104:5000", "db-metrics": "10.0.0.104:9189" }]);
    expect(placed("ollama")).toEqual(["ai", { api: "10.0.0.110:11434" }]);
    expect(placed("postgis")).toEqual(["geoneural", { postgres: "10.0.0.106:5432" }]);
    expect(placed("redis")).toEqual(["geoneural", { redis: "10.0.0.106:6379" }]);
    expect(placed("nextcloud")).toEqual(["media", { http: "10.0.0.103:8088", "db-metrics": "10.0.0.103:9191" }]);
    expect(placed("jellyfin")).toEqual(["media", { http: "10.0.0.103:8096" }]);
  });

  it("monitors as the write-up's stack does: node exporter, cAdvisor, PostgreSQL exporters, blackbox probes, Alertmanager", () => {
    const jobs = [...planned(file).artifact("learning/monitoring/prometheus.yml").matchAll(/job_name: (\S+)/g)].map((m) => m[1]);
    expect(jobs).toEqual(expect.arrayContaining(["node-exporter", "cadvisor", "moodle-db-metrics", "nextcloud-db-metrics", "blackbox-http_2xx", "monitoring-alertmanager"]));
  });

  it("monitors the Proxmox host with the VE exporter once its token is set, as the file's comment says", () => {
    const text = readFileSync(path.join(root, "examples", file), "utf8");
    const exporter = /# and add here: (pveExporter: \{.*\})\n/.exec(text)?.[1];
    expect(exporter).toBe("pveExporter: {tokenId: prometheus@pve!monitoring, node: learning}");
    // `pulumi config set --secret --path 'hybridlab:pveExporterTokens.hetzner'` writes a secure: value.
    const withExporter = text
      .replace("      capacity:\n", `      ${exporter}\n      capacity:\n`)
      .replace("  hybridlab:proxmox:\n", "  hybridlab:pveExporterTokens:\n    hetzner:\n      secure: v1:c2VjcmV0\n  hybridlab:proxmox:\n");
    const config = path.join(emitted, "s0-with-pve-exporter.yaml");
    writeFileSync(config, withExporter);
    const { status, stderr, doc, artifact } = planFile(config);
    expect([status, stderr]).toEqual([0, ""]);
    expect(ofType(doc, "docker:index/container:Container").filter((r) => r.name.includes("pve-exporter")).map((r) => r.name)).toEqual(["learning-agents-pve-exporter"]);
    expect(artifact("learning/monitoring/prometheus.yml")).toContain("job_name: pve-hetzner");
  });

  it("has no tailnet: no Tailscale resource, no MagicDNS name", () => {
    const { doc } = planned(file);
    expect(doc.resources.filter((r) => r.type.startsWith("tailscale:"))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/\.ts\.net|tailnetHost/);
  });
});

describe("S1, the hbohlen.io hub and spokes", () => {
  const file = "s1-hub-and-spoke.yaml";

  it("has a Hetzner hub in Falkenstein, a DigitalOcean spoke in Amsterdam and an Azure spoke in West Europe, within EUR 50", () => {
    const { doc } = planned(file);
    const machines = (type: string, ...keys: string[]) => ofType(doc, type).map((r) => [r.name, ...keys.map((key) => r.inputs[key])]);
    expect(machines("hcloud:index/server:Server", "serverType", "location")).toEqual([["hub", "cx33", "fsn1"]]);
    expect(machines("digitalocean:index/droplet:Droplet", "size", "region")).toEqual([["spoke-do", "s-1vcpu-2gb", "ams3"]]);
    expect(machines("azure-native:compute:VirtualMachine", "hardwareProfile", "location")).toEqual([["spoke-azure", { vmSize: "Standard_B1ms" }, "westeurope"]]);
    expect(doc.cost).toMatchObject({ currency: "EUR", budget: 50, withinBudget: true });
  });

  it("serves FalkorDB's browser at falkordb.hbohlen.io from the DigitalOcean spoke, through the hub", () => {
    const { doc, artifact } = planned(file);
    const hub = (doc.outputs.cloudNodes as Record<string, { publicIpv4: string }>).hub.publicIpv4;
    expect(ofType(doc, "cloudflare:index/dnsRecord:DnsRecord").filter((r) => r.inputs.type === "A").map((r) => [r.inputs.name, r.inputs.content])).toEqual([["falkordb.hbohlen.io", hub]]);
    expect((doc.outputs.apps as Record<string, { node: string }>).falkordb.node).toBe("spoke-do");
    expect(endpoints(doc, "falkordb")).toEqual({ http: "spoke-do:3000", redis: "spoke-do:6379" });
    expect(artifact("hub/proxy/Caddyfile")).toMatch(/falkordb\.hbohlen\.io \{[^}]*reverse_proxy spoke-do:3000/);
  });

  it("joins the three nodes by Tailscale", () => {
    const { doc } = planned(file);
    expect(ofType(doc, "tailscale:index/tailnetKey:TailnetKey").map((r) => r.name).sort()).toEqual(["hub-tailnet", "spoke-azure-tailnet", "spoke-do-tailnet"]);
  });
});

describe("S3, the Proxmox homelab", () => {
  const file = "s3-proxmox-homelab.yaml";

  it("has MinIO in LXC 200 at 192.168.1.200 and the Spark dev lab in VM 100 at 192.168.1.100", () => {
    const { doc } = planned(file);
    expect(guests(doc)).toEqual([
      ["devlab", 100, "192.168.1.100/24"],
      ["minio", 200, "192.168.1.200/24"],
    ]);
    expect(ofType(doc, "proxmoxve:index/containerLegacy:ContainerLegacy")[0].inputs).toMatchObject({ cpu: { cores: 2 }, memory: { dedicated: 4096 }, disk: { size: 20 } });
    expect(ofType(doc, "proxmoxve:index/vmLegacy:VmLegacy")[0].inputs).toMatchObject({ cpu: { cores: 4 }, memory: { dedicated: 8192 } });
  });

  it("serves MinIO on 9000 and 9001 and Spark on 8080, 8081 and 7077, at the guests' LAN addresses", () => {
    const { doc } = planned(file);
    expect(endpoints(doc, "minio")).toEqual({ api: "192.168.1.200:9000", console: "192.168.1.200:9001" });
    expect(endpoints(doc, "spark")).toEqual({ "master-ui": "192.168.1.100:8080", "worker-ui": "192.168.1.100:8081", master: "192.168.1.100:7077" });
    expect(doc.outputs.dockerHosts).toEqual({ devlab: "ssh://hybridlab@192.168.1.100", minio: "ssh://hybridlab@192.168.1.200" });
  });

  it("stays on the LAN: no tailnet, no MagicDNS name, no DNS record, no public URL, no budget", () => {
    const { doc } = planned(file);
    expect(doc.resources.filter((r) => r.type.startsWith("tailscale:") || r.type.startsWith("cloudflare:"))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/\.ts\.net|tailnetHost/);
    expect(doc.outputs.publicUrls).toEqual({});
    expect(doc.cost).toMatchObject({ total: 0, withinBudget: true });
    expect(doc.cost.budget).toBeUndefined();
  });
});

describe("S4, lianel.se on one VPS", () => {
  const file = "s4-single-vps.yaml";

  it("is one node", () => {
    const { doc } = planned(file);
    expect(ofType(doc, "hcloud:index/server:Server").map((r) => r.name)).toEqual(["vps"]);
    expect(doc.resources.filter((r) => r.type.startsWith("proxmoxve:") || r.type.startsWith("digitalocean:") || r.type.startsWith("azure-native:"))).toEqual([]);
  });

  it("serves the frontend at lianel.se, sign-in at auth.lianel.se, and Airflow and Grafana behind it", () => {
    const { doc } = planned(file);
    expect(doc.outputs.publicUrls).toEqual({ frontend: "https://lianel.se", identity: "https://auth.lianel.se", airflow: "https://airflow.lianel.se", monitoring: "https://monitoring.lianel.se" });
  });

  it("scrapes the Docker daemon's own metrics, as the write-up does", () => {
    expect(planned(file).artifact("vps/monitoring/prometheus.yml")).toContain("job_name: docker");
  });

  it("needs no tailnet: the proxy reaches every app by container name, and the firewall opens web and admin SSH only", () => {
    const { doc, artifact } = planned(file);
    expect(doc.resources.filter((r) => r.type.startsWith("tailscale:"))).toEqual([]);
    const upstreams = [...artifact("vps/proxy/Caddyfile").matchAll(/reverse_proxy (\S+)/g)].map((m) => m[1]);
    expect([...new Set(upstreams)].sort()).toEqual(["airflow-api-server:8080", "frontend-app:80", "identity-keycloak:8080", "monitoring-grafana:3000", "proxy-oauth2-proxy:4180"]);
    const rules = ofType(doc, "hcloud:index/firewall:Firewall")[0].inputs.rules as Array<{ port: string; protocol: string; sourceIps: string[] }>;
    expect(rules.map((r) => [r.protocol, r.port, r.sourceIps])).toEqual([
      ["tcp", "80", ["0.0.0.0/0", "::/0"]],
      ["tcp", "443", ["0.0.0.0/0", "::/0"]],
      ["udp", "443", ["0.0.0.0/0", "::/0"]],
      ["tcp", "22", ["198.51.100.0/24"]],
    ]);
  });
});
