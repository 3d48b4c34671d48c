/** The change preview as text and markdown lines: what a reviewer reads first. */
import type { BlockedChange, ChangePreview, ResourceChange } from "../changes";
import type { PlanDocument } from "../document";

/** "1 to create, 2 to import, 2 to update, 0 to replace, 0 to delete (230 unchanged)" (imports only when there are any) */
export function changeSummary(changes: ChangePreview): string {
  const { create, import: adopt, update, replace, delete: del, same } = changes.summary;
  return `${create} to create, ${adopt > 0 ? `${adopt} to import, ` : ""}${update} to update, ${replace} to replace, ${del} to delete (${same} unchanged)`;
}

/** Replacements and deletions (what loses something) first, then creations and updates, each in URN order. */
export function partitionChanges(changes: ChangePreview): { destructive: ResourceChange[]; other: ResourceChange[] } {
  const destructive = changes.resources.filter((c) => c.action === "replace" || c.action === "delete");
  return { destructive, other: changes.resources.filter((c) => !destructive.includes(c)) };
}

/** The facts a reviewer weighs next to an action: why, what is lost, what stands in the way. */
export function changeNotes(change: ResourceChange, plan: PlanDocument): string[] {
  const deleteFirst = change.action === "replace" && plan.resources.find((r) => r.urn === change.urn)?.deleteBeforeReplace;
  return [
    ...(change.action === "replace" ? [`because ${change.replaceBecause.join(", ")}`] : []),
    ...(change.action === "update" ? [`changes ${change.changedInputs.join(", ")}`] : []),
    ...(change.stateful ? ["stateful"] : []),
    ...(change.protect ? ["protected"] : []),
    ...(deleteFirst ? ["deleted before its replacement is created"] : []),
  ];
}

const blockedLine = (b: BlockedChange): string => `  - ${b.message}`;

export function changeTextLines(changes: ChangePreview, plan: PlanDocument): string[] {
  const { destructive, other } = partitionChanges(changes);
  const line = (c: ResourceChange): string => `  ${c.action.padEnd(8)} ${c.urn}${changeNotes(c, plan).length ? `  [${changeNotes(c, plan).join("; ")}]` : ""}`;
  return [
    `Changes: ${changeSummary(changes)}`,
    ...(changes.blocked.length > 0 ? ["", `Blocked (exit 1) until acknowledged with --accept-replace:`, ...changes.blocked.map(blockedLine)] : []),
    ...(destructive.length > 0 ? ["", "Replacements and deletions:", ...destructive.map(line)] : []),
    ...(other.length > 0 ? ["", "Other changes:", ...other.map(line)] : []),
  ];
}
