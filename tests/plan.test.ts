import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs, plan, PlanInputError, render } from "../stacks/plan/cli";
import { runProgram } from "../stacks/plan/harness";
import { readStackConfig } from "../stacks/plan/stackFile";
import { hybridlab } from "../stacks/program";
import { asConfig, asStackFile, validEstate, withValue } from "./fixtures/estate";
import { planCommand } from "./support/planCommand";

const root = path.resolve(__dirname, "..");

describe("parseArgs", () => {
  it("defaults to the dev stack's file and text", () => {
    expect(parseArgs([])).toEqual({ stack: "dev", configFile: "Pulumi.dev.yaml", format: "text", out: undefined, emitDir: undefined, against: undefined, acceptReplace: [], importFile: undefined });
  });
  it("takes a stack name from a Pulumi.<stack>.yaml config file and accepts --flag=value", () => {
    expect(parseArgs(["--config=../x/Pulumi.lab.yaml", "--format", "json"])).toMatchObject({ stack: "lab", configFile: "../x/Pulumi.lab.yaml", format: "json" });
  });
  it.each([
    [["--format", "yaml"], '--format must be one of: text, json, markdown, mermaid (got "yaml")'],
    [["--stack"], "--stack needs a value"],
    [["prod"], 'unknown argument "prod"'],
    [["--stack", "a b"], '--stack must be a stack name such as dev or prod (got "a b")'],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(PlanInputError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe.each(["dev", "prod"])("the %s stack", (stack) => {
  it("plans cleanly, and the JSON document is byte-for-byte repeatable", async () => {
    const args = parseArgs(["--stack", stack, "--format", "json"]);
    const first = render((await plan(args, root)).document, "json");
    const second = render((await plan(args, root)).document, "json");
    expect(second).toBe(first);
    const doc = JSON.parse(first);
    expect(doc).toMatchObject({ formatVersion: 2, project: "hybridlab", stack });
    const stackResource = doc.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack");
    expect(stackResource).toMatchObject({ name: `hybridlab-${stack}`, parent: "" });
    expect(doc.resources.filter((r: { parent: string }) => r.parent === "")).toHaveLength(1);
    // The engine refuses two resources with one URN; the mocks do not, so the plan checks it.
    const urns = doc.resources.map((r: { urn: string }) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    expect(Object.keys(doc.outputs.publicUrls).length).toBeGreaterThan(0);
    expect(doc.policy.mandatory).toBe(0);
    expect(doc.cost.withinBudget).toBe(true);
  });

  it("renders text and markdown", async () => {
    const doc = (await plan(parseArgs(["--stack", stack]), root)).document;
    expect(render(doc, "text")).toContain(`hybridlab plan: stack ${stack}, ${doc.summary.resources} resources`);
    expect(render(doc, "markdown")).toContain(`### hybridlab plan: \`${stack}\``);
  });
});

describe.each(["Pulumi.dev.yaml", "Pulumi.prod.yaml"])("%s", (file) => {
  it("holds no secret in plain text: anything secret-looking is a secure: value", () => {
    const { config, secretKeys } = readStackConfig(readFileSync(path.join(root, file), "utf8"), "hybridlab", file);
    const secretLooking = Object.keys(config).filter((key) => /(password|token|secret|private|apikey|api_key|credential)/i.test(key));
    expect(secretLooking.filter((key) => !secretKeys.includes(key))).toEqual([]);
    expect(Object.values(config).join("\n")).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|tskey-|hcloud_|dop_v1_/);
  });
});

describe("the prod estate from the seeds", () => {
  it("has the MinIO LXC, the devlab VM, the learning-platform VM and the analytics VM as real Proxmox guests", async () => {
    const doc = (await plan(parseArgs(["--stack", "prod"]), root)).document;
    const guests = doc.resources.filter((r) => r.type.startsWith("proxmoxve:index/") && r.type !== "proxmoxve:index/fileLegacy:FileLegacy");
    const summary = guests.map((g) => {
      const i = g.inputs as { vmId: number; cpu: { cores: number }; memory: { dedicated: number }; disks?: Array<{ size: number }>; disk?: { size: number }; initialization: { ipConfigs: Array<{ ipv4: { address: string } }> } };
      return [g.name, g.type.split(":").pop(), i.vmId, i.cpu.cores, i.memory.dedicated, i.disks?.[0].size ?? i.disk?.size, i.initialization.ipConfigs[0].ipv4.address, g.protect];
    });
    expect(summary).toEqual([
      ["minio", "ContainerLegacy", 200, 2, 4096, 20, "192.168.1.200/24", true],
      ["analytics", "VmLegacy", 102, 4, 12288, 100, "192.168.1.106/24", true],
      ["devlab", "VmLegacy", 100, 4, 12288, 50, "192.168.1.100/24", true],
      ["learning", "VmLegacy", 101, 4, 8192, 80, "192.168.1.104/24", true],
    ]);
  });
});

describe("ordering on a first deploy", () => {
  it("starts Caddy only after every public DNS record exists, so ACME validation finds the names", async () => {
    const doc = (await plan(parseArgs(["--stack", "prod"]), root)).document;
    const caddy = doc.resources.find((r) => r.type === "docker:index/container:Container" && r.name === "proxy-caddy");
    const records = doc.resources.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord").map((r) => r.urn);
    // A and AAAA for auth, grafana, learn and airflow; MLflow stays on the tailnet.
    expect(records.length).toBe(8);
    for (const record of records) expect(caddy?.dependsOn).toContain(record);
  });
});

describe("a bad config", () => {
  it("registers nothing before validation fails, and fails as a clean RunError listing each problem", async () => {
    const config = asConfig(withValue(validEstate(), "nodes.minio.vmid", 100));
    let error: unknown;
    const run = await runProgram(
      () => {
        try {
          return hybridlab();
        } catch (err) {
          error = err;
          return {};
        }
      },
      { config },
    );
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    expect((error as Error).constructor.name).toBe("RunError");
    expect((error as Error).message).toContain("hybridlab:nodes.minio.vmid: 100 is already used by nodes.devlab");
  });
});

describe("the plan command", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hybridlab-plan-"));
  const cli = planCommand;

  it("exits 2 with one line per problem on stderr, naming each path, without a stack trace", () => {
    const file = path.join(dir, "Pulumi.broken.yaml");
    writeFileSync(file, asStackFile(withValue(withValue(validEstate(), "nodes.minio.vmid", 100), "apps.moodle.node", "nowhere")));
    const result = cli("--config", file);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      "hybridlab:nodes.minio.vmid: 100 is already used by nodes.devlab; VMIDs must be unique per Proxmox site",
      'hybridlab:apps.moodle.node: unknown node "nowhere"; expected one of: devlab, minio, hub, spoke',
    ]);
  });

  it("writes valid JSON to --out and exits 0", () => {
    const out = path.join(dir, "plan.json");
    const result = cli("--stack", "prod", "--format", "json", "--out", out);
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).stack).toBe("prod");
  });

  it("exits 1 when a mandatory policy is violated, and names the rule in the plan", () => {
    const file = path.join(dir, "Pulumi.broke.yaml");
    writeFileSync(file, asStackFile(withValue(validEstate(), "budget.monthly", 5)));
    const result = cli("--config", file, "--format", "json");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("1 mandatory policy violation: see the plan's policy section");
    const doc = JSON.parse(result.stdout);
    expect(doc.cost).toMatchObject({ currency: "EUR", budget: 5, withinBudget: false });
    expect(doc.policy.mandatory).toBe(1);
    expect(doc.policy.violations.map((v: { policy: string }) => v.policy)).toContain("monthly-budget");
  });

  it("writes every generated config file under --emit-dir, listed in the JSON plan's artifacts", () => {
    const out = path.join(dir, "emitted");
    const result = cli("--stack", "prod", "--format", "json", "--emit-dir", out);
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    const paths = doc.artifacts.map((a: { path: string }) => a.path);
    for (const expected of ["hub/proxy/Caddyfile", "hub/monitoring/prometheus.yml", "hub/monitoring/alert-rules.yml", "hub/monitoring/alertmanager.yml", "hub/monitoring/loki.yaml", "hub/agents/config.alloy", "hub/monitoring/grafana/datasources/hybridlab.yaml", "hub/bootstrap/cloud-init.yaml", "devlab/bootstrap/cloud-init.yaml", "minio/bootstrap/bootstrap.sh"]) {
      expect(paths).toContain(expected);
    }
    for (const artifact of doc.artifacts as Array<{ path: string; sha256: string; bytes: number }>) {
      const content = readFileSync(path.join(out, artifact.path));
      expect([artifact.path, content.length, createHash("sha256").update(content).digest("hex")]).toEqual([artifact.path, artifact.bytes, artifact.sha256]);
    }
    const policyConfig = JSON.parse(readFileSync(path.join(out, "policy-config.json"), "utf8"));
    expect(policyConfig["monthly-budget"]).toEqual({ monthlyBudget: 80, currency: "EUR" });
  });

  it("exits 2 for a missing stack file", () => {
    const result = cli("--stack", "staging");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cannot read \S*Pulumi\.staging\.yaml: no such file/);
  });
});
