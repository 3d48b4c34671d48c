/** Property-based checks of the address-set and port-set arithmetic the estate rules and the policy pack share. */
import fc from "fast-check";
import { coversAllPorts, coversPort, parsePorts, portSet, type PortRange } from "../policies/rules/ports";
import { addressSet, contains, EMPTY_SET, INTERNET, internetFamilies, overlaps, parsePrefix, subtract, toCidrs, union, type Prefix } from "../stacks/estate/net";

const parse = (cidr: string): Prefix => {
  const prefix = parsePrefix(cidr);
  if (!prefix) throw new Error(`unparseable ${cidr}`);
  return prefix;
};
const setOf = (cidrs: readonly string[]) => addressSet(cidrs.map(parse));
const host = (n: number) => `10.0.0.${n}/32`;

/** Prefixes inside 10.0.0.0/24, small enough to check address by address. */
const smallPrefix = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([n, len]) => `10.0.0.${n}/${len}`);
const inPrefix = (n: number, cidr: string) => {
  const p = parse(cidr);
  const value = BigInt(0x0a000000 + n);
  return p.first <= value && value <= p.last;
};

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join("."));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));
const anyPrefix = fc.oneof(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })), fc.tuple(ipv6, fc.integer({ min: 0, max: 128 }))).map(([a, len]) => `${a}/${len}`);

describe("address sets", () => {
  it("hold exactly the addresses of their prefixes (brute force over a /24)", () => {
    fc.assert(
      fc.property(fc.array(smallPrefix, { maxLength: 8 }), (cidrs) => {
        const set = setOf(cidrs);
        for (let n = 0; n < 256; n++) {
          expect(contains(set, setOf([host(n)]))).toBe(cidrs.some((c) => inPrefix(n, c)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("do not depend on the order or repetition of their prefixes", () => {
    fc.assert(
      fc.property(
        fc.array(anyPrefix, { maxLength: 8 }).chain((cidrs) => fc.tuple(fc.constant(cidrs), fc.shuffledSubarray(cidrs, { minLength: cidrs.length }))),
        ([cidrs, shuffled]) => {
          expect(toCidrs(setOf([...shuffled, ...cidrs.slice(0, 2)]))).toEqual(toCidrs(setOf(cidrs)));
        },
      ),
    );
  });

  it("format as the fewest prefixes, which parse back to the same set", () => {
    fc.assert(
      fc.property(fc.array(anyPrefix, { maxLength: 6 }), (cidrs) => {
        const set = setOf(cidrs);
        const formatted = toCidrs(set);
        expect(setOf(formatted)).toEqual(set);
        // Canonical: no prefix has host bits set, and formatting again changes nothing.
        expect(formatted.every((c) => !parse(c).hostBitsSet)).toBe(true);
        expect(toCidrs(setOf(formatted))).toEqual(formatted);
      }),
    );
  });

  it("parse and format one prefix as its network", () => {
    fc.assert(
      fc.property(anyPrefix, (cidr) => {
        const p = parse(cidr);
        expect(toCidrs(addressSet([p]))).toEqual([p.network]);
        expect(parse(p.network).network).toBe(p.network);
        expect(p.hostBitsSet).toBe(parse(p.network).first !== parse(`${p.address}/${p.family === "ipv4" ? 32 : 128}`).first);
      }),
    );
  });

  it("cover the internet whenever the whole space is cut into pieces, and not once a public piece is missing", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { maxLength: 10 }), (cuts) => {
        // Split 0.0.0.0/0 at arbitrary points into intervals, each written as prefixes.
        const points = [0, ...[...cuts].sort((a, b) => a - b), 2 ** 32];
        const pieces = points.slice(1).flatMap((end, i) => toCidrs(addressSet([{ family: "ipv4", first: BigInt(points[i]), last: BigInt(end - 1) }])));
        expect(internetFamilies(setOf(pieces))).toEqual(["ipv4"]);
        const publicPiece = pieces.find((c) => overlaps(setOf([c]), INTERNET));
        if (publicPiece) expect(internetFamilies(setOf(pieces.filter((c) => c !== publicPiece)))).toEqual([]);
      }),
    );
  });

  it("agree on union, subtraction and overlap", () => {
    fc.assert(
      fc.property(fc.array(smallPrefix, { maxLength: 5 }), fc.array(smallPrefix, { maxLength: 5 }), (a, b) => {
        const [sa, sb] = [setOf(a), setOf(b)];
        expect(contains(union(sa, sb), sa)).toBe(true);
        expect(overlaps(subtract(sa, sb), sb)).toBe(false);
        expect(union(subtract(sa, sb), sb)).toEqual(union(sa, sb));
        expect(overlaps(sa, sb)).toBe(a.some((x) => b.some((y) => overlaps(setOf([x]), setOf([y])))));
        expect(contains(sa, EMPTY_SET)).toBe(true);
      }),
    );
  });
});

describe("port sets", () => {
  const range = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })).map(([from, len]): PortRange => ({ from, to: Math.min(from + len, 300) }));

  it("hold exactly the ports of their ranges, in any order", () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), (ranges) => {
        const set = portSet(ranges);
        expect(portSet([...ranges].reverse())).toEqual(set);
        for (let port = 0; port <= 300; port++) expect(coversPort(set, port)).toBe(ranges.some((r) => r.from <= port && port <= r.to));
      }),
      { numRuns: 60 },
    );
  });

  it("parse what they print: '22', 'a-b' and lists", () => {
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 4 }), (ranges) => {
        const text = ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",");
        expect(parsePorts(text)).toEqual(portSet(ranges));
      }),
    );
  });

  it("cover every port when 1-65535 is cut into any number of ranges", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 2, max: 65535 }), { maxLength: 20 }), (cuts) => {
        const points = [1, ...[...cuts].sort((a, b) => a - b), 65536];
        const ranges = points.slice(1).map((end, i) => ({ from: points[i], to: end - 1 }));
        expect(coversAllPorts(portSet(ranges))).toBe(true);
        expect(coversAllPorts(portSet(ranges.slice(1)))).toBe(false);
      }),
    );
  });

  it("read every provider's spelling of all ports", () => {
    for (const text of ["*", "any", "all", "ALL", " * ", "0-65535", "1-65535", undefined]) expect(coversAllPorts(parsePorts(text) ?? [])).toBe(true);
    expect(coversAllPorts(parsePorts("0", { zeroMeansAll: true }) ?? [])).toBe(true);
    expect(parsePorts("0")).toEqual([{ from: 0, to: 0 }]);
    expect([parsePorts("22-21"), parsePorts("70000"), parsePorts("ssh")]).toEqual([undefined, undefined, undefined]);
  });
});
