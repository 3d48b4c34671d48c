import type { PlanResource } from "../document";

export interface TreeNode {
  resource: PlanResource;
  children: TreeNode[];
}

/** Resources as a parent/child forest (the stack is the usual single root). */
export function resourceTree(resources: readonly PlanResource[]): TreeNode[] {
  const nodes = new Map(resources.map((r) => [r.urn, { resource: r, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = nodes.get(node.resource.parent);
    (parent ? parent.children : roots).push(node);
  }
  // By name first, so a node's machine, tailnet key and app containers sit together; type breaks ties.
  const order = (a: TreeNode, b: TreeNode): number =>
    a.resource.name.localeCompare(b.resource.name) || a.resource.type.localeCompare(b.resource.type);
  for (const node of nodes.values()) node.children.sort(order);
  return roots.sort(order);
}

/** `import <id>`, `protect`, `retain`, `ignore: a, b` — the lifecycle settings a reviewer should notice. */
export function lifecycleFlags(r: PlanResource): string[] {
  return [
    ...(r.import === undefined ? [] : [`import ${r.import}`]),
    ...(r.protect ? ["protect"] : []),
    ...(r.retainOnDelete ? ["retainOnDelete"] : []),
    ...(r.ignoreChanges.length > 0 ? [`ignoreChanges: ${r.ignoreChanges.join(", ")}`] : []),
  ];
}
