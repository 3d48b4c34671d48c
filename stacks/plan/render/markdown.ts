import type { PlanDocument } from "../document";
import { renderComment, type CommentInput } from "./comment";
import { lifecycleFlags, resourceTree, type TreeNode } from "./tree";
import { groupByPolicy } from "./violations";

const cell = (text: string): string => text.replace(/\|/g, "\\|");

function rows(node: TreeNode, depth: number): string[] {
  const r = node.resource;
  const row = `| ${"&nbsp;&nbsp;".repeat(depth)}\`${cell(r.name)}\` | \`${cell(r.type)}\` | ${cell(lifecycleFlags(r).join("; "))} |`;
  return [row, ...node.children.flatMap((c) => rows(c, depth + 1))];
}

/** Where a change set came from, and the earlier plan's cost and policy to compare with. */
export type ChangeContext = Omit<CommentInput, "plan">;

/**
 * With a change set (`--against`, `--from-preview`): the pull-request comment. Without: every resource, counts up
 * front and the full tree folded away.
 */
export function renderMarkdown(plan: PlanDocument, context: ChangeContext = { source: "plan" }): string {
  if (plan.changes) return renderComment({ ...context, plan: { ...plan, changes: plan.changes } });
  const out = [
    `### hybridlab plan: \`${plan.stack}\``,
    "",
    `**${plan.summary.resources}** resources would be registered${plan.summary.imports > 0 ? `, **${plan.summary.imports}** of them imported (adopted), not created` : ""}.`,
    "",
    "| type | count |",
    "| --- | ---: |",
    ...Object.entries(plan.summary.byType).map(([type, n]) => `| \`${cell(type)}\` | ${n} |`),
    "",
    "<details><summary>Resources</summary>",
    "",
    "| name | type | lifecycle |",
    "| --- | --- | --- |",
    ...resourceTree(plan.resources).flatMap((root) => rows(root, 0)),
    "",
    "</details>",
  ];
  const { cost, policy } = plan;
  out.push(
    "",
    `**Policy:** ${policy.mandatory === 0 ? "no mandatory violations" : `:x: ${policy.mandatory} mandatory violation(s)`}, ${policy.advisory} advisory.`,
  );
  if (policy.violations.length > 0) {
    out.push("", "| policy | level | resource | message |", "| --- | --- | --- | --- |");
    for (const [, violations] of groupByPolicy(policy.violations)) {
      for (const v of violations) out.push(`| \`${v.policy}\` | ${v.enforcementLevel} | ${cell(v.name ?? "(stack)")} | ${cell(v.message)} |`);
    }
  }
  out.push(
    "",
    `**Cost:** ${cost.total.toFixed(2)} ${cost.currency}/month, ${cost.budget === undefined ? "no budget (no paid node)" : `${cost.withinBudget ? "within" : "**over**"} the budget of ${cost.budget.toFixed(2)}`}.`,
    "",
    `| node | kind | size | ${cost.currency}/month |`,
    "| --- | --- | --- | ---: |",
    ...cost.nodes.map((n) => `| ${cell(n.node)} | ${n.kind} | ${cell(n.size)} | ${n.monthly.toFixed(2)} |`),
  );
  const outputs = Object.entries(plan.outputs);
  if (outputs.length > 0) {
    out.push("", "<details><summary>Outputs</summary>", "", "```json", JSON.stringify(plan.outputs, null, 2), "```", "", "</details>");
  }
  return `${out.join("\n")}\n`;
}
