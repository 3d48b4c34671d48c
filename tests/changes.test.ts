/** The change preview on hand-built plans: each action, the options that shape it, secrets, and what is refused. */
import { blockedChanges, diffPlans, type ChangeSet } from "../stacks/plan/changes";
import { PLAN_FORMAT_VERSION, type PlanDocument, type PlanResource } from "../stacks/plan/document";
import { SECRET } from "../stacks/plan/harness";
import { changedPaths, pathCovers, pathOverlaps } from "../stacks/plan/inputDiff";
import { changeTextLines } from "../stacks/plan/render/changes";
import { secretDigest } from "../stacks/plan/secretDigest";
import { planResource, urnOf } from "./support/planResource";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const SNIPPET = "proxmoxve:index/fileLegacy:FileLegacy";
const LXC = "proxmoxve:index/containerLegacy:ContainerLegacy";
const RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const CONTAINER = "docker:index/container:Container";
const COMPONENT = "hybridlab:proxmox:ProxmoxVm";

const res = planResource;

function planOf(resources: PlanResource[]): PlanDocument {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: "hybridlab",
    stack: "prod",
    summary: { resources: resources.length, imports: 0, byType: {} },
    resources: [...resources].sort((a, b) => (a.urn < b.urn ? -1 : 1)),
    outputs: {},
    cost: { currency: "EUR", nodes: [], total: 0, budget: 1, withinBudget: true },
    policy: { violations: [], mandatory: 0, advisory: 0 },
    artifacts: [],
  };
}

/** action and changed inputs per resource name, for compact exact assertions. */
const actions = (changes: ChangeSet): string[][] =>
  changes.resources.map((c) => [c.urn.split("::").pop() as string, c.action, c.changedInputs.join(","), c.replaceBecause.join(",")]);

const vm = (inputs: Record<string, unknown> = {}, extra: Partial<PlanResource> = {}): PlanResource =>
  res(VM, "devlab", { cpu: { cores: 4 }, disks: [{ fileId: "local:iso/jammy.img", size: 50 }], initialization: { userDataFileId: "local:snippets/devlab.yaml" }, ...inputs }, extra);

