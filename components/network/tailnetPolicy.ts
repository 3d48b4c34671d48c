/**
 * The shape of a Tailscale policy file as this library writes it, and its rendering: a pure module, so the text
 * the TailnetAcl component applies can be computed and tested without Pulumi.
 * https://tailscale.com/kb/1337/policy-syntax
 */

export interface TailnetAclRule {
  readonly action: "accept";
  readonly src: readonly string[];
  readonly dst: readonly string[];
}

export interface TailnetAclTest {
  readonly src: string;
  /** Destinations (`tag:<tag>:<port>`) `src` must reach; absent when none. */
  readonly accept?: readonly string[];
  /** Destinations `src` must not reach; absent when none. */
  readonly deny?: readonly string[];
}

export interface TailnetPolicy {
  /** People by group (`group:<name>` -> login emails); absent when the estate names none. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  readonly tagOwners: Readonly<Record<string, readonly string[]>>;
  readonly acls: readonly TailnetAclRule[];
  readonly tests: readonly TailnetAclTest[];
}

/** Sorts object keys at every level, so the same policy is always the same text. Arrays keep their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(obj).sort().map((key) => [key, canonical(obj[key])]));
}

/** The policy file as JSON (valid HuJSON), keys sorted, two-space indented, newline-terminated. */
export function renderTailnetAcl(policy: TailnetPolicy): string {
  return `${JSON.stringify(canonical(policy), null, 2)}\n`;
}
