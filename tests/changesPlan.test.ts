/**
 * The change preview through the plan command, on the shipped estates: the replacement table covers what they
 * register, a resize updates in place, a move that rebuilds a prod machine is refused with a way forward.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { AgainstError } from "../stacks/plan/against";
import { exitCode, parseArgs, plan, render } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";
import { changeRule, changeRules } from "../stacks/plan/replacements";
import { planCommand } from "./support/planCommand";

const root = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "hybridlab-changes-"));
const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const guestUrn = (component: string, type: string, name: string): string => `urn:pulumi:prod::hybridlab::hybridlab:proxmox:${component}$${type}::${name}`;
const devlab = guestUrn("ProxmoxVm", VM, "devlab");

/** Pulumi.prod.yaml with `edit` applied to its config, written as a stack file of the prod stack; returns its path. */
function prodWith(name: string, edit: (config: Record<string, unknown>) => void): string {
  const doc = parse(readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
  edit(doc.config);
  const file = path.join(dir, name, "Pulumi.prod.yaml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, stringify(doc));
  return file;
}

const planJson = async (...argv: string[]): Promise<PlanDocument> => (await plan(parseArgs(argv), root)).document;


let prod: PlanDocument;
let dev: PlanDocument;
const earlier = path.join(dir, "prod.json");
const earlierDev = path.join(dir, "dev.json");
// Each test below plans prod once or twice (and may spawn the command): seconds each, more on a busy machine.
const SLOW = 180_000;

beforeAll(async () => {
  prod = await planJson("--stack", "prod", "--format", "json");
  dev = await planJson("--stack", "dev", "--format", "json");
  writeFileSync(earlier, render(prod, "json"));
  writeFileSync(earlierDev, render(dev, "json"));
}, 2 * SLOW);

describe("the replacement table", () => {
  it("has an entry for every type the dev and prod estates register, and none for a type they do not", () => {
    const registered = [...new Set([...Object.keys(dev.summary.byType), ...Object.keys(prod.summary.byType)])].sort();
    expect(registered.filter((type) => changeRule(type) === undefined)).toEqual([]);
    expect(Object.keys(changeRules).filter((type) => !registered.includes(type))).toEqual([]);
  });
});

describe("a plan without --against", () => {
  it("has no changes section", () => {
    expect(Object.keys(prod)).not.toContain("changes");
  });

  it("records which inputs hold another resource's outputs: a VM's image and its cloud-init snippet", () => {
    const vm = prod.resources.find((r) => r.urn === devlab);
    expect(vm?.inputDependencies).toEqual({
      "disks[0].fileId": ["urn:pulumi:prod::hybridlab::hybridlab:proxmox:ProxmoxImage$proxmoxve:download/file:File::home-ubuntu-2204-cloud-image"],
      "initialization.userDataFileId": [guestUrn("ProxmoxVm", "proxmoxve:index/fileLegacy:FileLegacy", "devlab-user-data")],
    });
  });
});

describe("--against an earlier plan of prod", () => {
  it("shows a VM resized as one update in place, exit 0, the same bytes every time, changes first in text and markdown", async () => {
    const config = prodWith("cores", (c) => {
      (c["hybridlab:nodes"] as Record<string, { cores: number }>).devlab.cores = 6;
    });
    const args = ["--config", config, "--format", "json", "--against", earlier];
    const doc = await planJson(...args);
    expect(doc.changes).toEqual({
      summary: { create: 0, import: 0, update: 1, replace: 0, delete: 0, same: prod.resources.length - 1 },
      resources: [{ urn: devlab, type: VM, action: "update", changedInputs: ["cpu.cores"], replaceBecause: [], protect: true, stateful: true }],
      blocked: [],
    });
    expect(exitCode(doc)).toBe(0);
    expect(render(await planJson(...args), "json")).toBe(render(doc, "json"));
    const summary = `0 to create, 1 to update, 0 to replace, 0 to delete (${prod.resources.length - 1} unchanged)`;
    expect(render(doc, "text").split("\n").slice(0, 6)).toEqual([
      `hybridlab plan: stack prod, ${prod.resources.length} resources`,
      "",
      `Changes: ${summary}`,
      "",
      "Other changes:",
      `  update   ${devlab}  [changes cpu.cores; stateful; protected]`,
    ]);
    // Markdown with a change set is the pull-request comment (stacks/plan/render/comment.ts, tests/comment.test.ts).
    expect(render(doc, "markdown").split("\n")[0]).toBe(
      `**\`prod\`**: 0 to create, 1 to update, 0 to replace, 0 to delete · ${doc.cost.total.toFixed(2)} EUR/month · policy: no mandatory violation, 0 advisory`,
    );
  }, SLOW);

  it("refuses, exit 1, a cloud node moved to another provider, naming each URN and why; --accept-replace acknowledges", async () => {
    const config = prodWith("move", (c) => {
      (c["hybridlab:nodes"] as Record<string, Record<string, unknown>>)["spoke-do"] = { kind: "hetzner", role: "spoke", size: "small", region: "nbg1" };
    });
    const result = planCommand("--config", config, "--format", "json", "--against", earlier);
    expect(result.status).toBe(1);
    const doc = JSON.parse(result.stdout) as PlanDocument;
    const droplet = "urn:pulumi:prod::hybridlab::hybridlab:cloud:DigitalOceanDroplet$digitalocean:index/droplet:Droplet::spoke-do";
    const generation = "urn:pulumi:prod::hybridlab::random:index/randomId:RandomId::spoke-do-generation";
    const blocked = doc.changes?.blocked ?? [];
    expect(blocked.map(({ urn, action, because }) => ({ urn, action, because }))).toEqual([
      { urn: droplet, action: "delete", because: [] },
      { urn: generation, action: "replace", because: ["keepers.kind", "keepers.region"] },
    ]);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual(blocked.map((b) => `blocked: ${b.message}`));
    expect(lines).toContain(
      `blocked: ${droplet} would be deleted (it is no longer in the program), losing the data or identity it holds; to do it on purpose, re-run the plan with --accept-replace '${droplet}', then run: pulumi state unprotect --stack prod '${droplet}' && pulumi up --stack prod`,
    );
    const acknowledged = await planJson("--config", config, "--format", "json", "--against", earlier, ...blocked.flatMap((b) => ["--accept-replace", b.urn]));
    expect(acknowledged.changes?.blocked).toEqual([]);
    expect(exitCode(acknowledged)).toBe(0);
  }, SLOW);

  it("refuses a plan of another stack or another format version, exit 2", async () => {
    await expect(planJson("--stack", "prod", "--against", earlierDev)).rejects.toThrow(
      new AgainstError(`--against ${earlierDev}: a plan of hybridlab/dev, not hybridlab/prod; compare plans of the same stack`),
    );
    const v1 = path.join(dir, "v1.json");
    writeFileSync(v1, JSON.stringify({ ...prod, formatVersion: 1 }));
    await expect(planJson("--stack", "prod", "--against", v1)).rejects.toThrow(
      `--against ${v1}: plan format 1, this command compares format 2; re-plan the deployed commit with this version (git worktree add, then npm run plan -- --stack prod --format json)`,
    );
    const result = planCommand("--stack", "prod", "--against", earlierDev);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`--against ${earlierDev}: a plan of hybridlab/dev, not hybridlab/prod; compare plans of the same stack\n`);
  }, SLOW);
});

describe("--help", () => {
  it("prints every flag and the exit codes, exit 0", () => {
    const result = planCommand("--stack", "prod", "--help");
    expect(result.status).toBe(0);
    for (const flag of ["--stack", "--config", "--format", "--out", "--emit-dir", "--against", "--accept-replace", "--help"]) expect(result.stdout).toContain(`  ${flag} `);
    expect(result.stdout).toContain("Exit codes:\n  0  planned\n  1  ");
    expect(result.stdout).toContain("\n  2  bad usage");
  });

  it("refuses --accept-replace without --against", () => {
    expect(() => parseArgs(["--accept-replace", devlab])).toThrow("--accept-replace acknowledges a change the preview found: it needs --against OLD.json");
  });
});
