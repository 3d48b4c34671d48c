/**
 * The TLS edge, end to end, for the shipped stacks: every address family DNS publishes has the proxy bound on it, the
 * hub firewall opening HTTP, HTTPS and HTTP/3 from it, and Caddy speaking HTTP/3, all from one fact (derive/edge.ts).
 */
import * as path from "node:path";
import { parseArgs, plan } from "../stacks/plan/cli";
import { publicEdge } from "../stacks/derive/edge";
import { firewallRules } from "../stacks/derive/firewall";
import { parseEstate } from "../stacks/estate/load";
import { validEstate, withValue, withValues } from "./fixtures/estate";

const root = path.resolve(__dirname, "..");

interface Port {
  internal: number;
  external: number;
  protocol?: string;
  ip?: string;
}

describe.each(["dev", "prod"])("the public edge of the %s stack", (stack) => {
  let resources: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
  beforeAll(async () => {
    resources = (await plan(parseArgs(["--stack", stack]), root)).document.resources as typeof resources;
  });

  it("binds the proxy, opens the firewall and speaks HTTP/3 on exactly the families DNS publishes", () => {
    const recordTypes = [...new Set(resources.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord").map((r) => String(r.inputs.type)))].sort();
    expect(recordTypes).toEqual(["A", "AAAA"]);
    const families = recordTypes.map((t) => (t === "A" ? "ipv4" : "ipv6"));

    const caddy = resources.find((r) => r.type === "docker:index/container:Container" && r.name === "proxy-caddy");
    const published = ((caddy?.inputs.ports ?? []) as Port[]).filter((p) => p.external !== 2019);
    const bound = (family: string) => published.filter((p) => (family === "ipv6" ? p.ip === "::" : p.ip === undefined)).map((p) => `${p.external}/${p.protocol ?? "tcp"}`);
    for (const family of families) expect([family, bound(family)]).toEqual([family, ["80/tcp", "443/tcp", "443/udp"]]);

    const firewall = resources.find((r) => r.type === "hcloud:index/firewall:Firewall" && JSON.stringify(r.inputs.labels).includes('"hybridlab-node":"hub"'));
    const rules = (firewall?.inputs.rules ?? []) as Array<{ protocol: string; port: string; sourceIps: string[] }>;
    const open = (source: string) => rules.filter((r) => r.sourceIps.includes(source) && r.port !== "41641").map((r) => `${r.port}/${r.protocol}`);
    expect(open("0.0.0.0/0")).toEqual(["80/tcp", "443/tcp", "443/udp"]);
    expect(open("::/0")).toEqual(families.includes("ipv6") ? ["80/tcp", "443/tcp", "443/udp"] : []);

    const caddyfile = ((caddy?.inputs.uploads ?? []) as Array<{ file: string; content: string }>).find((u) => u.file === "/etc/caddy/Caddyfile")?.content;
    expect(caddyfile).toContain("\t\tprotocols h1 h2 h3\n");
  });
});

describe("publicEdge", () => {
  const estateOf = (json: ReturnType<typeof validEstate>) => {
    const parsed = parseEstate(json);
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    return parsed.estate;
  };

  it("serves IPv4 only from an Azure hub, and its firewall opens nothing to IPv6", () => {
    const estate = estateOf(withValue(validEstate(), "nodes.hub", { kind: "azure", role: "hub", size: "small" }));
    expect(publicEdge(estate)?.families).toEqual(["ipv4"]);
    expect(firewallRules(estate, "hub").filter((r) => r.port !== 41641).flatMap((r) => r.sources)).toEqual(["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0"]);
  });

  it("has no edge without a reverse proxy", () => {
    const noProxy = withValues(validEstate(), [["apps.proxy", undefined], ["apps.monitoring.hostname", undefined], ["apps.moodle.hostname", undefined]]);
    expect(publicEdge(estateOf(noProxy))).toBeUndefined();
  });
});
