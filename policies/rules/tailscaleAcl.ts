/**
 * Reading a Tailscale policy file the way Tailscale does: HuJSON, legacy `acls` (`src`/`dst`, or their old names
 * `users`/`ports`), `grants` (`src`/`dst`/`ip`), `hosts` aliases, and port lists that amount to every port
 * (`*`, `0-65535`, `1-65535`, `1-1000,1001-65535`). https://tailscale.com/kb/1337/policy-syntax
 */
import { addressSet, contains, EMPTY_SET, EVERYWHERE, parsePrefix, type AddressSet } from "../../stacks/estate/net";
import { coversAllPorts, parsePorts, portSet } from "./ports";
import { isRecord, stringList } from "./shared";

/** Tailscale policy files are HuJSON: JSON with comments and trailing commas. */
export function parseHuJson(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) throw new SyntaxError("unterminated /* comment");
      i++;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

/** A host, alias or CIDR as addresses; `*` is every address. Tags, groups and users stand for no fixed address. */
function hostSet(host: string, hosts: Readonly<Record<string, string>>): AddressSet {
  const name = host.trim();
  if (name === "*") return EVERYWHERE;
  const prefix = parsePrefix(hosts[name] ?? name, { bareAddress: true });
  return prefix ? addressSet([prefix]) : EMPTY_SET;
}

/** True for `*` and for any host that covers a whole address family (0.0.0.0/0, ::/0, an alias of one). */
function isEveryHost(host: string, hosts: Readonly<Record<string, string>>): boolean {
  const set = hostSet(host, hosts);
  return contains(set, { ...EMPTY_SET, ipv4: EVERYWHERE.ipv4 }) || contains(set, { ...EMPTY_SET, ipv6: EVERYWHERE.ipv6 });
}

/** "tag:web:80,443", "*:*", "[2001:db8::1]:22" as host and ports. */
function splitDestination(dst: string): { host: string; ports: string } {
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(dst.trim());
  if (bracketed) return { host: bracketed[1], ports: bracketed[2] };
  const at = dst.lastIndexOf(":");
  return at < 0 ? { host: dst, ports: "*" } : { host: dst.slice(0, at), ports: dst.slice(at + 1) };
}

/** A grant's `ip` list ("*", "tcp:443", "1-65535", ...) opens every port of TCP and UDP. */
function grantsEveryPort(ip: readonly string[]): boolean {
  const perProtocol = (protocol: string) =>
    portSet(
      ip.flatMap((entry) => {
        const [proto, ports] = entry.includes(":") ? [entry.slice(0, entry.indexOf(":")).toLowerCase(), entry.slice(entry.indexOf(":") + 1)] : ["", entry];
        return proto === "" || proto === protocol ? (parsePorts(ports) ?? []) : [];
      }),
    );
  return coversAllPorts(perProtocol("tcp")) && coversAllPorts(perProtocol("udp"));
}

const entries = (policy: Record<string, unknown>, key: string): Array<Record<string, unknown>> =>
  Array.isArray(policy[key]) ? (policy[key] as unknown[]).filter(isRecord) : [];

/**
 * Allow-all shapes: a destination that is every host on every port, or everyone to every host; grants likewise,
 * with an `ip` list that covers every port.
 */
export function allowAllEntries(policy: unknown): string[] {
  if (!isRecord(policy)) return [];
  const hosts = isRecord(policy.hosts) ? Object.fromEntries(Object.entries(policy.hosts).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  const everyone = (src: readonly string[]) => src.some((s) => isEveryHost(s, hosts));
  const found: string[] = [];
  entries(policy, "acls").forEach((e, i) => {
    const src = [...stringList(e.src), ...stringList(e.users)];
    const dst = [...stringList(e.dst), ...stringList(e.ports)].map(splitDestination);
    const everywhere = dst.filter((d) => isEveryHost(d.host, hosts));
    const allPorts = everywhere.some((d) => coversAllPorts(parsePorts(d.ports) ?? []));
    if (String(e.action ?? "accept").toLowerCase() === "accept" && (allPorts || (everyone(src) && everywhere.length > 0))) {
      found.push(`acls[${i}] (${src.join(",")} -> ${dst.map((d) => `${d.host}:${d.ports}`).join(",")})`);
    }
  });
  entries(policy, "grants").forEach((e, i) => {
    const src = stringList(e.src);
    const dst = stringList(e.dst);
    // A grant without `ip` grants only application capabilities (`app`), no network access.
    const ip = stringList(e.ip);
    if (dst.some((d) => isEveryHost(d, hosts)) && (everyone(src) || (ip.length > 0 && grantsEveryPort(ip)))) {
      found.push(`grants[${i}] (${src.join(",")} -> ${dst.join(",")})`);
    }
  });
  return found;
}
