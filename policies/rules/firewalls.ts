/**
 * Inbound firewall rules of Hetzner, DigitalOcean and Azure, read into one model and evaluated as the provider
 * does: sources as address sets, ports as port sets, Azure's deny rules taking precedence by priority. A port is
 * "open to the internet" when the sources that reach it, together, cover every public address of a family.
 */
import {
  addressSet,
  EMPTY_SET,
  EVERYWHERE,
  INTERNET,
  internetFamilies,
  isEmpty,
  parsePrefix,
  subtract,
  union,
  type AddressSet,
} from "../../stacks/estate/net";
import { ALL_PORTS, coversPort, parsePorts, portSet, type PortRange, type PortSet } from "./ports";
import { stringList } from "./shared";

export const HCLOUD_FIREWALL = "hcloud:index/firewall:Firewall";
export const DO_FIREWALL = "digitalocean:index/firewall:Firewall";
export const AZURE_NSG = "azure-native:network:NetworkSecurityGroup";
export const AZURE_SECURITY_RULE = "azure-native:network:SecurityRule";

export const firewallTypes = [HCLOUD_FIREWALL, DO_FIREWALL, AZURE_NSG, AZURE_SECURITY_RULE];

export type Protocol = "tcp" | "udp";

export interface Source {
  /** As written, for messages. */
  readonly text: string;
  readonly set: AddressSet;
}

/** One inbound rule, whatever the provider calls its fields. */
export interface InboundEntry {
  readonly action: "allow" | "deny";
  /** Azure's priority (lower wins); Hetzner and DigitalOcean rules only allow, so order does not matter there. */
  readonly priority: number;
  readonly protocols: readonly Protocol[];
  readonly ports: PortSet;
  readonly sources: readonly Source[];
  /** Where the rule sits in the resource's inputs: "rules[2]", or "the rule" for a standalone Azure rule. */
  readonly at: string;
}

/** Words for "any source": Azure's `*` and `Internet` service tag, and `any`; a bare 0.0.0.0 as some tools write it. */
const anyWords = new Set(["*", "any", "internet", "0.0.0.0"]);

/**
 * A source as the addresses it stands for. Azure service tags (VirtualNetwork, AzureLoadBalancer, ...) and other
 * names (DigitalOcean tags, application security groups) are not internet addresses: the empty set.
 */
export function sourceSet(text: string): AddressSet {
  if (anyWords.has(text.trim().toLowerCase())) return EVERYWHERE;
  // A host-bits-set prefix is widened to its network, as the providers apply it.
  const prefix = parsePrefix(text, { bareAddress: true });
  return prefix ? addressSet([prefix]) : EMPTY_SET;
}

const sources = (texts: unknown[]): Source[] => texts.filter((t): t is string => typeof t === "string").map((text) => ({ text, set: sourceSet(text) }));

function protocolsOf(value: unknown): Protocol[] {
  const p = String(value ?? "*").toLowerCase();
  if (p === "tcp" || p === "udp") return [p];
  return p === "*" || p === "any" || p === "all" ? ["tcp", "udp"] : [];
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);

function azureEntries(rules: unknown[], prefix: string): InboundEntry[] {
  return rules.flatMap((r, i) => {
    if (String(field(r, "direction")).toLowerCase() !== "inbound") return [];
    const ranges = [field(r, "destinationPortRange"), ...stringList(field(r, "destinationPortRanges"))].filter((p) => p !== undefined);
    const ports = portSet((ranges.length > 0 ? ranges : [undefined]).flatMap((range) => parsePorts(range) ?? ALL_PORTS));
    return [
      {
        action: String(field(r, "access")).toLowerCase() === "allow" ? "allow" : "deny",
        priority: Number(field(r, "priority") ?? 4096),
        protocols: protocolsOf(field(r, "protocol")),
        ports,
        sources: sources([field(r, "sourceAddressPrefix"), ...list(field(r, "sourceAddressPrefixes"))]),
        at: prefix === "" ? "the rule" : `${prefix}[${i}]`,
      } satisfies InboundEntry,
    ];
  });
}