describe("diffPlans", () => {
  it("finds nothing to do between a plan and itself", () => {
    const plan = planOf([vm(), res(RECORD, "www", { ttl: 300 })]);
    expect(diffPlans(plan, plan)).toEqual({ summary: { create: 0, import: 0, update: 0, replace: 0, delete: 0, same: 2 }, resources: [] });
  });

  it("creates what is new, deletes what is gone, updates in place what the provider can change, by URN", () => {
    const before = planOf([vm(), res(RECORD, "old", { ttl: 300 })]);
    const after = planOf([vm({ cpu: { cores: 6 } }), res(RECORD, "new", { ttl: 300 })]);
    const changes = diffPlans(before, after);
    expect(changes.summary).toEqual({ create: 1, import: 0, update: 1, replace: 0, delete: 1, same: 0 });
    expect(changes.resources).toEqual([
      { urn: urnOf(RECORD, "new"), type: RECORD, action: "create", changedInputs: [], replaceBecause: [], protect: false, stateful: false },
      { urn: urnOf(RECORD, "old"), type: RECORD, action: "delete", changedInputs: [], replaceBecause: [], protect: false, stateful: false },
      { urn: urnOf(VM, "devlab"), type: VM, action: "update", changedInputs: ["cpu.cores"], replaceBecause: [], protect: false, stateful: true },
    ]);
  });

  it("replaces when an input the provider replaces on changes, and names that input", () => {
    const before = planOf([res(LXC, "minio", { cpu: { cores: 2 }, initialization: { userAccount: { keys: ["ssh-ed25519 A simon"] } } })]);
    const after = planOf([res(LXC, "minio", { cpu: { cores: 4 }, initialization: { userAccount: { keys: ["ssh-ed25519 A simon", "ssh-ed25519 B alex"] } } })]);
    expect(actions(diffPlans(before, after))).toEqual([["minio", "replace", "cpu.cores,initialization.userAccount.keys[1]", "initialization.userAccount.keys[1]"]]);
  });

  it("hides what ignoreChanges names, item paths included", () => {
    const ignoring = { ignoreChanges: ["disks[0].fileId"] };
    const before = planOf([vm({}, ignoring)]);
    const newImage = planOf([vm({ disks: [{ fileId: "local:iso/noble.img", size: 50 }] }, ignoring)]);
    const newImageAndDisk = planOf([vm({ disks: [{ fileId: "local:iso/noble.img", size: 80 }] }, ignoring)]);
    expect(diffPlans(before, newImage).resources).toEqual([]);
    expect(actions(diffPlans(before, newImageAndDisk))).toEqual([["devlab", "update", "disks[0].size", ""]]);
    // Without the option the same change replaces the VM.
    expect(actions(diffPlans(planOf([vm()]), planOf([vm({ disks: [{ fileId: "local:iso/noble.img", size: 50 }] })])))).toEqual([
      ["devlab", "replace", "disks[0].fileId", "disks[0].fileId"],
    ]);
  });

  it("replaces on what replaceOnChanges names, even where the provider would update", () => {
    const forcing = { replaceOnChanges: ["cpu.cores"] };
    expect(actions(diffPlans(planOf([vm({}, forcing)]), planOf([vm({ cpu: { cores: 8 } }, forcing)])))).toEqual([["devlab", "replace", "cpu.cores", "cpu.cores"]]);
    const everything = { replaceOnChanges: ["*"] };
    expect(actions(diffPlans(planOf([res(RECORD, "www", { ttl: 300 }, everything)]), planOf([res(RECORD, "www", { ttl: 60 }, everything)])))).toEqual([
      ["www", "replace", "ttl", "ttl"],
    ]);
  });

  it("detects a changed secret by its fingerprint and shows only its path", () => {
    const withSecret = (value: string): PlanResource =>
      res(CONTAINER, "grafana", { envs: ["GF_USER=admin", SECRET] }, { secretDigests: { "envs[1]": secretDigest(urnOf(CONTAINER, "grafana"), "envs[1]", value) } });
    const before = planOf([withSecret("GF_PASSWORD=one")]);
    const same = diffPlans(before, planOf([withSecret("GF_PASSWORD=one")]));
    const rotated = diffPlans(before, planOf([withSecret("GF_PASSWORD=two")]));
    expect(same.resources).toEqual([]);
    expect(actions(rotated)).toEqual([["grafana", "replace", "envs[1]", "envs[1]"]]);
    expect(JSON.stringify(rotated)).not.toMatch(/one|two|GF_PASSWORD/);
  });

  it("carries a replacement to the inputs that hold the replaced resource's outputs, and only to those", () => {
    const snippetUrn = urnOf(SNIPPET, "devlab-user-data");
    const snippet = (data: string): PlanResource => res(SNIPPET, "devlab-user-data", { sourceRaw: { data, fileName: "devlab.yaml" } });
    const wired = { inputDependencies: { "initialization.userDataFileId": [snippetUrn] } };
    const record = res(RECORD, "devlab", { content: "192.168.1.100" }, { dependsOn: [snippetUrn], parent: snippetUrn });
    const before = planOf([snippet("#cloud-config\n"), vm({}, wired), record]);
    const after = planOf([snippet("#cloud-config\nusers: []\n"), vm({}, wired), record]);
    expect(actions(diffPlans(before, after))).toEqual([
      ["devlab-user-data", "replace", "sourceRaw.data", "sourceRaw.data"],
      ["devlab", "replace", "initialization.userDataFileId", "initialization.userDataFileId"],
    ]);
    // An input that holds the output but is ignored stays as it is; an update of the snippet carries nothing.
    const ignoring = planOf([snippet("#cloud-config\nusers: []\n"), vm({}, { ...wired, ignoreChanges: ["initialization"] }), record]);
    expect(actions(diffPlans(before, ignoring)).map(([name, action]) => [name, action])).toEqual([["devlab-user-data", "replace"]]);
  });

  it("does not replace a child because its parent component is replaced or renamed", () => {
    const parent = (name: string): PlanResource => res(COMPONENT, name, {});
    const child = res(VM, "devlab", { cpu: { cores: 4 } }, { parent: urnOf(COMPONENT, "devlab") });
    const changes = diffPlans(planOf([parent("devlab"), child]), planOf([parent("devlab-2"), child]));
    expect(actions(changes)).toEqual([
      ["devlab", "delete", "", ""],
      ["devlab-2", "create", "", ""],
    ]);
  });

  it("treats a type missing from the replacement table as a stateful replacement on any change", () => {
    const unknown = "example:index/thing:Thing";
    const changes = diffPlans(planOf([res(unknown, "t", { size: 1 })]), planOf([res(unknown, "t", { size: 2 })]));
    expect(changes.resources).toEqual([{ urn: urnOf(unknown, "t"), type: unknown, action: "replace", changedInputs: ["size"], replaceBecause: ["size"], protect: false, stateful: true }]);
  });

  it("is deterministic: the same plans in any order give the same change set", () => {
    const before = [vm(), res(RECORD, "a", { ttl: 300 }), res(RECORD, "b", { ttl: 300 }), res(LXC, "minio", { unprivileged: true })];
    const after = [vm({ cpu: { cores: 2 } }), res(RECORD, "b", { ttl: 60 }), res(RECORD, "c", { ttl: 300 }), res(LXC, "minio", { unprivileged: false })];
    const shuffled = (list: PlanResource[]): PlanDocument => ({ ...planOf(list), resources: [...list].reverse() });
    const first = JSON.stringify(diffPlans(planOf(before), planOf(after)));
    expect(JSON.stringify(diffPlans(shuffled(before), shuffled(after)))).toBe(first);
    expect(JSON.parse(first).resources.map((c: { urn: string }) => c.urn)).toEqual(
      [urnOf(RECORD, "a"), urnOf(RECORD, "b"), urnOf(RECORD, "c"), urnOf(LXC, "minio"), urnOf(VM, "devlab")].sort(),
    );
  });
});

