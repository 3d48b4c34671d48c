import type { PlanDocument } from "../document";
import { lifecycleFlags, resourceTree, type TreeNode } from "./tree";

function lines(node: TreeNode, prefix: string, last: boolean, depth: number): string[] {
  const r = node.resource;
  const flags = lifecycleFlags(r);
  const label = `${r.name}  (${r.type})${flags.length ? `  [${flags.join("; ")}]` : ""}`;
  const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
  const childPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
  return [prefix + branch + label, ...node.children.flatMap((c, i) => lines(c, childPrefix, i === node.children.length - 1, depth + 1))];
}

/** A readable tree: the stack, then each node's and app's component with the resources it owns. */
export function renderText(plan: PlanDocument): string {
  const out = [`hybridlab plan: stack ${plan.stack}, ${plan.summary.resources} resources`, ""];
  for (const root of resourceTree(plan.resources)) out.push(...lines(root, "", true, 0));
  const outputs = Object.entries(plan.outputs);
  if (outputs.length > 0) {
    out.push("", "Outputs:");
    for (const [key, value] of outputs) out.push(`  ${key}: ${JSON.stringify(value)}`);
  }
  return `${out.join("\n")}\n`;
}
