/**
 * The offline change preview: what `pulumi up` would do to a stack that was deployed from an earlier plan,
 * resource by resource (by URN), with the reason for every replacement.
 *
 * How an action is decided, for a resource in both plans:
 * 1. its changed inputs: the deepest paths whose values differ (a secret compares by its fingerprint, never shown);
 * 2. plus every input that holds a computed output (an id, an address) of a resource being replaced: a preview
 *    cannot know the new value, so Pulumi shows it as changed, and when the provider replaces on that input the
 *    replacement travels on (a re-created snippet gives its VM a new `userDataFileId`). Only the inputs that hold
 *    the output travel: a replaced parent component or a `dependsOn` alone replaces nothing;
 * 3. minus the paths the resource's `ignoreChanges` hides (the change never reaches the provider);
 * 4. `replace` when a remaining path is one the provider replaces on (stacks/plan/replacements.ts) or the
 *    resource's `replaceOnChanges` names; else `update` when any remains; else unchanged.
 * A new resource with the `import` option is an `import`: `pulumi up` adopts the existing object, creating and
 * replacing nothing. A resource already deployed whose import id is new or different is replaced: the engine
 * imports the named object and deletes the one it had (an import replacement).
 */
import type { PlanDocument, PlanResource } from "./document";
import { changedPaths, pathCovers, pathOverlaps, withSecretDigests } from "./inputDiff";
import type { BlockedChange, ChangeAction, ChangeSet, ResourceChange } from "./changeSet";
import { changeRule } from "./replacements";

export type { BlockedChange, ChangeAction, ChangePreview, ChangeSet, ResourceChange } from "./changeSet";

/** An unknown type may do anything: its every change counts as a stateful replacement until the table says otherwise. */
const UNKNOWN_RULE = { replaceOn: ["*"], stateful: true } as const;

/** The change rule for a type; an unknown type counts as stateful and replaced by any change. */
export function ruleFor(type: string): { replaceOn: readonly string[]; stateful: boolean } {
  return changeRule(type) ?? UNKNOWN_RULE;
}

function byUrn(a: { urn: string }, b: { urn: string }): number {
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

/** Inputs that hold an output of a resource in `replaced`. */
function unknownInputs(resource: PlanResource, replaced: ReadonlySet<string>): string[] {
  return Object.entries(resource.inputDependencies)
    .filter(([, urns]) => urns.some((urn) => replaced.has(urn)))
    .map(([path]) => path);
}

function decide(before: PlanResource, after: PlanResource, replaced: ReadonlySet<string>): ResourceChange {
  const differing = changedPaths(withSecretDigests(before.inputs, before.secretDigests), withSecretDigests(after.inputs, after.secretDigests));
  // Not an input, but the engine replaces on it: the deployed object is swapped for the one the id names.
  const reimport = after.import !== undefined && after.import !== before.import ? ["import"] : [];
  const changedInputs = [...new Set([...differing, ...unknownInputs(after, replaced)])]
    .filter((path) => !after.ignoreChanges.some((ignored) => pathCovers(ignored, path)))
    .sort();
  const rule = ruleFor(after.type);
  const forcing = [...rule.replaceOn, ...after.replaceOnChanges];
  const replaceBecause = [...reimport, ...changedInputs.filter((path) => forcing.some((pattern) => pathOverlaps(pattern, path)))];
  const action = replaceBecause.length > 0 ? "replace" : "update";
  return { urn: after.urn, type: after.type, action, changedInputs: [...reimport, ...changedInputs], replaceBecause, protect: before.protect || after.protect, stateful: rule.stateful };
}

/** Compares two plans of one stack: `before` as deployed, `after` as the program now stands. */
export function diffPlans(before: PlanDocument, after: PlanDocument): ChangeSet {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const kept = after.resources.filter((r) => old.has(r.urn));
  // A replacement can make its dependents' inputs unknown, which can replace them in turn: decide until stable.
  const replaced = new Set<string>();
  let decided: ResourceChange[] = [];
  for (let size = -1; size !== replaced.size; ) {
    size = replaced.size;
    decided = kept.map((r) => decide(old.get(r.urn) as PlanResource, r, replaced));
    for (const change of decided) if (change.action === "replace") replaced.add(change.urn);
  }
  const changed = decided.filter((c) => c.changedInputs.length > 0);
  const created = after.resources
    .filter((r) => !old.has(r.urn))
    .map((r): ResourceChange => ({ urn: r.urn, type: r.type, action: r.import === undefined ? "create" : "import", changedInputs: [], replaceBecause: [], protect: r.protect, stateful: ruleFor(r.type).stateful }));
  const deleted = before.resources
    .filter((r) => !now.has(r.urn))
    .map((r): ResourceChange => ({ urn: r.urn, type: r.type, action: "delete", changedInputs: [], replaceBecause: [], protect: r.protect, stateful: ruleFor(r.type).stateful }));
  const resources = [...changed, ...created, ...deleted].sort(byUrn);
  const count = (action: ChangeAction): number => resources.filter((c) => c.action === action).length;
  return {
    summary: { create: count("create"), import: count("import"), update: count("update"), replace: count("replace"), delete: count("delete"), same: kept.length - changed.length },
    resources,
  };
}

/**
 * The replacements and deletions a plan refuses: of a stateful resource in a prod stack (the estate's
 * `environment: prod`), and of any protected resource (Pulumi would fail on it anyway), unless `accepted` lists
 * its URN. Each message says which resource, why, and how to proceed on purpose.
 */
export function blockedChanges(changes: ChangeSet, stack: string, environment: "dev" | "prod", accepted: readonly string[] = []): BlockedChange[] {
  return changes.resources
    .filter((c): c is ResourceChange & { action: "replace" | "delete" } => c.action === "replace" || c.action === "delete")
    .filter((c) => ((environment === "prod" && c.stateful) || c.protect) && !accepted.includes(c.urn))
    .map((c) => {
      const what = c.stateful ? "losing the data or identity it holds" : "and it is protected";
      const why = c.action === "replace" ? `${c.replaceBecause.join(", ")} changed` : "it is no longer in the program";
      const unprotect = c.protect ? `pulumi state unprotect --stack ${stack} '${c.urn}' && ` : "";
      const apply = c.action === "replace" ? `pulumi up --stack ${stack} --replace '${c.urn}'` : `pulumi up --stack ${stack}`;
      return {
        urn: c.urn,
        action: c.action,
        because: c.replaceBecause,
        message: `${c.urn} would be ${c.action === "replace" ? "replaced" : "deleted"} (${why}), ${what}; to do it on purpose, re-run the plan with --accept-replace '${c.urn}', then run: ${unprotect}${apply}`,
      };
    });
}
