/**
 * The pull-request comment (`--format markdown` with `--against` or `--from-preview`): summary first, replacements
 * and deletions with their reasons, the rest folded, cost and policy deltas, no secret, always under GitHub's limit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { ChangePreview, ResourceChange } from "../stacks/plan/changes";
import { exitCode, parseArgs, plan, PlanInputError, render, type Plan } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";
import { previewChanges, PreviewError } from "../stacks/plan/preview";
import { COMMENT_LIMIT, renderComment } from "../stacks/plan/render/comment";

const root = path.resolve(__dirname, "..");
const PREVIEW = path.join(root, "tests/fixtures/preview/prod-caddy-bump.json");
const P = "urn:pulumi:prod::hybridlab::";
const VOLUME = `${P}hybridlab:docker:ContainerService$docker:index/volume:Volume::moodle-legacy-data`;
const ADVISORY = { policy: "container-healthcheck", enforcementLevel: "advisory" as const, urn: `${P}x`, name: "old-web", type: "docker:index/container:Container", message: "no healthcheck" };

let prod: Plan;
beforeAll(async () => {
  prod = await plan(parseArgs(["--stack", "prod"]), root);
});

/** The prod plan as it was before: the hub was a cx23, one advisory violation since fixed, moodle-web's secret env different. */
function earlierProd(): PlanDocument {
  const doc = JSON.parse(JSON.stringify(prod.document)) as PlanDocument;
  const hub = doc.cost.nodes.find((n) => n.node === "hub");
  if (!hub) throw new Error("the prod estate has no hub");
  Object.assign(hub, { size: "cx23", monthly: 5.99 });
  Object.assign(doc.cost, { total: 61.66 });
  Object.assign(doc.policy, { violations: [ADVISORY], advisory: 1 });
  const web = doc.resources.find((r) => r.urn.endsWith("::moodle-web") && r.type === "docker:index/container:Container");
  if (!web) throw new Error("the prod plan has no moodle-web container");
  web.secretDigests["envs[17]"] = "0123456789abcdef";
  return doc;
}

function writeTemp(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hybridlab-comment-")), name);
  writeFileSync(file, content);
  return file;
}

describe("--from-preview with --against: a real preview's changes, the earlier plan's cost and policy", () => {
  let result: Plan;
  let comment: string;
  beforeAll(async () => {
    const earlier = writeTemp("earlier.json", JSON.stringify(earlierProd()));
    result = await plan(parseArgs(["--stack", "prod", "--against", earlier, "--from-preview", PREVIEW]), root);
    comment = render(result.document, "markdown", result.changeContext);
  });

  it("reads every step of the preview into the change set", () => {
    const changes = result.document.changes as ChangePreview;
    expect(changes.summary).toEqual({ create: 1, import: 0, update: 1, replace: 2, delete: 1, same: 239 });
    expect(changes.resources.map((c) => [c.action, c.urn.split("::").pop(), c.changedInputs, c.replaceBecause, c.protect, c.stateful])).toEqual([
      ["update", "hub", ["serverType"], [], true, true],
      ["replace", "proxy-caddy", ["envs", "image"], ["image"], false, false],
      ["replace", "proxy-caddy-image", ["name"], ["name"], false, false],
      ["delete", "moodle-legacy-data", [], [], true, true],
      ["create", "dns-www-a", [], [], false, false],
    ]);
  });

  it("starts with one summary line: counts, cost before and after, policy delta", () => {
    expect(comment.split("\n")[0]).toBe(
      "**`prod`**: 1 to create, 1 to update, **2 to replace**, **1 to delete** · 61.66 → 64.66 EUR/month (+3.00) · policy: 0 added, 1 removed (no mandatory violation)",
    );
  });

  it("lists replacements and deletions with their reasons before anything else, and blocks the protected deletion", () => {
    const lines = comment.split("\n");
    expect(lines.slice(2, 5)).toEqual([
      ":x: **1 blocked** until acknowledged with `--accept-replace`:",
      "",
      `- ${VOLUME} would be deleted (it is no longer in the program), losing the data or identity it holds; to do it on purpose, re-run the plan with --accept-replace '${VOLUME}', then run: pulumi state unprotect --stack prod '${VOLUME}' && pulumi up --stack prod`,
    ]);
    const destructive = lines.slice(lines.indexOf("**Replacements and deletions:**") + 2, lines.indexOf("**Replacements and deletions:**") + 7);
    expect(destructive).toEqual([
      "| action | resource | type | notes |",
      "| --- | --- | --- | --- |",
      "| replace | `proxy-caddy` | `docker:index/container:Container` | because image |",
      "| replace | `proxy-caddy-image` | `docker:index/remoteImage:RemoteImage` | because name |",
      "| delete | `moodle-legacy-data` | `docker:index/volume:Volume` | stateful; protected |",
    ]);
    expect(exitCode(result.document)).toBe(1);
  });

  it("folds creations and updates, shows the cost change and the removed violation, and omits unchanged resources", () => {
    expect(comment).toContain(
      [
        "<details><summary>1 creation and 1 update</summary>",
        "",
        "| action | resource | type | notes |",
        "| --- | --- | --- | --- |",
        "| update | `hub` | `hcloud:index/server:Server` | changes serverType; stateful; protected |",
        "| create | `dns-www-a` | `cloudflare:index/dnsRecord:DnsRecord` |  |",
        "",
        "</details>",
      ].join("\n"),
    );
    expect(comment).toContain("| hub | cx23 | cx33 | 5.99 | 8.99 |");
    expect(comment).toContain("<details><summary>Policy violations removed (1)</summary>");
    expect(comment).toContain("| `container-healthcheck` | advisory | old-web | no healthcheck |");
    expect(comment).not.toMatch(/spoke-do|learning-bootstrap/);
    expect(comment.trimEnd().split("\n").pop()).toBe(
      "<sub>Changes from `pulumi preview --json`, read by `npm run plan -- --from-preview`; cost and policy from the estate. Unchanged resources are omitted; input values are never shown.</sub>",
    );
  });

  it("never shows an input value: the preview's secrets and plain values alike stay out", () => {
    expect(comment).not.toMatch(/\[secret\]|caddy:2\.11|sha256|203\.0\.113/);
  });

  it("lets the blocked deletion through once acknowledged", async () => {
    const accepted = await plan(parseArgs(["--stack", "prod", "--from-preview", PREVIEW, "--accept-replace", VOLUME]), root);
    expect(accepted.document.changes?.blocked).toEqual([]);
    expect(exitCode(accepted.document)).toBe(0);
    // Without an earlier plan, the comment states the current cost and policy rather than a delta.
    expect(render(accepted.document, "markdown", accepted.changeContext).split("\n")[0]).toBe(
      "**`prod`**: 1 to create, 1 to update, **2 to replace**, **1 to delete** · 64.66 EUR/month · policy: no mandatory violation, 0 advisory",
    );
  });
});