describe("blockedChanges", () => {
  const lxcUrn = urnOf(LXC, "minio");
  const replaced = diffPlans(
    planOf([res(LXC, "minio", { unprivileged: true }, { protect: true }), res(RECORD, "www", { zoneId: "a" })]),
    planOf([res(LXC, "minio", { unprivileged: false }, { protect: true }), res(RECORD, "www", { zoneId: "b" })]),
  );

  it("refuses replacing a stateful resource in a prod estate, naming the URN, the input and how to proceed", () => {
    expect(blockedChanges(replaced, "prod", "prod")).toEqual([
      {
        urn: lxcUrn,
        action: "replace",
        because: ["unprivileged"],
        message: `${lxcUrn} would be replaced (unprivileged changed), losing the data or identity it holds; to do it on purpose, re-run the plan with --accept-replace '${lxcUrn}', then run: pulumi state unprotect --stack prod '${lxcUrn}' && pulumi up --stack prod --replace '${lxcUrn}'`,
      },
    ]);
  });

  it("refuses deleting one, and accepts each acknowledged URN", () => {
    const deleted = diffPlans(planOf([res(LXC, "minio", {})]), planOf([]));
    expect(blockedChanges(deleted, "prod", "prod").map((b) => b.message)).toEqual([
      `${lxcUrn} would be deleted (it is no longer in the program), losing the data or identity it holds; to do it on purpose, re-run the plan with --accept-replace '${lxcUrn}', then run: pulumi up --stack prod`,
    ]);
    expect(blockedChanges(deleted, "prod", "prod", [lxcUrn])).toEqual([]);
  });

  it("lets a dev estate replace what is not protected, but never what is", () => {
    expect(blockedChanges(replaced, "dev", "dev").map((b) => b.urn)).toEqual([lxcUrn]);
    const unprotected = diffPlans(planOf([res(LXC, "minio", { unprivileged: true })]), planOf([res(LXC, "minio", { unprivileged: false })]));
    expect(blockedChanges(unprotected, "dev", "dev")).toEqual([]);
  });
});

describe("the change preview as text", () => {
  it("puts the summary, then what is blocked, then replacements and deletions with their reason, then the rest", () => {
    const before = planOf([res(LXC, "minio", { unprivileged: true }), res(RECORD, "old", { ttl: 300 }), res(RECORD, "www", { ttl: 300 })]);
    const after = planOf([
      res(LXC, "minio", { unprivileged: false }, { deleteBeforeReplace: true }),
      res(RECORD, "new", { ttl: 300 }),
      res(RECORD, "www", { ttl: 60 }),
    ]);
    const changes = diffPlans(before, after);
    const blocked = blockedChanges(changes, "prod", "prod");
    expect(changeTextLines({ ...changes, blocked }, after)).toEqual([
      "Changes: 1 to create, 1 to update, 1 to replace, 1 to delete (0 unchanged)",
      "",
      "Blocked (exit 1) until acknowledged with --accept-replace:",
      `  - ${blocked[0].message}`,
      "",
      "Replacements and deletions:",
      `  delete   ${urnOf(RECORD, "old")}`,
      `  replace  ${urnOf(LXC, "minio")}  [because unprivileged; stateful; deleted before its replacement is created]`,
      "",
      "Other changes:",
      `  create   ${urnOf(RECORD, "new")}`,
      `  update   ${urnOf(RECORD, "www")}  [changes ttl]`,
    ]);
  });
});

describe("input paths", () => {
  it.each([
    ["disks[].fileId", "disks[0].fileId", true, true],
    ["disks[*].fileId", "disks[3].fileId", true, true],
    ["disks[0].fileId", "disks[1].fileId", false, false],
    ["sshKeys", "sshKeys[2]", true, true],
    ["initialization.userAccount", "initialization", false, true],
    ["initialization.userAccount", "initialization.userDataFileId", false, false],
    ["operatingSystem", "operatingSystemx", false, false],
  ])("pattern %s against %s: covers %s, overlaps %s", (pattern, path, covers, overlaps) => {
    expect(pathCovers(pattern, path)).toBe(covers);
    expect(pathOverlaps(pattern, path)).toBe(overlaps);
  });

  it("reports the deepest differing paths, added and removed items and keys", () => {
    expect(changedPaths({ a: { b: [1, 2], c: "x" }, d: 1 }, { a: { b: [1, 3, 4], c: "x" }, e: 1 })).toEqual(["a.b[1]", "a.b[2]", "d", "e"]);
  });
});

describe("secretDigest", () => {
  it("fingerprints a value per resource and input, in 16 hex digits that never contain it", () => {
    const a = secretDigest("urn:a", "envs[1]", "hunter2");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(secretDigest("urn:a", "envs[1]", "hunter2")).toBe(a);
    expect(secretDigest("urn:b", "envs[1]", "hunter2")).not.toBe(a);
    expect(secretDigest("urn:a", "envs[2]", "hunter2")).not.toBe(a);
    expect(secretDigest("urn:a", "envs[1]", "hunter3")).not.toBe(a);
  });
});
