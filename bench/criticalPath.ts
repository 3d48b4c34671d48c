/**
 * The deploy's critical path, from what a plan records: the longest chain of resources the engine must create one
 * after another. A resource starts once everything it waits for is done:
 * - its recorded dependencies (explicit `dependsOn`, expanded by the SDK to a component's resources, and the
 *   resources its inputs reference);
 * - its provider, when it names one explicitly;
 * - its parent: the SDK registers a child only once the parent's URN is known, and it learns a component's URN only
 *   after the component's own `dependsOn` are done, so a component's waits pass to all its children.
 * Components and providers take no time themselves (a provider only holds settings); every other custom resource
 * counts as one step.
 */
import type { RecordedResource } from "../stacks/plan/harness";

export type GraphResource = Pick<RecordedResource, "urn" | "type" | "parent" | "dependsOn" | "custom" | "provider">;

export interface CriticalPath {
  /** Steps (custom resources other than providers) on the longest chain. */
  readonly depth: number;
  /** That chain, first to last, as `type name`. */
  readonly chain: string[];
}

/** The URN part of a provider reference (`urn::id`). */
function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

function isStep(r: GraphResource): boolean {
  return r.custom && !r.type.startsWith("pulumi:providers:");
}

export function criticalPath(resources: readonly GraphResource[]): CriticalPath {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const waitsFor = (r: GraphResource): string[] =>
    [...r.dependsOn, ...(r.parent ? [r.parent] : []), ...(r.provider ? [providerUrn(r.provider)] : [])].filter((urn) => byUrn.has(urn));
  // Longest finish depth per resource and the predecessor that set it, memoized; the graph is acyclic (the engine
  // would refuse a cycle), but a malformed input must not loop forever.
  const depth = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  const visiting = new Set<string>();
  const finish = (urn: string): number => {
    const known = depth.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`criticalPath: dependency cycle through ${urn}`);
    visiting.add(urn);
    const r = byUrn.get(urn) as GraphResource;
    let best = 0;
    let from: string | undefined;
    for (const dep of waitsFor(r)) {
      const d = finish(dep);
      if (d > best || (d === best && from !== undefined && dep < from)) [best, from] = [d, dep];
    }
    visiting.delete(urn);
    const own = best + (isStep(r) ? 1 : 0);
    depth.set(urn, own);
    via.set(urn, from);
    return own;
  };
  let end: string | undefined;
  for (const r of resources) {
    const d = finish(r.urn);
    if (end === undefined || d > (depth.get(end) ?? 0) || (d === depth.get(end) && r.urn < end)) end = r.urn;
  }
  const chain: string[] = [];
  for (let urn = end; urn !== undefined; urn = via.get(urn)) {
    const r = byUrn.get(urn) as GraphResource;
    if (isStep(r)) chain.unshift(`${r.type} ${r.urn.slice(r.urn.lastIndexOf("::") + 2)}`);
  }
  return { depth: end === undefined ? 0 : (depth.get(end) ?? 0), chain };
}
