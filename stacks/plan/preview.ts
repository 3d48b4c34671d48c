/**
 * `--from-preview PREVIEW.json`: the change set of a real `pulumi preview --json`, so a credentialed CI run and the
 * offline `--against` run render the same comment.
 *
 * The document is the CLI's preview digest (pulumi/pulumi `sdk/pkg/display/json.go`, `PreviewDigest`): `steps[]`
 * with `op`, `urn`, `oldState`/`newState` (apitype.ResourceV3: `type`, `inputs`, `protect`, ...), `diffReasons`,
 * `replaceReasons` and `detailedDiff` (property path -> `{kind, inputDiff}`), plus `changeSummary` (op -> count).
 * Without `--show-sames` the CLI leaves unchanged resources out of `steps` (`shouldShow`), so "same" is counted from
 * `changeSummary`; without `--show-replacement-steps` a replacement is one logical `replace` step. Secrets arrive
 * as "[secret]" and only property paths are read here, never values.
 */
import { ruleFor, type ChangeAction, type ChangeSet, type ResourceChange } from "./changes";

/** A problem with the preview file: the plan command reports it and exits 2. */
export class PreviewError extends Error {}

interface PreviewState {
  type?: string;
  protect?: boolean;
}

interface PreviewStep {
  op: string;
  urn: string;
  oldState?: PreviewState;
  newState?: PreviewState;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }> | null;
}

interface PreviewDigest {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
}

/**
 * What each engine step op (pulumi/pulumi `pkg/resource/deploy/step.go`) means for the comment. The replacement
 * halves only appear with `--show-replacement-steps` and are folded into their logical `replace`; reads, refreshes
 * and discards change no infrastructure; an import starts managing something that exists (neither create nor
 * replace).
 */
const opActions: Readonly<Record<string, ChangeAction | "same" | "part-of-replace">> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "same",
  import: "import",
  "import-replacement": "part-of-replace",
  "create-replacement": "part-of-replace",
  "delete-replaced": "part-of-replace",
  "discard-replaced": "part-of-replace",
  read: "same",
  "read-replacement": "same",
  refresh: "same",
  discard: "same",
  "remove-pending-replace": "same",
};

/** `urn:pulumi:stack::project::a$b:c/d:E::name` -> `b:c/d:E`, when a step carries no state to read the type from. */
function typeFromUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

function changedPaths(step: PreviewStep): string[] {
  const detailed = Object.keys(step.detailedDiff ?? {});
  return [...new Set(detailed.length > 0 ? detailed : (step.diffReasons ?? []))].sort();
}

function replacingPaths(step: PreviewStep): string[] {
  const detailed = Object.entries(step.detailedDiff ?? {}).filter(([, diff]) => diff.kind.endsWith("-replace")).map(([path]) => path);
  return [...new Set(detailed.length > 0 ? detailed : (step.replaceReasons ?? []))].sort();
}

function asStep(value: unknown, index: number, file: string): PreviewStep {
  const step = value as Partial<PreviewStep> | null;
  if (step === null || typeof step !== "object" || typeof step.op !== "string" || typeof step.urn !== "string") {
    throw new PreviewError(`--from-preview ${file}: steps[${index}] has no op and urn; give the output of pulumi preview --json`);
  }
  if (!(step.op in opActions)) {
    throw new PreviewError(`--from-preview ${file}: steps[${index}] has op "${step.op}", which this command does not know (${Object.keys(opActions).join(", ")})`);
  }
  return step as PreviewStep;
}

/** Reads `pulumi preview --json` output into the change set `diffPlans` would give for the same change. */
export function previewChanges(text: string, file: string): ChangeSet {
  let digest: PreviewDigest;
  try {
    digest = JSON.parse(text) as PreviewDigest;
  } catch (err) {
    throw new PreviewError(`--from-preview ${file}: not JSON (${(err as Error).message}); give the output of pulumi preview --json`);
  }
  if (digest === null || typeof digest !== "object" || Array.isArray(digest) || (digest.steps !== undefined && !Array.isArray(digest.steps))) {
    throw new PreviewError(`--from-preview ${file}: not a preview digest (no steps list); give the output of pulumi preview --json`);
  }
  const steps = (digest.steps ?? []).map((step, i) => asStep(step, i, file));
  const changes = new Map<string, ResourceChange>();
  let sameSteps = 0;
  for (const step of steps) {
    const action = opActions[step.op];
    if (action === "same") sameSteps++;
    if (action === "same" || action === "part-of-replace") continue;
    const type = step.newState?.type ?? step.oldState?.type ?? typeFromUrn(step.urn);
    const changedInputs = action === "update" || action === "replace" ? changedPaths(step) : [];
    changes.set(step.urn, {
      urn: step.urn,
      type,
      action,
      changedInputs,
      replaceBecause: action === "replace" ? replacingPaths(step) : [],
      protect: Boolean(step.oldState?.protect || step.newState?.protect),
      stateful: ruleFor(type).stateful,
    });
  }
  const resources = [...changes.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const count = (action: ChangeAction): number => resources.filter((c) => c.action === action).length;
  return {
    summary: {
      create: count("create"),
      import: count("import"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      same: digest.changeSummary?.same ?? sameSteps,
    },
    resources,
  };
}
