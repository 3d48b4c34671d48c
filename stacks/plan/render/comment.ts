/**
 * The pull-request comment: what a change does to one stack, destructive changes first, the rest folded, with the
 * cost and policy deltas. The same text whether the changes come from the offline plan (`--against`) or from a
 * real `pulumi preview --json` (`--from-preview`). Only URNs, types and input paths are shown, never input values,
 * so no secret can reach a comment.
 */
import type { CostReport } from "../../derive/cost";
import type { ChangePreview, ResourceChange } from "../changes";
import type { PlanDocument } from "../document";
import type { PolicyReport, PolicyViolation } from "../policy";
import { changeNotes, partitionChanges } from "./changes";

/**
 * GitHub refuses a comment body over 65,536 characters. The sticky-comment action adds its marker
 * (`<!-- Sticky Pull Request Comment... -->`) and the comment may hold multi-byte characters, so the body is held
 * under this many UTF-8 bytes, which is never fewer than its characters.
 */
export const COMMENT_LIMIT = 65_000;

export interface CommentInput {
  /** The plan as the program now stands: the stack, its cost and policy sections, each resource's lifecycle. */
  readonly plan: PlanDocument & { changes: ChangePreview };
  /** The earlier plan's cost and policy (with `--against`); without it the comment shows the current ones only. */
  readonly earlier?: { readonly cost: CostReport; readonly policy: PolicyReport };
  /** Where the changes were computed, said once at the end. */
  readonly source: "plan" | "preview";
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const money = (amount: number): string => amount.toFixed(2);
const signed = (amount: number): string => `${amount < 0 ? "−" : "+"}${money(Math.abs(amount))}`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function costSummary(after: CostReport, before: CostReport | undefined): string {
  const over = after.withinBudget || after.budget === undefined ? "" : ` (**over** the budget of ${money(after.budget)})`;
  if (!before || before.currency !== after.currency) return `${money(after.total)} ${after.currency}/month${over}`;
  return `${money(before.total)} → ${money(after.total)} ${after.currency}/month (${signed(after.total - before.total)})${over}`;
}

const violationKey = (v: PolicyViolation): string => `${v.policy}\u0000${v.urn ?? ""}\u0000${v.message}`;

function policyDelta(after: PolicyReport, before: PolicyReport | undefined): { added: PolicyViolation[]; removed: PolicyViolation[] } {
  if (!before) return { added: after.violations, removed: [] };
  const old = new Set(before.violations.map(violationKey));
  const now = new Set(after.violations.map(violationKey));
  return { added: after.violations.filter((v) => !old.has(violationKey(v))), removed: before.violations.filter((v) => !now.has(violationKey(v))) };
}

function policySummary(after: PolicyReport, before: PolicyReport | undefined): string {
  const mandatory = after.mandatory > 0 ? `:x: ${plural(after.mandatory, "mandatory violation")}` : "no mandatory violation";
  if (!before) return `policy: ${mandatory}, ${after.advisory} advisory`;
  const { added, removed } = policyDelta(after, before);
  return `policy: ${added.length} added, ${removed.length} removed (${mandatory})`;
}

/** The first line: counts, cost and policy, so a reviewer sees the stakes without scrolling. */
export function commentSummary(input: CommentInput): string {
  const { stack, changes, cost, policy } = input.plan;
  const { create, import: adopt, update, replace, delete: del } = changes.summary;
  const replaced = replace > 0 ? `**${replace} to replace**` : `${replace} to replace`;
  const deleted = del > 0 ? `**${del} to delete**` : `${del} to delete`;
  const imported = adopt > 0 ? `${adopt} to import, ` : "";
  return `**\`${stack}\`**: ${create} to create, ${imported}${update} to update, ${replaced}, ${deleted} · ${costSummary(cost, input.earlier?.cost)} · ${policySummary(policy, input.earlier?.policy)}`;
}

function changeRows(list: readonly ResourceChange[], plan: PlanDocument): string[] {
  return [
    "| action | resource | type | notes |",
    "| --- | --- | --- | --- |",
    ...list.map((c) => `| ${c.action} | \`${cell(c.urn.split("::").pop() ?? c.urn)}\` | \`${cell(c.type)}\` | ${cell(changeNotes(c, plan).join("; "))} |`),
  ];
}

/** The creations and updates folded as counts per type and action: what stays when the full table is too long. */
function countRows(list: readonly ResourceChange[]): string[] {
  const counts = new Map<string, number>();
  for (const c of list) counts.set(`| ${c.action} | \`${cell(c.type)}\``, (counts.get(`| ${c.action} | \`${cell(c.type)}\``) ?? 0) + 1);
  return ["| action | type | count |", "| --- | --- | ---: |", ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([row, n]) => `${row} | ${n} |`)];
}

function details(summary: string, body: readonly string[]): string[] {
  return [`<details><summary>${summary}</summary>`, "", ...body, "", "</details>"];
}

/** Violation tables stop at this many rows, so a broken estate cannot push the changes out of the comment. */
const VIOLATION_ROWS = 50;

