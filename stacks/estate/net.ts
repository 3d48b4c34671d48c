/**
 * Address arithmetic for the estate's checks and the policy pack: addresses and prefixes of both families, parsed
 * by ipaddr.js, and address *sets* (unions of prefixes) compared by what they contain, not how they are spelled:
 * 0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0. Pure; the policy pack imports it too.
 */
import ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

const familyBits: Readonly<Record<Family, number>> = { ipv4: 32, ipv6: 128 };

/** A strictly written address: IPv4 in four decimal parts (ipaddr.js alone would take "10.1" or "0x0a.0.0.1"). */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  // An IPv6 address with a zone ("fe80::1%eth0") names an interface, not a network a rule can hold.
  if (ipaddr.IPv6.isValid(text) && !text.includes("%")) return ipaddr.IPv6.parse(text);
  return undefined;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function fromBigInt(family: Family, value: bigint): string {
  const count = familyBits[family] / 8;
  const bytes = Array.from({ length: count }, (_, i) => Number((value >> BigInt(8 * (count - 1 - i))) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** An IPv6 address without prefix or zone (2001:db8::10). */
export function isIpv6(value: string): boolean {
  return !value.includes("%") && ipaddr.IPv6.isValid(value);
}

/** An address with its prefix length, as written, and the network it lies in. */
export interface Prefix {
  readonly family: Family;
  /** The address as written (host bits may be set). */
  readonly address: string;
  readonly prefix: number;
  /** First and last address of the network, as numbers. */
  readonly first: bigint;
  readonly last: bigint;
  /** The network in canonical form: "192.168.1.7/24" -> "192.168.1.0/24". */
  readonly network: string;
  /** True when the address is not the network's first address (e.g. 198.51.100.7/24). */
  readonly hostBitsSet: boolean;
}

/** "10.0.0.0/8", "2001:db8::/32"; with `bareAddress`, a lone address is its /32 or /128. Undefined if malformed. */
export function parsePrefix(text: string, options: { bareAddress?: boolean } = {}): Prefix | undefined {
  const parts = text.trim().split("/");
  if (parts.length > 2 || (parts.length === 1 && !options.bareAddress)) return undefined;
  const parsed = parseAddress(parts[0]);
  if (!parsed) return undefined;
  const family = parsed.kind();
  const bits = familyBits[family];
  if (parts.length === 2 && !/^(0|[1-9]\d{0,2})$/.test(parts[1])) return undefined;
  const prefix = parts.length === 2 ? Number(parts[1]) : bits;
  if (prefix > bits) return undefined;
  const value = toBigInt(parsed);
  const size = 1n << BigInt(bits - prefix);
  const first = (value / size) * size;
  return { family, address: parsed.toString(), prefix, first, last: first + size - 1n, network: `${fromBigInt(family, first)}/${prefix}`, hostBitsSet: value !== first };
}

/** "192.168.1.200/24" or "10.0.0.0/8": an IPv4 address with a prefix length. */
export function isIpv4Cidr(value: string): boolean {
  return parsePrefix(value)?.family === "ipv4";
}

/** An IPv4 or IPv6 address with a prefix length. */
export function isCidr(value: string): boolean {
  return parsePrefix(value) !== undefined;
}

export function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export interface Ipv4Cidr {
  address: string;
  prefix: number;
}

export function parseCidr(cidr: string): Ipv4Cidr {
  const [address, prefix] = cidr.split("/");
  return { address, prefix: Number(prefix) };
}

/** True when `ip` lies inside `cidr` and is neither its network nor its broadcast address (for /30 and wider). */
export function isHostInCidr(ip: string, cidr: string): boolean {
  const net = parsePrefix(cidr);
  const host = parsePrefix(ip, { bareAddress: true });
  if (!net || !host || host.family !== net.family) return false;
  const n = host.first;
  // IPv4 /31 and /32 have no network or broadcast address (RFC 3021); IPv6 has no broadcast at all.
  if (net.family === "ipv6" || net.prefix >= 31) return n >= net.first && n <= net.last;
  return n > net.first && n < net.last;
}

/** The CIDR's network address in canonical form: "192.168.1.7/24" -> "192.168.1.0/24". */
export function canonicalCidr(cidr: string): string {
  return parsePrefix(cidr)?.network ?? cidr;
}

// ---- address sets ------------------------------------------------------------------------------------------------

interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

/** A set of addresses of both families, each family a sorted list of disjoint, non-adjacent intervals. */
export interface AddressSet {
  readonly ipv4: readonly Interval[];
  readonly ipv6: readonly Interval[];
}

export const EMPTY_SET: AddressSet = { ipv4: [], ipv6: [] };

function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last && next.first <= last.last + 1n) out[out.length - 1] = { first: last.first, last: next.last > last.last ? next.last : last.last };
    else out.push(next);
  }
  return out;
}