/** Every inbound rule of a firewall-like resource. */
export function inboundEntries(type: string, props: Record<string, unknown>): InboundEntry[] {
  const allow = { action: "allow", priority: 0 } as const;
  switch (type) {
    case HCLOUD_FIREWALL:
      return list(props.rules).flatMap((r, i) =>
        field(r, "direction") !== "in"
          ? []
          : [{ ...allow, protocols: protocolsOf(field(r, "protocol")), ports: parsePorts(field(r, "port")) ?? ALL_PORTS, sources: sources(list(field(r, "sourceIps"))), at: `rules[${i}]` }],
      );
    case DO_FIREWALL:
      // Droplet, tag, load balancer and Kubernetes sources are DigitalOcean's own machines, not the internet.
      return list(props.inboundRules).map((r, i) => ({
        ...allow,
        protocols: protocolsOf(field(r, "protocol")),
        ports: parsePorts(field(r, "portRange"), { zeroMeansAll: true }) ?? ALL_PORTS,
        sources: sources(list(field(r, "sourceAddresses"))),
        at: `inboundRules[${i}]`,
      }));
    case AZURE_NSG:
      return azureEntries(list(props.securityRules), "securityRules");
    case AZURE_SECURITY_RULE:
      return azureEntries([props], "");
    default:
      return [];
  }
}

/** The sources through which the internet reaches `port` over `protocol`, after deny rules that come first. */
function reachingSources(entries: readonly InboundEntry[], protocol: Protocol, port: number): Array<Source & { at: string }> {
  let denied = EMPTY_SET;
  const reaching: Array<Source & { at: string }> = [];
  for (const entry of [...entries].sort((a, b) => a.priority - b.priority)) {
    if (!entry.protocols.includes(protocol) || !coversPort(entry.ports, port)) continue;
    const here = entry.sources.reduce((acc, s) => union(acc, s.set), EMPTY_SET);
    if (entry.action === "deny") {
      denied = union(denied, here);
      continue;
    }
    for (const source of entry.sources) {
      const set = subtract(subtract(source.set, denied), subtract(EVERYWHERE, INTERNET));
      if (!isEmpty(set)) reaching.push({ text: source.text, set, at: entry.at });
    }
  }
  return reaching;
}

/** "0.0.0.0/0 in rules[1]" for each source that opens `port` to the whole internet; empty when it stays closed. */
export function internetOpenings(entries: readonly InboundEntry[], port: number): string[] {
  const found = (["tcp", "udp"] as const).flatMap((protocol) => {
    const reaching = reachingSources(entries, protocol, port);
    const all = reaching.reduce((acc, s) => union(acc, s.set), EMPTY_SET);
    return internetFamilies(all).length > 0 ? reaching.map((s) => `${s.text} in ${s.at}`) : [];
  });
  return [...new Set(found)];
}

/** Every source that reaches `port` from public addresses, each with the public addresses it lets in. */
export function publicSources(entries: readonly InboundEntry[], port: number): Array<{ text: string; at: string; set: AddressSet }> {
  return (["tcp", "udp"] as const).flatMap((protocol) => reachingSources(entries, protocol, port));
}

/** The ports the whole internet reaches, per protocol, and the rules that open them. */
export function internetPorts(entries: readonly InboundEntry[]): { ports: PortSet; openings: string[] } {
  // Between two range boundaries every port is treated alike, so one port stands for each stretch.
  const bounds = [...new Set(entries.flatMap((e) => e.ports.flatMap((r) => [r.from, r.to + 1])).concat([0, 65536]))].sort((a, b) => a - b);
  const open: PortRange[] = [];
  const openings = new Set<string>();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const stretch = { from: bounds[i], to: bounds[i + 1] - 1 };
    const found = internetOpenings(entries, stretch.from);
    if (found.length === 0) continue;
    open.push(stretch);
    found.forEach((f) => openings.add(f));
  }
  return { ports: portSet(open), openings: [...openings] };
}
