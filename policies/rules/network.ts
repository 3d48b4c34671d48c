/**
 * Firewalls (Hetzner, DigitalOcean, Azure NSG), the Tailscale ACL and Cloudflare DNS. References: Checkov's Azure
 * NSG checks, CIS Azure Foundations 6.x, Tailscale's ACL guidance.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  ALL_PORTS,
  cidrWithin,
  coversPort,
  describeRange,
  isAllPorts,
  isHub,
  isPrivateSource,
  isRecord,
  isWorld,
  parsePortRange,
  resourceRule,
  stringList,
  type PortRange,
} from "./shared";

export const HCLOUD_FIREWALL = "hcloud:index/firewall:Firewall";
export const DO_FIREWALL = "digitalocean:index/firewall:Firewall";
export const AZURE_NSG = "azure-native:network:NetworkSecurityGroup";
export const AZURE_SECURITY_RULE = "azure-native:network:SecurityRule";
export const TAILSCALE_ACL = "tailscale:index/acl:Acl";
export const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";

const firewallTypes = [HCLOUD_FIREWALL, DO_FIREWALL, AZURE_NSG, AZURE_SECURITY_RULE];

/** One inbound allow rule, whatever the provider calls its fields. */
export interface InboundRule {
  readonly protocol: string;
  readonly ports: PortRange;
  readonly sources: string[];
  /** Where the rule sits in the resource's inputs, for messages: "rules[2]". */
  readonly at: string;
}

interface HcloudFirewallProps {
  readonly rules?: ReadonlyArray<{ direction?: string; protocol?: string; port?: string; sourceIps?: string[] }>;
  readonly labels?: Readonly<Record<string, string>>;
}
interface DoFirewallProps {
  readonly inboundRules?: ReadonlyArray<{ protocol?: string; portRange?: string; sourceAddresses?: string[] }>;
  readonly tags?: readonly string[];
}
interface AzureSecurityRuleProps {
  readonly access?: string;
  readonly direction?: string;
  readonly protocol?: string;
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
}
interface AzureNsgProps {
  readonly securityRules?: readonly AzureSecurityRuleProps[];
  readonly tags?: Readonly<Record<string, string>>;
}
type FirewallProps = HcloudFirewallProps & DoFirewallProps & AzureNsgProps & AzureSecurityRuleProps;

const portProtocols = new Set(["tcp", "udp", "*", "any"]);

function azureRules(rules: readonly AzureSecurityRuleProps[], prefix: string): InboundRule[] {
  return rules.flatMap((r, i) => {
    if (String(r.direction).toLowerCase() !== "inbound" || String(r.access).toLowerCase() !== "allow") return [];
    const ranges = [r.destinationPortRange, ...stringList(r.destinationPortRanges)].filter((p) => p !== undefined);
    const sources = [r.sourceAddressPrefix, ...stringList(r.sourceAddressPrefixes)].filter((s): s is string => typeof s === "string");
    return (ranges.length > 0 ? ranges : [undefined]).map((range) => ({
      protocol: String(r.protocol ?? "*").toLowerCase(),
      ports: parsePortRange(range) ?? ALL_PORTS,
      sources,
      at: prefix === "" ? "the rule" : `${prefix}[${i}]`,
    }));
  });
}

/** Every inbound allow rule of a firewall-like resource; ICMP and other port-less protocols are left out. */
export function inboundRules(type: string, props: FirewallProps): InboundRule[] {
  const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
  let rules: InboundRule[] = [];
  if (type === HCLOUD_FIREWALL) {
    rules = list(props.rules)
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.direction === "in")
      .map(({ r, i }) => ({ protocol: String(r.protocol).toLowerCase(), ports: parsePortRange(r.port) ?? ALL_PORTS, sources: stringList(r.sourceIps), at: `rules[${i}]` }));
  } else if (type === DO_FIREWALL) {
    rules = list(props.inboundRules).map((r, i) => ({
      protocol: String(r.protocol).toLowerCase(),
      ports: parsePortRange(r.portRange) ?? ALL_PORTS,
      sources: stringList(r.sourceAddresses),
      at: `inboundRules[${i}]`,
    }));
  } else if (type === AZURE_NSG) {
    rules = azureRules(list(props.securityRules), "securityRules");
  } else if (type === AZURE_SECURITY_RULE) {
    rules = azureRules([props], "");
  }
  return rules.filter((r) => portProtocols.has(r.protocol));
}

/** The world-open rules that reach `port`, as "0.0.0.0/0 in rules[1]". */
function worldOpenings(type: string, props: FirewallProps, port: number): string[] {
  return inboundRules(type, props)
    .filter((r) => coversPort(r.ports, port))
    .flatMap((r) => r.sources.filter(isWorld).map((s) => `${s} in ${r.at}`));
}

