/**
 * What every rule file shares: a typed way to declare a resource rule by type token, readers for the ownership
 * labels the program puts on resources, and the little parsing the rules need (sizes; ports and addresses have
 * their own files: ports.ts, firewalls.ts).
 *
 * Rules match resources by type token strings, never by provider SDK classes, so the pack installs only
 * `@pulumi/policy` and `@pulumi/pulumi`.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { LABEL_APP, LABEL_NODE, LABEL_ROLE, LABEL_STACK, roleTag } from "../../components/labels";

export { LABEL_APP, LABEL_NODE, LABEL_ROLE, LABEL_STACK };

/**
 * The role marker the hub carries, so rules can tell the hub from resource properties alone: a key/value label
 * (Hetzner `labels`, Azure `tags`) `hybridlab-role: hub`, or a plain tag (DigitalOcean) `role-hub`.
 */
export const HUB_ROLE = "hub";
export const HUB_TAG = roleTag(HUB_ROLE);

/** How the offline plan shows a secret value (the plan harness's SECRET); the engine shows the plain value. */
export const OFFLINE_SECRET = "[secret]";

export interface ResourceRule<P, C> {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Type tokens the rule reads, e.g. `docker:index/container:Container`. */
  readonly types: readonly string[];
  /** Where the rule comes from (CIS item, Checkov/KICS id, provider guidance). */
  readonly url?: string;
  readonly configSchema?: PolicyConfigSchema;
  readonly validate: (props: P, args: ResourceValidationArgs, report: ReportViolation, config: C) => void;
}

/** A ResourceValidationPolicy that runs only for the listed type tokens. */
export function resourceRule<P, C extends object = Record<string, never>>(rule: ResourceRule<P, C>): ResourceValidationPolicy {
  const { types, validate, ...policy } = rule;
  return {
    ...policy,
    validateResource: (args, report) => {
      if (!types.includes(args.type)) return;
      // The engine's props are plain JSON (an unknown-checking proxy): the typed view is only a reading aid.
      validate(args.props as P, args, report, args.getConfig<C>());
    },
  };
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::...`): the same under the CLI and offline. */
export function stackOf(urn: string): string {
  const qualified = urn.split("::")[0] ?? "";
  return qualified.startsWith("urn:pulumi:") ? qualified.slice("urn:pulumi:".length) : "";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Key/value labels: a map (Hetzner `labels`, Azure `tags`) or Docker's `[{label, value}]` list. */
export function labelMap(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    const entries = value.filter(isRecord).filter((l) => typeof l.label === "string" && typeof l.value === "string");
    return Object.fromEntries(entries.map((l) => [String(l.label), String(l.value)]));
  }
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** What a resource says about itself through `labels` and `tags`, whichever shape the provider uses. */
export interface Ownership {
  readonly labels: Record<string, string>;
  readonly tags: string[];
}

export function ownershipOf(props: { readonly labels?: unknown; readonly tags?: unknown }): Ownership {
  return { labels: { ...labelMap(props.tags), ...labelMap(props.labels) }, tags: stringList(props.tags) };
}

export function isHub(props: { readonly labels?: unknown; readonly tags?: unknown }): boolean {
  const { labels, tags } = ownershipOf(props);
  return labels[LABEL_ROLE] === HUB_ROLE || tags.includes(HUB_TAG);
}

/** The estate node a resource belongs to, from `hybridlab-node` or a `node-<name>` tag. */
export function nodeOf(props: { readonly labels?: unknown; readonly tags?: unknown }): string | undefined {
  const { labels, tags } = ownershipOf(props);
  return labels[LABEL_NODE] ?? tags.find((t) => t.startsWith("node-"))?.slice("node-".length);
}

// ---- sizes -------------------------------------------------------------------------------------------------------

const sizeUnits: Readonly<Record<string, number>> = { "": 1, K: 1 / (1024 * 1024), M: 1 / 1024, G: 1, T: 1024 };

/** A Proxmox size ("100G", "512M", "1T", or a bare number of GiB) in GiB; undefined when unparseable. */
export function sizeToGiB(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(value.trim());
  return match ? Number(match[1]) * sizeUnits[match[2].toUpperCase()] : undefined;
}

// ---- host paths --------------------------------------------------------------------------------------------------

/**
 * A host path as the kernel resolves it: duplicate slashes collapsed, `.` dropped, `..` applied (never above `/`),
 * no trailing slash. `//etc/./x/../` is `/etc`. Relative paths are read from `/`: Docker refuses them for binds, so
 * a rule only has to see where they would point. Symlinks are not followed: the rules cannot see the host.
 */
export function normalizeHostPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** True when binding `mounted` makes `target` visible: it is `target`, inside it, or one of its parents. */
export function exposesPath(mounted: string, target: string): boolean {
  const a = normalizeHostPath(mounted);
  const b = normalizeHostPath(target);
  const within = (inner: string, outer: string): boolean => outer === "/" || inner === outer || inner.startsWith(`${outer}/`);
  return within(a, b) || within(b, a);
}
