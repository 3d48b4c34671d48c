/**
 * What every rule file shares: a typed way to declare a resource rule by type token, readers for the ownership
 * labels the program puts on resources, and the little parsing the rules need (ports, CIDRs, sizes).
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
import { LABEL_APP, LABEL_NODE, LABEL_ROLE, LABEL_STACK, roleTag } from "../../stacks/derive/labels";
import { ipv4ToInt, isIpv4, isIpv4Cidr } from "../../stacks/estate/net";

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

// ---- addresses ---------------------------------------------------------------------------------------------------

/** Sources that mean "anyone on the internet" in Hetzner, DigitalOcean and Azure rules. */
const worldSources = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "*", "internet", "any"]);

export function isWorld(source: string): boolean {
  return worldSources.has(source.trim().toLowerCase());
}

function ipv4Range(cidr: string): { first: number; last: number } | undefined {
  const [address, prefixText] = cidr.includes("/") ? cidr.split("/") : [cidr, "32"];
  if (!isIpv4(address) || !isIpv4Cidr(`${address}/${prefixText}`)) return undefined;
  const size = 2 ** (32 - Number(prefixText));
  const first = Math.floor(ipv4ToInt(address) / size) * size;
  return { first, last: first + size - 1 };
}

/** True when every address of `inner` lies in `outer` (IPv4 only; anything else compares as text). */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = ipv4Range(inner);
  const b = ipv4Range(outer);
  if (!a || !b) return inner === outer;
  return a.first >= b.first && a.last <= b.last;
}

/** RFC 1918, Tailscale's CGNAT range (RFC 6598), loopback and link-local: not reachable from the internet. */
const nonPublicRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"];

export function isPrivateSource(source: string): boolean {
  return nonPublicRanges.some((range) => cidrWithin(source, range)) || /^f[cd][0-9a-f]{2}:/i.test(source);
}

// ---- ports -------------------------------------------------------------------------------------------------------

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_PORTS: PortRange = { from: 1, to: 65535 };

/** "22", "8000-8100", "any", "all", "*" or absent (all ports) as a range; undefined when unparseable. */
export function parsePortRange(value: unknown): PortRange | undefined {
  if (value === undefined || value === null) return ALL_PORTS;
  const text = String(value).trim().toLowerCase();
  if (text === "" || text === "any" || text === "all" || text === "*") return ALL_PORTS;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const from = Number(match[1]);
  return { from, to: match[2] === undefined ? from : Number(match[2]) };
}

export function coversPort(range: PortRange, port: number): boolean {
  return range.from <= port && port <= range.to;
}

export function isAllPorts(range: PortRange): boolean {
  return range.from <= 1 && range.to >= 65535;
}

export function describeRange(range: PortRange): string {
  if (isAllPorts(range)) return "all ports";
  return range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
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
