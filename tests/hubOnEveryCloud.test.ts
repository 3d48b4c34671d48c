/**
 * The shipped dev estate with its hub moved to DigitalOcean and to Azure: the program's own output must plan clean.
 * A DigitalOcean hub's firewall is attached by droplet id, not by tag, and an Azure hub's NSG through its NIC, so
 * the pack must follow the attachment to see that the firewall opening 80/443 is the hub's.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs, plan } from "../stacks/plan/cli";
import { runProgram, type RecordedResource } from "../stacks/plan/harness";
import { evaluatePolicies } from "../stacks/plan/policy";
import { readStackConfig } from "../stacks/plan/stackFile";
import { hybridlab } from "../stacks/program";

const root = path.resolve(__dirname, "..");
const hetznerHub = "    hub:\n      kind: hetzner\n      role: hub\n      size: small\n      region: fsn1\n";

/** Pulumi.dev.yaml with the hub on another cloud, and a budget that pays for it. */
function devWithHubOn(kind: string, region: string): string {
  const text = readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
  if (!text.includes(hetznerHub)) throw new Error("Pulumi.dev.yaml no longer declares the Hetzner hub this test moves");
  const moved = text.replace(hetznerHub, `    hub:\n      kind: ${kind}\n      role: hub\n      size: small\n      region: ${region}\n`).replace("    monthly: 20\n", "    monthly: 60\n");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hybridlab-hub-")), "Pulumi.dev.yaml");
  writeFileSync(file, moved);
  return file;
}

describe.each([
  ["digitalocean", "fra1", "digitalocean:index/droplet:Droplet"],
  ["azure", "westeurope", "azure-native:compute:VirtualMachine"],
])("a hub on %s", (kind, region, machineType) => {
  const file = devWithHubOn(kind, region);

  it("plans with no mandatory and no advisory violation", async () => {
    const { document } = await plan(parseArgs(["--config", file, "--format", "json"]), root);
    expect(document.resources.filter((r) => r.type === machineType && r.name === "hub")).toHaveLength(1);
    expect(document.policy.violations).toEqual([]);
  });

  it("is still caught when the machine behind the web firewall is not the hub", async () => {
    const { config } = readStackConfig(readFileSync(file, "utf8"), "hybridlab", file);
    const run = await runProgram(hybridlab, { stack: "dev", config });
    // The same resources, with the hub's marker taken off the machine: its firewall now opens 80/443 for a spoke.
    const demoted = run.resources.map((r): RecordedResource => {
      if (r.type !== machineType || r.name !== "hub") return r;
      const { tags } = r.inputs as { tags: string[] | Record<string, string> };
      const spokeTags = Array.isArray(tags) ? tags.map((t) => (t === "role-hub" ? "role-spoke" : t)) : { ...tags, "hybridlab-role": "spoke" };
      return { ...r, inputs: { ...r.inputs, tags: spokeTags } };
    });
    const found = evaluatePolicies(demoted, { stack: "dev" }).violations.filter((v) => v.policy === "web-ports-only-on-hub");
    expect(found.map((v) => v.message)).toEqual([expect.stringMatching(/^the firewall of hub \(not labelled as the hub\) opens port 80 from 0\.0\.0\.0\/0/)]);
  });
});