function violationRows(list: readonly PolicyViolation[]): string[] {
  const more = list.length - VIOLATION_ROWS;
  return [
    "| policy | level | resource | message |",
    "| --- | --- | --- | --- |",
    ...list.slice(0, VIOLATION_ROWS).map((v) => `| \`${v.policy}\` | ${v.enforcementLevel} | ${cell(v.name ?? "(stack)")} | ${cell(v.message)} |`),
    ...(more > 0 ? ["", `and ${more} more: see the plan's policy section.`] : []),
  ];
}

function policySection(input: CommentInput): string[] {
  const { added, removed } = policyDelta(input.plan.policy, input.earlier?.policy);
  const addedTitle = input.earlier ? "Policy violations added" : "Policy violations";
  return [
    ...(added.length > 0 ? ["", ...(added.some((v) => v.enforcementLevel === "mandatory") ? [`**${addedTitle}:**`, "", ...violationRows(added)] : details(`${addedTitle} (${added.length})`, violationRows(added)))] : []),
    ...(removed.length > 0 ? ["", ...details(`Policy violations removed (${removed.length})`, violationRows(removed))] : []),
  ];
}

function costSection(input: CommentInput): string[] {
  const after = input.plan.cost;
  const before = input.earlier?.cost.currency === after.currency ? input.earlier.cost : undefined;
  const old = new Map((before?.nodes ?? []).map((n) => [n.node, n]));
  const now = new Map(after.nodes.map((n) => [n.node, n]));
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changed = before ? names.filter((name) => old.get(name)?.size !== now.get(name)?.size || old.get(name)?.monthly !== now.get(name)?.monthly) : names;
  if (changed.length === 0) return [];
  const size = (n: { size: string } | undefined): string => (n ? cell(n.size) : "—");
  const amount = (n: { monthly: number } | undefined): string => (n ? money(n.monthly) : "—");
  const rows = before
    ? ["| node | size before | size after | before | after |", "| --- | --- | --- | ---: | ---: |", ...changed.map((name) => `| ${cell(name)} | ${size(old.get(name))} | ${size(now.get(name))} | ${amount(old.get(name))} | ${amount(now.get(name))} |`)]
    : [`| node | size | ${after.currency}/month |`, "| --- | --- | ---: |", ...changed.map((name) => `| ${cell(name)} | ${size(now.get(name))} | ${amount(now.get(name))} |`)];
  return ["", ...details(before ? `Cost changes (${after.currency}/month)` : `Cost (${after.currency}/month)`, rows)];
}

function footer(input: CommentInput): string {
  const how = input.source === "preview" ? "`pulumi preview --json`, read by `npm run plan -- --from-preview`" : "the offline plan, `npm run plan -- --against`";
  return `<sub>Changes from ${how}; cost and policy from the estate. Unchanged resources are omitted; input values are never shown.</sub>`;
}

function assemble(input: CommentInput, destructive: readonly ResourceChange[], folded: readonly string[], truncatedNote: string[]): string {
  const { plan } = input;
  const blocked = plan.changes.blocked;
  const out = [
    commentSummary(input),
    ...(blocked.length > 0
      ? ["", `:x: **${blocked.length} blocked** until acknowledged with \`--accept-replace\`:`, "", ...blocked.map((b) => `- ${cell(b.message)}`)]
      : []),
    ...(destructive.length > 0 ? ["", "**Replacements and deletions:**", "", ...changeRows(destructive, plan)] : []),
    ...truncatedNote,
    ...folded,
    ...policySection(input),
    ...costSection(input),
    "",
    footer(input),
  ];
  return `${out.join("\n")}\n`;
}

const fits = (text: string): boolean => Buffer.byteLength(text, "utf8") <= COMMENT_LIMIT;

/**
 * Renders the comment within COMMENT_LIMIT: in full; else with creations and updates as counts per type; else with
 * as many replacements and deletions as fit and a note naming how many more there are and where to see them all.
 */
export function renderComment(input: CommentInput): string {
  const { destructive, other } = partitionChanges(input.plan.changes);
  const imports = other.filter((c) => c.action === "import").length;
  const otherTitle = `${plural(other.filter((c) => c.action === "create").length, "creation")}${imports > 0 ? `, ${plural(imports, "import")}` : ""} and ${plural(other.filter((c) => c.action === "update").length, "update")}`;
  const full = other.length > 0 ? ["", ...details(otherTitle, changeRows(other, input.plan))] : [];
  const whole = assemble(input, destructive, full, []);
  if (fits(whole)) return whole;
  const counted = other.length > 0 ? ["", ...details(`${otherTitle} (too many to list: counts per type)`, countRows(other))] : [];
  const compact = assemble(input, destructive, counted, []);
  if (fits(compact)) return compact;
  const note = (shown: number): string[] => [
    "",
    `:warning: ${destructive.length - shown} more replacements and deletions are not shown (GitHub's comment limit); run \`npm run plan -- --stack ${input.plan.stack} --format text\` with the same arguments, or read the workflow's plan artifact, for all of them.`,
  ];
  // Binary search for the most rows that fit; the rest of the comment is small and bounded.
  let low = 0;
  let high = destructive.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(assemble(input, destructive.slice(0, mid), counted, note(mid)))) low = mid;
    else high = mid - 1;
  }
  return assemble(input, destructive.slice(0, low), counted, note(low));
}
