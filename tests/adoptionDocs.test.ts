/** The README's Lifecycle section matches the program: its plan commands parse, its tables name what is unmanaged. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { adoptedAzureVmUnmanaged } from "../components/cloud/AzureVm";
import { adoptedDropletUnmanaged } from "../components/cloud/DigitalOceanDroplet";
import { adoptedServerUnmanaged } from "../components/cloud/HetznerServer";
import { adoptedContainerUnmanaged, adoptedVmUnmanaged } from "../components/proxmox/adoption";
import { parseEstate } from "../stacks/estate/load";
import { parseArgs } from "../stacks/plan/cli";
import { readStackConfig } from "../stacks/plan/stackFile";
import { estateConfig } from "../stacks/estate/load";

const root = path.resolve(__dirname, "..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const lifecycle = readme.slice(readme.indexOf("## Lifecycle\n"), readme.indexOf("\n## ", readme.indexOf("## Lifecycle\n") + 1));

/** The fenced blocks of a language in the section, dedented. */
function blocks(language: string): string[] {
  return [...lifecycle.matchAll(new RegExp("^( *)```" + language + "\\n([\\s\\S]*?)^\\1```", "gm"))].map(([, indent, body]) =>
    body
      .split("\n")
      .map((line) => line.slice(indent.length))
      .join("\n"),
  );
}

describe("README, Lifecycle", () => {
  it("covers state, secrets, refresh, removal, teardown, upgrades and adoption", () => {
    const headings = [...lifecycle.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["State and secrets", "Refresh and drift", "Removing an app or a node", "Tearing down prod", "Upgrading the program", "Adopting what already runs"]);
  });

  it("gives plan commands the plan command accepts", () => {
    const commands = [...lifecycle.matchAll(/npm run plan -- ([^`\n#]*)/g)].map((m) => m[1].trim().split(/\s+/));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const argv of commands) expect(() => parseArgs(argv)).not.toThrow();
    expect(commands.some((argv) => argv.includes("--import-file"))).toBe(true);
  });

  it.each<[string, readonly string[]]>([
    ["| Proxmox VM |", Object.keys(adoptedVmUnmanaged)],
    ["| Proxmox LXC |", Object.keys(adoptedContainerUnmanaged)],
    ["| Hetzner server |", adoptedServerUnmanaged],
    ["| DigitalOcean droplet |", adoptedDropletUnmanaged],
    ["| Azure VM |", adoptedAzureVmUnmanaged],
  ])("names everything an adopted %s leaves unmanaged", (row, paths) => {
    const line = lifecycle.split("\n").find((l) => l.startsWith(row)) ?? "";
    const unmanagedCell = line.split(" | ")[1] ?? "";
    expect(paths.filter((p) => !unmanagedCell.includes(`\`${p}\``))).toEqual([]);
  });

  it("walks through adopting the prod host's guests with an estate that validates", () => {
    const [snippet] = blocks("yaml");
    const nodes = (parse(snippet) as Record<string, Record<string, Record<string, unknown>>>)["hybridlab:nodes"];
    const { config } = readStackConfig(readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8"), "hybridlab", "Pulumi.prod.yaml");
    const estate = estateConfig(config) as { nodes: Record<string, Record<string, unknown>> };
    for (const [name, fields] of Object.entries(nodes)) estate.nodes[name] = { ...estate.nodes[name], ...fields };
    const result = parseEstate(estate);
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(Object.keys(nodes)).toEqual(["devlab", "minio"]);
  });
});