describe("--against alone: the offline comparison renders the same comment", () => {
  it("shows a changed secret as its path only, never its value or fingerprint", async () => {
    const before = earlierProd();
    const earlier = writeTemp("earlier.json", JSON.stringify(before));
    const result = await plan(parseArgs(["--stack", "prod", "--against", earlier, "--format", "markdown"]), root);
    const comment = render(result.document, "markdown", result.changeContext);
    expect(comment.split("\n")[0]).toBe("**`prod`**: 0 to create, 0 to update, **1 to replace**, 0 to delete · 61.66 → 64.66 EUR/month (+3.00) · policy: 0 added, 1 removed (no mandatory violation)");
    expect(comment).toContain("| replace | `moodle-web` | `docker:index/container:Container` | because envs[17] |");
    const web = prod.document.resources.find((r) => r.urn.endsWith("::moodle-web") && r.type === "docker:index/container:Container");
    expect(comment).not.toContain(web?.secretDigests["envs[17]"]);
    expect(comment).not.toContain("0123456789abcdef");
    expect(comment.trimEnd().split("\n").pop()).toContain("Changes from the offline plan, `npm run plan -- --against`");
  });
});

describe("--from-preview input", () => {
  it.each([
    ["not json", "not JSON"],
    ['{"steps": {}}', "not a preview digest (no steps list); give the output of pulumi preview --json"],
    ['{"steps": [{"op": "create"}]}', "steps[0] has no op and urn; give the output of pulumi preview --json"],
    ['{"steps": [{"op": "explode", "urn": "urn:pulumi:prod::hybridlab::a:b:C::x"}]}', 'steps[0] has op "explode", which this command does not know'],
  ])("refuses %j (exit 2)", async (text, message) => {
    const file = writeTemp("preview.json", text);
    const planning = plan(parseArgs(["--stack", "prod", "--from-preview", file]), root);
    await expect(planning).rejects.toThrow(PreviewError);
    await expect(planning).rejects.toThrow(`--from-preview ${file}: ${message}`);
  });

  it("counts an empty preview (no changes) as all unchanged", () => {
    expect(previewChanges(JSON.stringify({ changeSummary: { same: 240 }, duration: 1000 }), "p.json")).toEqual({
      summary: { create: 0, import: 0, update: 0, replace: 0, delete: 0, same: 240 },
      resources: [],
    });
  });

  it("folds the halves of a replacement (--show-replacement-steps) into it and counts shown sames without a summary", () => {
    const urn = "urn:pulumi:prod::hybridlab::hybridlab:docker:ContainerService$docker:index/container:Container::web";
    const steps = [
      { op: "same", urn: "urn:pulumi:prod::hybridlab::pulumi:pulumi:Stack::hybridlab-prod" },
      { op: "create-replacement", urn, detailedDiff: { image: { kind: "update-replace", inputDiff: false } } },
      { op: "replace", urn, replaceReasons: ["image"], diffReasons: ["image"] },
      { op: "delete-replaced", urn },
    ];
    expect(previewChanges(JSON.stringify({ steps }), "p.json")).toEqual({
      summary: { create: 0, import: 0, update: 0, replace: 1, delete: 0, same: 1 },
      resources: [{ urn, type: "docker:index/container:Container", action: "replace", changedInputs: ["image"], replaceBecause: ["image"], protect: false, stateful: false }],
    });
  });

  it("counts an import step as an import: neither a create nor a replace", () => {
    const urn = "urn:pulumi:prod::hybridlab::hybridlab:proxmox:ProxmoxVm$proxmoxve:index/vmLegacy:VmLegacy::learning";
    const steps = [{ op: "import", urn, newState: { type: "proxmoxve:index/vmLegacy:VmLegacy" } }];
    expect(previewChanges(JSON.stringify({ steps }), "p.json").summary).toEqual({ create: 0, import: 1, update: 0, replace: 0, delete: 0, same: 0 });
  });

  it("needs --against or --from-preview for --accept-replace", () => {
    expect(() => parseArgs(["--accept-replace", VOLUME])).toThrow(PlanInputError);
    expect(parseArgs(["--from-preview", "p.json", "--accept-replace", VOLUME])).toMatchObject({ fromPreview: "p.json", acceptReplace: [VOLUME] });
  });
});

