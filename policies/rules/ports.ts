/**
 * Port ranges as sets, whatever the provider's spelling: "22", "8000-8100", "any"/"all"/"*", DigitalOcean's "0"
 * (all ports), Tailscale's "22,80". A rule that opens 1-1024 opens 22; ranges that together span 1-65535 open
 * every port.
 */

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** A sorted list of disjoint, non-adjacent ranges. */
export type PortSet = readonly PortRange[];

export const MAX_PORT = 65535;
export const ALL_PORTS: PortSet = [{ from: 0, to: MAX_PORT }];

/** The union of ranges. */
export function portSet(ranges: Iterable<PortRange>): PortSet {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last && next.from <= last.to + 1) out[out.length - 1] = { from: last.from, to: Math.max(last.to, next.to) };
    else out.push(next);
  }
  return out;
}

const everyPortWords = new Set(["", "*", "any", "all"]);

/**
 * A provider's port field as a set; absent means all ports (every provider's default for a port-bearing rule).
 * `zeroMeansAll` for DigitalOcean, whose API writes "all ports" as "0". Undefined when unparseable.
 */
export function parsePorts(value: unknown, options: { zeroMeansAll?: boolean } = {}): PortSet | undefined {
  if (value === undefined || value === null) return ALL_PORTS;
  if (typeof value === "number") value = String(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  if (everyPortWords.has(text) || (options.zeroMeansAll && text === "0")) return ALL_PORTS;
  const ranges: PortRange[] = [];
  for (const part of text.split(",")) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to || to > MAX_PORT) return undefined;
    ranges.push({ from, to });
  }
  return portSet(ranges);
}

export function coversPort(set: PortSet, port: number): boolean {
  return set.some((r) => r.from <= port && port <= r.to);
}

/** True when every real port (1-65535; 0 is reserved) is in the set. */
export function coversAllPorts(set: PortSet): boolean {
  return set.some((r) => r.from <= 1 && r.to >= MAX_PORT);
}
