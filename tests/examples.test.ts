/**
 * The example stacks (examples/*.yaml): the seed estates as a user starts from one. Each is planned exactly as
 * `npm run plan -- --config examples/<file>` plans it, must exit 0 with no mandatory policy violation, and must hold
 * the facts its seed names (nodes, VMIDs, addresses, ports, hostnames).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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
}

// One run of the real command per example, shared by the tests below.
const runs = new Map<string, Planned>();
function planned(file: string): Planned {
  let run = runs.get(file);
  if (!run) {
    // What `npm run plan` runs: the compiled command, rebuilt first if a source changed.
    const result = spawnSync(process.execPath, ["-r", "./scripts/fresh.js", "bin/stacks/plan/cli.js", "--config", `examples/${file}`, "--format", "json"], { cwd: root, encoding: "utf8" });
    if (result.status === 2) throw new Error(`examples/${file} does not plan:\n${result.stderr}`);
    run = { status: result.status, stderr: result.stderr, doc: JSON.parse(result.stdout) as PlanDocument };
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
    expect(endpoints(doc, "moodle").http).toBe("learning:8086");
  });
});

describe("S1, the hbohlen.io hub and spokes", () => {
  const file = "s1-hub-and-spoke.yaml";

  it("has a Hetzner hub in Falkenstein, a DigitalOcean spoke in Amsterdam and an Azure spoke in West Europe, within EUR 50", () => {
    const { doc } = planned(file);
    const machines = (type: string, ...keys: string[]) => ofType(doc, type).map((r) => [r.name, ...keys.map((key) => r.inputs[key])]);
    expect(machines("hcloud:index/server:Server", "serverType", "location")).toEqual([["hub", "cx33", "fsn1"]]);
    expect(machines("digitalocean:index/droplet:Droplet", "size", "region")).toEqual([["spoke-do", "s-1vcpu-2gb", "ams3"]]);
    expect(machines("azure-native:compute:VirtualMachine", "hardwareProfile", "location")).toEqual([["spoke-azure", { vmSize: "Standard_B1s" }, "westeurope"]]);
    expect(doc.cost).toMatchObject({ currency: "EUR", budget: 50, withinBudget: true });
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

  it("stays on the LAN: no tailnet, no DNS record, no public URL", () => {
    const { doc } = planned(file);
    expect(doc.resources.filter((r) => r.type.startsWith("tailscale:") || r.type.startsWith("cloudflare:"))).toEqual([]);
    expect(doc.outputs.publicUrls).toEqual({});
  });
});

describe("S4, lianel.se on one VPS", () => {
  const file = "s4-single-vps.yaml";

  it("is one node", () => {
    const { doc } = planned(file);
    expect(ofType(doc, "hcloud:index/server:Server").map((r) => r.name)).toEqual(["vps"]);
    expect(doc.resources.filter((r) => r.type.startsWith("proxmoxve:") || r.type.startsWith("digitalocean:") || r.type.startsWith("azure-native:"))).toEqual([]);
  });

  it("serves sign-in at auth.lianel.se and Airflow at airflow.lianel.se behind it", () => {
    const { doc } = planned(file);
    expect(doc.outputs.publicUrls).toMatchObject({ identity: "https://auth.lianel.se", airflow: "https://airflow.lianel.se" });
  });
});