describe("the size limit", () => {
  /** A synthetic 200-node estate change: each node's server, firewall, 6 containers and 2 volumes. */
  function bigChange(destructive: boolean): CommentInput {
    const resources: ResourceChange[] = [];
    for (let n = 0; n < 200; n++) {
      const node = `node-${String(n).padStart(3, "0")}-with-a-long-descriptive-name`;
      const urn = (type: string, name: string): string => `urn:pulumi:prod::hybridlab::hybridlab:cloud:HetznerServer$${type}::${name}`;
      resources.push({ urn: urn("hcloud:index/server:Server", node), type: "hcloud:index/server:Server", action: destructive ? "replace" : "create", changedInputs: destructive ? ["image", "userData"] : [], replaceBecause: destructive ? ["image", "userData"] : [], protect: destructive, stateful: true });
      resources.push({ urn: urn("hcloud:index/firewall:Firewall", `${node}-firewall`), type: "hcloud:index/firewall:Firewall", action: "update", changedInputs: ["rules[0].sourceIps", "rules[1].port"], replaceBecause: [], protect: false, stateful: false });
      for (let c = 0; c < 6; c++) {
        resources.push({ urn: urn("docker:index/container:Container", `${node}-app-${c}`), type: "docker:index/container:Container", action: "update", changedInputs: ["labels[2].value", "memory"], replaceBecause: [], protect: false, stateful: false });
      }
      for (let v = 0; v < 2; v++) {
        resources.push({ urn: urn("docker:index/volume:Volume", `${node}-data-${v}`), type: "docker:index/volume:Volume", action: destructive ? "delete" : "create", changedInputs: [], replaceBecause: [], protect: destructive, stateful: true });
      }
    }
    resources.sort((a, b) => (a.urn < b.urn ? -1 : 1));
    const count = (action: string): number => resources.filter((r) => r.action === action).length;
    const changes: ChangePreview = {
      summary: { create: count("create"), import: 0, update: count("update"), replace: count("replace"), delete: count("delete"), same: 0 },
      resources,
      blocked: [],
    };
    return { plan: { ...prod.document, changes }, source: "plan" };
  }

  it("folds 2,000 creations and updates into counts per type when listing them would pass the limit", () => {
    const comment = renderComment(bigChange(false));
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.split("\n")[0]).toBe("**`prod`**: 600 to create, 1400 to update, 0 to replace, 0 to delete · 64.66 EUR/month · policy: no mandatory violation, 0 advisory");
    expect(comment).toContain("<details><summary>600 creations and 1400 updates (too many to list: counts per type)</summary>");
    expect(comment).toContain("| update | `docker:index/container:Container` | 1200 |");
    expect(comment).not.toContain("more replacements and deletions are not shown");
  });

  it("truncates 600 replacements and deletions with a note saying how many are left out", () => {
    const comment = renderComment(bigChange(true));
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.split("\n")[0]).toBe("**`prod`**: 0 to create, 1400 to update, **200 to replace**, **400 to delete** · 64.66 EUR/month · policy: no mandatory violation, 0 advisory");
    const shown = comment.split("\n").filter((l) => /^\| (replace|delete) \|/.test(l)).length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(600);
    expect(comment).toContain(`:warning: ${600 - shown} more replacements and deletions are not shown (GitHub's comment limit)`);
    expect(comment.match(/<details>/g)?.length).toBe(comment.match(/<\/details>/g)?.length);
  });

  it("keeps a small change whole", () => {
    const small = bigChange(true);
    const changes = { ...small.plan.changes, resources: small.plan.changes.resources.slice(0, 10) };
    expect(renderComment({ ...small, plan: { ...small.plan, changes } })).not.toMatch(/too many to list|not shown/);
  });
});

describe("the fixture", () => {
  it("has the shape pulumi preview --json prints (PreviewDigest: steps, changeSummary, duration, config)", () => {
    const digest = JSON.parse(readFileSync(PREVIEW, "utf8")) as Record<string, unknown>;
    expect(Object.keys(digest).sort()).toEqual(["changeSummary", "config", "duration", "steps"]);
  });
});

type CommentInput = Parameters<typeof renderComment>[0];