/** The union of prefixes (anything with a family, first and last address). */
export function addressSet(prefixes: Iterable<Pick<Prefix, "family" | "first" | "last">>): AddressSet {
  const list = [...prefixes];
  const of = (family: Family): Interval[] => list.filter((p) => p.family === family).map(({ first, last }) => ({ first, last }));
  return { ipv4: merge(of("ipv4")), ipv6: merge(of("ipv6")) };
}

export function union(a: AddressSet, b: AddressSet): AddressSet {
  return { ipv4: merge([...a.ipv4, ...b.ipv4]), ipv6: merge([...a.ipv6, ...b.ipv6]) };
}

function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  let rest = [...from];
  for (const cut of remove) {
    rest = rest.flatMap((i) => {
      if (cut.last < i.first || cut.first > i.last) return [i];
      const parts: Interval[] = [];
      if (cut.first > i.first) parts.push({ first: i.first, last: cut.first - 1n });
      if (cut.last < i.last) parts.push({ first: cut.last + 1n, last: i.last });
      return parts;
    });
  }
  return rest;
}

/** Addresses of `a` that are not in `b`. */
export function subtract(a: AddressSet, b: AddressSet): AddressSet {
  return { ipv4: subtractIntervals(a.ipv4, b.ipv4), ipv6: subtractIntervals(a.ipv6, b.ipv6) };
}

export function isEmpty(set: AddressSet): boolean {
  return set.ipv4.length === 0 && set.ipv6.length === 0;
}

/** True when every address of `inner` is in `outer`. */
export function contains(outer: AddressSet, inner: AddressSet): boolean {
  return isEmpty(subtract(inner, outer));
}

/** True when the two sets share at least one address. */
export function overlaps(a: AddressSet, b: AddressSet): boolean {
  return !isEmpty(subtract(a, subtract(a, b)));
}

/** The fewest prefixes that make up the set, IPv4 first, each family in address order. */
export function toCidrs(set: AddressSet): string[] {
  const out: string[] = [];
  for (const family of ["ipv4", "ipv6"] as const) {
    const bits = familyBits[family];
    for (const { first, last } of set[family]) {
      let at = first;
      while (at <= last) {
        // The largest aligned block that starts at `at` and ends within the interval.
        let size = 1n;
        let prefix = bits;
        while (prefix > 0 && at % (size * 2n) === 0n && at + size * 2n - 1n <= last) {
          size *= 2n;
          prefix--;
        }
        out.push(`${fromBigInt(family, at)}/${prefix}`);
        at += size;
      }
    }
  }
  return out;
}

/** Every address of a family: what "0.0.0.0/0" and "::/0" mean. */
export const EVERYWHERE: AddressSet = addressSet([parsePrefix("0.0.0.0/0"), parsePrefix("::/0")].filter((p): p is Prefix => p !== undefined));

function setOf(cidrs: readonly string[]): AddressSet {
  return addressSet(cidrs.map((c) => parsePrefix(c)).filter((p): p is Prefix => p !== undefined));
}

/**
 * Addresses no internet host can have: private, shared (Tailscale's CGNAT), loopback, link-local, multicast and
 * reserved IPv4 (RFC 6890); for IPv6, everything outside global unicast 2000::/3 (RFC 4291). Documentation ranges
 * stay in: examples use them to stand for public addresses.
 */
const NOT_INTERNET: AddressSet = setOf([
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3",
  "::/3", "4000::/2", "8000::/1",
]);

/** The public internet of each family: what a firewall source must not cover for a port that stays closed. */
export const INTERNET: AddressSet = subtract(EVERYWHERE, NOT_INTERNET);

/** The families whose whole public internet `set` covers: the set "is the internet" for them. */
export function internetFamilies(set: AddressSet): Family[] {
  return (["ipv4", "ipv6"] as const).filter((family) => contains(set, { ...EMPTY_SET, [family]: INTERNET[family] }));
}

/** Whether an address (without prefix) is one an internet host can have (not private, CGNAT, loopback, ...). */
export function isInternetAddress(address: string): boolean {
  const prefix = parsePrefix(address, { bareAddress: true });
  return prefix !== undefined && contains(INTERNET, addressSet([prefix]));
}
