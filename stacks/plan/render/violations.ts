import type { PolicyViolation } from "../policy";

/** Violations grouped by the rule that raised them, mandatory rules first, in the report's order otherwise. */
export function groupByPolicy(violations: readonly PolicyViolation[]): Array<[string, PolicyViolation[]]> {
  const groups = new Map<string, PolicyViolation[]>();
  for (const v of violations) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
  return [...groups.entries()].sort(([, a], [, b]) => Number(a[0].enforcementLevel !== "mandatory") - Number(b[0].enforcementLevel !== "mandatory"));
}
