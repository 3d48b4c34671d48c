/** IPv4 arithmetic for the estate's address checks. Pure; no dependency needed for /0../32 maths. */

const octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const ipv4Pattern = new RegExp(`^${octet}(\\.${octet}){3}$`);

export function isIpv4(value: string): boolean {
  return ipv4Pattern.test(value);
}

/** "192.168.1.200/24" or "10.0.0.0/8": an address with a prefix length. */
export function isIpv4Cidr(value: string): boolean {
  const [ip, prefix, ...rest] = value.split("/");
  return rest.length === 0 && isIpv4(ip) && /^(3[0-2]|[12]?\d)$/.test(prefix ?? "");
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

function networkBounds(cidr: string): { first: number; last: number } {
  const { address, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipv4ToInt(address) / size) * size;
  return { first, last: first + size - 1 };
}

/** True when `ip` lies inside `cidr` and is neither its network nor its broadcast address (for /30 and wider). */
export function isHostInCidr(ip: string, cidr: string): boolean {
  const { first, last } = networkBounds(cidr);
  const n = ipv4ToInt(ip);
  if (parseCidr(cidr).prefix >= 31) return n >= first && n <= last;
  return n > first && n < last;
}

/** The CIDR's network address in canonical form: "192.168.1.7/24" -> "192.168.1.0/24". */
export function canonicalCidr(cidr: string): string {
  const { first } = networkBounds(cidr);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256);
  return `${octets.join(".")}/${parseCidr(cidr).prefix}`;
}
