import type { CostReport } from "../../derive/cost";
import type { PlanDocument } from "../document";
import { changeTextLines } from "./changes";
import { groupByPolicy } from "./violations";
import { lifecycleFlags, resourceTree, type TreeNode } from "./tree";
import { outputTree } from "./outputs";

function lines(node: TreeNode, prefix: string, last: boolean, depth: number): string[] {
  const r = node.resource;
  const flags = lifecycleFlags(r);
  const label = `${r.name}  (${r.type})${flags.length ? `  [${flags.join("; ")}]` : ""}`;
  const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
  const childPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
  return [prefix + branch + label, ...node.children.flatMap((c, i) => lines(c, childPrefix, i === node.children.length - 1, depth + 1))];
}

/** "within the budget of 40.00", "OVER the budget of 5.00", or that there is none (nothing is paid). */
function budgetVerdict(cost: CostReport): string {
  return cost.budget === undefined ? "no budget (no paid node)" : `${cost.withinBudget ? "within" : "OVER"} the budget of ${cost.budget.toFixed(2)}`;
}

/** A readable tree: the changes (with --against), the stack, then each node's and app's component with the resources it owns. */
export function renderText(plan: PlanDocument): string {
  const imports = plan.summary.imports > 0 ? ` (${plan.summary.imports} imported, not created)` : "";
  const out = [`hybridlab plan: stack ${plan.stack}, ${plan.summary.resources} resources${imports}`, ""];
  if (plan.changes) out.push(...changeTextLines(plan.changes, plan), "");
  for (const root of resourceTree(plan.resources)) out.push(...lines(root, "", true, 0));
  if (Object.keys(plan.outputs).length > 0) {
    out.push("", "Outputs:");
    out.push(...outputTree(plan.outputs));
  }
  const { cost, policy } = plan;
  out.push("", `Cost per month (${cost.currency}):`);
  for (const node of cost.nodes) out.push(`  ${node.node.padEnd(16)} ${node.kind.padEnd(13)} ${node.size.padEnd(28)} ${node.monthly.toFixed(2).padStart(8)}`);
  out.push(`  ${"total".padEnd(59)} ${cost.total.toFixed(2).padStart(8)}  ${budgetVerdict(cost)}`);
  out.push("", `Policy: ${policy.mandatory} mandatory, ${policy.advisory} advisory violation${policy.mandatory + policy.advisory === 1 ? "" : "s"}`);
  for (const [rule, violations] of groupByPolicy(policy.violations)) {
    out.push(`  ${rule} (${violations[0].enforcementLevel})`);
    for (const v of violations) out.push(`    - ${v.name ? `${v.name}: ` : ""}${v.message}`);
  }
  return `${out.join("\n")}\n`;
}
