/**
 * `--against OLD.json`: the earlier plan a change preview compares with. It must be a `--format json` plan of the
 * same project and stack, in this program's format version; anything else is refused (exit 2), since comparing
 * it would report changes that are not there or miss ones that are.
 */
import { blockedChanges, diffPlans, type ChangePreview } from "./changes";
import { PLAN_FORMAT_VERSION, type PlanDocument } from "./document";

/** A problem with the earlier plan: the plan command reports it and exits 2. */
export class AgainstError extends Error {}

export function parseEarlierPlan(text: string, file: string, project: string, stack: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AgainstError(`--against ${file}: not a plan document (${(err as Error).message}); give the output of npm run plan -- --stack ${stack} --format json`);
  }
  const plan = doc as Partial<PlanDocument> | null;
  if (plan === null || typeof plan !== "object" || !Array.isArray(plan.resources)) {
    throw new AgainstError(`--against ${file}: not a plan document (no resources list); give the output of npm run plan -- --stack ${stack} --format json`);
  }
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new AgainstError(
      `--against ${file}: plan format ${String(plan.formatVersion)}, this command compares format ${PLAN_FORMAT_VERSION}; re-plan the deployed commit with this version (git worktree add, then npm run plan -- --stack ${stack} --format json)`,
    );
  }
  if (plan.project !== project || plan.stack !== stack) {
    throw new AgainstError(`--against ${file}: a plan of ${String(plan.project)}/${String(plan.stack)}, not ${project}/${stack}; compare plans of the same stack`);
  }
  return plan as PlanDocument;
}

/** The `changes` section: what `after` changes relative to `before`, and what it may not change unacknowledged. */
export function changePreview(before: PlanDocument, after: PlanDocument, environment: "dev" | "prod", accepted: readonly string[]): ChangePreview {
  const changes = diffPlans(before, after);
  return { ...changes, blocked: blockedChanges(changes, after.stack, environment, accepted) };
}