function noPortFromInternet(name: string, service: string, port: number, description: string, url: string): ResourceValidationPolicy {
  return resourceRule<FirewallProps>({
    name,
    description,
    enforcementLevel: "mandatory",
    types: firewallTypes,
    url,
    validate: (props, args, report) => {
      const open = worldOpenings(args.type, props, port);
      if (open.length > 0) report(`${service} (port ${port}) is open to the internet (${open.join(", ")}): reach it over the tailnet or from an admin CIDR`);
    },
  });
}

const noSshFromInternet = noPortFromInternet(
  "no-ssh-from-internet",
  "SSH",
  22,
  "No firewall or NSG rule opens SSH (22) to 0.0.0.0/0 or ::/0 (Checkov CKV_AZURE_10, CIS Azure 6.2).",
  "https://learn.microsoft.com/en-us/azure/virtual-machines/linux/mac-create-ssh-keys",
);

const noRdpFromInternet = noPortFromInternet(
  "no-rdp-from-internet",
  "RDP",
  3389,
  "No firewall or NSG rule opens RDP (3389) to 0.0.0.0/0 or ::/0 (Checkov CKV_AZURE_9, CIS Azure 6.1).",
  "https://learn.microsoft.com/en-us/azure/security/fundamentals/network-best-practices",
);

const defaultDatabasePorts = [1433, 1521, 3306, 5432, 5984, 6379, 9042, 9200, 11211, 27017];

const noDatabasePortsFromInternet = resourceRule<FirewallProps, { ports: number[] }>({
  name: "no-database-ports-from-internet",
  description: "No firewall or NSG rule opens a database port (PostgreSQL, MySQL, Redis, MongoDB, ...) to the internet (Azure network security best practices: no database endpoint on a public IP).",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://learn.microsoft.com/en-us/azure/security/fundamentals/network-best-practices",
  configSchema: {
    properties: { ports: { type: "array", items: { type: "integer" }, default: defaultDatabasePorts, description: "Ports that must never face the internet." } },
  },
  validate: (props, args, report, { ports }) => {
    for (const port of ports) {
      const open = worldOpenings(args.type, props, port);
      if (open.length > 0) report(`database port ${port} is open to the internet (${open.join(", ")}): databases are reached over the tailnet`);
    }
  },
});

const sshOnlyFromAdminCidrs = resourceRule<FirewallProps, { adminCidrs: string[] }>({
  name: "ssh-only-from-admin-cidrs",
  description: "SSH (22) from public addresses is allowed only from the configured admin CIDRs (hybridlab:access.adminCidrs).",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://tailscale.com/kb/1193/tailscale-ssh",
  configSchema: {
    properties: { adminCidrs: { type: "array", items: { type: "string" }, default: [], description: "Networks allowed to reach SSH on public nodes; empty means SSH only over the tailnet." } },
  },
  validate: (props, args, report, { adminCidrs }) => {
    const strays = inboundRules(args.type, props)
      .filter((r) => coversPort(r.ports, 22))
      // World-open SSH is no-ssh-from-internet's finding; private ranges never come from the internet.
      .flatMap((r) => r.sources.filter((s) => !isWorld(s) && !isPrivateSource(s) && !adminCidrs.some((cidr) => cidrWithin(s, cidr))).map((s) => `${s} in ${r.at}`));
    if (strays.length > 0) {
      report(`SSH is open to ${strays.join(", ")}, outside the admin CIDRs (${adminCidrs.join(", ") || "none: SSH only over the tailnet"})`);
    }
  },
});

const noAllPortsFromInternet = resourceRule<FirewallProps>({
  name: "no-all-ports-from-internet",
  description: "No firewall or NSG rule opens every TCP/UDP port to the internet (Azure network security best practices; Hetzner firewall guidance).",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
  validate: (props, args, report) => {
    const open = inboundRules(args.type, props)
      .filter((r) => isAllPorts(r.ports))
      .flatMap((r) => r.sources.filter(isWorld).map((s) => `${s} in ${r.at}`));
    if (open.length > 0) report(`all ports are open to the internet (${open.join(", ")}): open only the ports a node serves`);
  },
});

