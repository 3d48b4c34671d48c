/**
 * Cross-reference problems for a config that also has shape problems, so a user sees both in one round. The rules
 * run on what did parse: an entry of `proxmox`, `nodes` or `apps` with a shape problem is left out, and so is an
 * unknown top-level key. Leaving an entry out could make the rules report its absence ("unknown node", "no node has
 * role hub"), so every rule problem that names a left-out entry, or its kind or role, is held back for the next
 * round: when in doubt, say nothing rather than something false.
 */
import type { z } from "zod";
import { estateSchema, type Estate } from "./schema";
import type { EstateProblem } from "./rules";

/** Sections whose entries stand alone: one bad entry does not make the others unreadable. */
const sections = new Set<PropertyKey>(["proxmox", "nodes", "apps"]);

/** Keys no rule reads, or reads only for itself: a bad one is left to its default. */
const standalone = new Set<PropertyKey>(["access", "sshPrivateKey"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Words a problem about a left-out entry would use: its name, and its kind and role. */
function mentions(entry: string, value: unknown): string[] {
  const words = [entry];
  if (isObject(value)) {
    for (const field of ["kind", "role"]) if (typeof value[field] === "string") words.push(value[field] as string);
  }
  return words;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The rule problems of `raw` apart from its shape `issues`, or none when a key the rules need (environment,
 * operators, dns, ...) is itself malformed.
 */
export function problemsBesideShape(raw: Readonly<Record<string, unknown>>, issues: readonly z.core.$ZodIssue[], rules: (estate: Estate) => EstateProblem[]): EstateProblem[] {
  const pruned: Record<string, unknown> = structuredClone({ ...raw });
  const held: string[] = [];
  // DNS records are derived from the apps and the hub: with an entry of either left out, DNS problems may be false.
  let dnsInDoubt = false;
  for (const issue of issues) {
    const [head, entry] = issue.path;
    if (head === undefined && issue.code === "unrecognized_keys") {
      issue.keys.forEach((key) => delete pruned[key]);
    } else if (sections.has(head ?? "") && typeof entry === "string" && isObject(pruned[String(head)])) {
      const section = pruned[String(head)] as Record<string, unknown>;
      held.push(...mentions(entry, section[entry]));
      delete section[entry];
      dnsInDoubt = true;
    } else if (head !== undefined && standalone.has(head)) {
      delete pruned[String(head)];
    } else {
      return [];
    }
  }
  const parsed = estateSchema.safeParse(pruned);
  if (!parsed.success) return [];
  const heldBack = held.map((word) => new RegExp(`(^|[^a-z0-9-])${escape(word)}([^a-z0-9-]|$)`));
  return rules(parsed.data).filter((problem) => !heldBack.some((word) => word.test(problem.message)) && !(dnsInDoubt && problem.path[0] === "dns"));
}