const webPortsOnlyOnHub = resourceRule<FirewallProps>({
  name: "web-ports-only-on-hub",
  description: "Only the hub's firewall opens HTTP/HTTPS (80/443) to the internet; every public app is served through the hub's reverse proxy.",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://caddyserver.com/docs/quick-starts/reverse-proxy",
  validate: (props, args, report) => {
    if (isHub(props)) return;
    const open = inboundRules(args.type, props)
      .filter((r) => !isAllPorts(r.ports) && (coversPort(r.ports, 80) || coversPort(r.ports, 443)))
      .flatMap((r) => r.sources.filter(isWorld).map((s) => `${describeRange(r.ports)} from ${s} in ${r.at}`));
    if (open.length > 0) {
      report(`a non-hub firewall opens ${open.join(", ")}: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web`);
    }
  },
});

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

interface AclEntry {
  readonly action?: string;
  readonly src?: string[];
  readonly dst?: string[];
  readonly ip?: string[];
}

/** Allow-all shapes: any destination "*:*", or everyone ("*") to every host; grants likewise with ip "*". */
export function allowAllEntries(policy: unknown): string[] {
  if (!isRecord(policy)) return [];
  const entries = (key: string): AclEntry[] => (Array.isArray(policy[key]) ? (policy[key] as unknown[]).filter(isRecord) : []);
  const found: string[] = [];
  entries("acls").forEach((e, i) => {
    const src = stringList(e.src);
    const dst = stringList(e.dst);
    if (e.action === "accept" && (dst.includes("*:*") || (src.includes("*") && dst.some((d) => d.startsWith("*:"))))) {
      found.push(`acls[${i}] (${src.join(",")} -> ${dst.join(",")})`);
    }
  });
  entries("grants").forEach((e, i) => {
    const src = stringList(e.src);
    const dst = stringList(e.dst);
    if (dst.includes("*") && (src.includes("*") || stringList(e.ip).includes("*"))) {
      found.push(`grants[${i}] (${src.join(",")} -> ${dst.join(",")})`);
    }
  });
  return found;
}

const tailscaleAclNoAllowAll = resourceRule<{ acl?: string }>({
  name: "tailscale-acl-no-allow-all",
  description: "The Tailscale ACL has no allow-all rule (\"*\" to \"*:*\"): access follows which apps talk to which.",
  enforcementLevel: "mandatory",
  types: [TAILSCALE_ACL],
  url: "https://tailscale.com/kb/1192/acl-samples",
  validate: (props, _args, report) => {
    let policy: unknown;
    try {
      policy = parseHuJson(String(props.acl ?? ""));
    } catch (err) {
      report(`acl is not valid HuJSON (${(err as Error).message}), so it cannot be checked`);
      return;
    }
    const found = allowAllEntries(policy);
    if (found.length > 0) report(`the ACL allows everything: ${found.join("; ")}; grant only the ports each tag needs`);
  },
});

interface DnsRecordProps {
  readonly name?: string;
  readonly type?: string;
  readonly content?: string;
}

const normalName = (name: string): string => name.toLowerCase().replace(/\.$/, "");

/**
 * A/AAAA records must take their address from a hub resource (the hub server, or its primary/reserved/public IP,
 * labelled hybridlab-role: hub or tagged role-hub): the record depends on it. CNAMEs must point at such a record.
 */
const dnsRecordsPointAtHub: StackValidationPolicy = {
  name: "dns-records-point-at-hub",
  description: "Every app's DNS record (A/AAAA, or a CNAME to one) points at the hub, where the reverse proxy terminates TLS.",
  enforcementLevel: "mandatory",
  url: "https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/",
  validateStack: (args, report) => {
    const records = args.resources.filter((r) => r.type === DNS_RECORD);
    const props = (r: PolicyResource): DnsRecordProps => r.props as DnsRecordProps;
    const addressRecords = records.filter((r) => ["A", "AAAA"].includes(String(props(r).type)));
    const hubNames = new Set<string>();
    for (const record of addressRecords) {
      const name = String(props(record).name);
      if (record.dependencies.some((dep) => isHub(dep.props))) {
        hubNames.add(normalName(name));
      } else {
        report(`${props(record).type} record ${name} does not take its address from the hub (a resource labelled hybridlab-role: hub)`, record.urn);
      }
    }
    for (const record of records.filter((r) => props(r).type === "CNAME")) {
      const { name, content } = props(record);
      if (!hubNames.has(normalName(String(content)))) {
        report(`CNAME ${name} points at ${content}, which is not a record of the hub`, record.urn);
      }
    }
  },
};

export const networkPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  noSshFromInternet,
  noRdpFromInternet,
  noDatabasePortsFromInternet,
  sshOnlyFromAdminCidrs,
  noAllPortsFromInternet,
  webPortsOnlyOnHub,
  tailscaleAclNoAllowAll,
  dnsRecordsPointAtHub,
];
