/**
 * Firewalls (Hetzner, DigitalOcean, Azure NSG), the Tailscale ACL and Cloudflare DNS, judged by meaning: sources
 * as address sets, ports as port sets, deny rules and service tags as the provider applies them, the hub found
 * through however its firewall and addresses are attached. References: Checkov's Azure NSG checks, CIS Azure
 * Foundations 6.x, Tailscale's ACL guidance.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { addressSet, internetFamilies, parsePrefix, subtract, isEmpty, type Prefix } from "../../stacks/estate/net";
import { hubAddressSources, hubFirewall } from "./attachments";
import { firewallTypes, inboundEntries, internetOpenings, internetPorts, publicSources } from "./firewalls";
import { coversAllPorts } from "./ports";
import { resourceRule } from "./shared";
import { allowAllEntries, parseHuJson } from "./tailscaleAcl";

export { AZURE_NSG, AZURE_SECURITY_RULE, DO_FIREWALL, HCLOUD_FIREWALL } from "./firewalls";
export const TAILSCALE_ACL = "tailscale:index/acl:Acl";
export const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";

type FirewallProps = Record<string, unknown>;

function noPortFromInternet(name: string, service: string, port: number, description: string, url: string): ResourceValidationPolicy {
  return resourceRule<FirewallProps>({
    name,
    description,
    enforcementLevel: "mandatory",
    types: firewallTypes,
    url,
    validate: (props, args, report) => {
      const open = internetOpenings(inboundEntries(args.type, props), port);
      if (open.length > 0) report(`${service} (port ${port}) is open to the internet (${open.join(", ")}): reach it over the tailnet or from an admin CIDR`);
    },
  });
}

const noSshFromInternet = noPortFromInternet(
  "no-ssh-from-internet",
  "SSH",
  22,
  "No firewall or NSG rule opens SSH (22) to the internet: 0.0.0.0/0, ::/0, Internet, or prefixes that add up to it (Checkov CKV_AZURE_10, CIS Azure 6.2).",
  "https://learn.microsoft.com/en-us/azure/virtual-machines/linux/mac-create-ssh-keys",
);

const noRdpFromInternet = noPortFromInternet(
  "no-rdp-from-internet",
  "RDP",
  3389,
  "No firewall or NSG rule opens RDP (3389) to the internet (Checkov CKV_AZURE_9, CIS Azure 6.1).",
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
    const entries = inboundEntries(args.type, props);
    for (const port of ports) {
      const open = internetOpenings(entries, port);
      if (open.length > 0) report(`database port ${port} is open to the internet (${open.join(", ")}): databases are reached over the tailnet`);
    }
  },
});

const sshOnlyFromAdminCidrs = resourceRule<FirewallProps, { adminCidrs: string[] }>({
  name: "ssh-only-from-admin-cidrs",
  description: "SSH (22) from public addresses is allowed only from the configured admin CIDRs (hybridlab:access.adminCidrs), compared as address sets.",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://tailscale.com/kb/1193/tailscale-ssh",
  configSchema: {
    properties: { adminCidrs: { type: "array", items: { type: "string" }, default: [], description: "Networks allowed to reach SSH on public nodes; empty means SSH only over the tailnet." } },
  },
  validate: (props, args, report, { adminCidrs }) => {
    const admin = addressSet(adminCidrs.map((c) => parsePrefix(c, { bareAddress: true })).filter((p): p is Prefix => p !== undefined));
    const strays = publicSources(inboundEntries(args.type, props), 22)
      // A source that is the whole internet is no-ssh-from-internet's finding; private ranges never reach here.
      .filter((s) => internetFamilies(s.set).length === 0 && !isEmpty(subtract(s.set, admin)))
      .map((s) => `${s.text} in ${s.at}`);
    if (strays.length > 0) {
      report(`SSH is open to ${[...new Set(strays)].join(", ")}, outside the admin CIDRs (${adminCidrs.join(", ") || "none: SSH only over the tailnet"})`);
    }
  },
});

const noAllPortsFromInternet = resourceRule<FirewallProps>({
  name: "no-all-ports-from-internet",
  description: "No firewall or NSG opens every TCP or UDP port to the internet, in one rule or several (Azure network security best practices; Hetzner firewall guidance).",
  enforcementLevel: "mandatory",
  types: firewallTypes,
  url: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
  validate: (props, args, report) => {
    const entries = inboundEntries(args.type, props);
    const open = (["tcp", "udp"] as const).map((protocol) => internetPorts(entries.filter((e) => e.protocols.includes(protocol))));
    const all = open.filter((o) => coversAllPorts(o.ports)).flatMap((o) => o.openings);
    if (all.length > 0) report(`all ports are open to the internet (${[...new Set(all)].join(", ")}): open only the ports a node serves`);
  },
});

const webPortsOnlyOnHub: StackValidationPolicy = {
  name: "web-ports-only-on-hub",
  description: "Only the hub's firewall opens HTTP/HTTPS (80/443) to the internet; every public app is served through the hub's reverse proxy.",
  enforcementLevel: "mandatory",
  url: "https://caddyserver.com/docs/quick-starts/reverse-proxy",
  validateStack: (args, report) => {
    for (const firewall of args.resources.filter((r) => firewallTypes.includes(r.type))) {
      const entries = inboundEntries(firewall.type, firewall.props);
      // A firewall open on every port is no-all-ports-from-internet's finding.
      if ((["tcp", "udp"] as const).some((p) => coversAllPorts(internetPorts(entries.filter((e) => e.protocols.includes(p))).ports))) continue;
      const open = [80, 443].flatMap((port) => internetOpenings(entries, port).map((o) => `port ${port} from ${o}`));
      if (open.length === 0) continue;
      const { hub, others } = hubFirewall(firewall, args.resources);
      if (hub) continue;
      const whose = others.length > 0 ? `the firewall of ${others.join(", ")} (not labelled as the hub)` : "a firewall attached to no hub machine";
      report(`${whose} opens ${open.join(", ")}: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web`, firewall.urn);
    }
  },
};

const tailscaleAclNoAllowAll = resourceRule<{ acl?: string }>({
  name: "tailscale-acl-no-allow-all",
  description: "The Tailscale ACL has no allow-all rule (everyone to every host, or every host on every port, in acls or grants): access follows which apps talk to which.",
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

/** Addresses a hub resource is known to have (the engine shows outputs; a plan, inputs only). */
function knownAddresses(resource: PolicyResource): string[] {
  return ["ipv4Address", "ipv6Address", "ipAddress", "ip"].map((key) => resource.props[key]).filter((v): v is string => typeof v === "string");
}

interface HubAddressConfig {
  readonly statedHubAddresses: readonly string[];
}

/**
 * A/AAAA records must hold the hub's address: their content comes from the hub machine or from a reserved,
 * floating, primary or public IP assigned to it (or, typed in, equals one of those addresses, or one the estate
 * states for a hub no resource reports an address for: a Proxmox guest behind its host). Merely depending on the
 * hub is not enough. CNAMEs must point at such a record.
 */
const dnsRecordsPointAtHub: StackValidationPolicy = {
  name: "dns-records-point-at-hub",
  description: "Every app's DNS record (A/AAAA, or a CNAME to one) holds the hub's address, where the reverse proxy terminates TLS.",
  enforcementLevel: "mandatory",
  url: "https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/",
  configSchema: {
    properties: {
      statedHubAddresses: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "The hub's public addresses as the estate states them, where no resource reports them (a Proxmox guest hub's publicAddress).",
      },
    },
  },
  validateStack: (args, report) => {
    const records = args.resources.filter((r) => r.type === DNS_RECORD);
    const props = (r: PolicyResource): DnsRecordProps => r.props as DnsRecordProps;
    const hubSources = hubAddressSources(args.resources);
    const hubAddresses = new Set([...[...hubSources].flatMap(knownAddresses), ...args.getConfig<HubAddressConfig>().statedHubAddresses]);
    const hubNames = new Set<string>();
    for (const record of records.filter((r) => ["A", "AAAA"].includes(String(props(r).type)))) {
      const { name, type } = props(record);
      const origins = record.propertyDependencies.content ?? [];
      // Read `content` only when it is typed in: from a resource, it is unknown until that resource exists.
      const fromHub = origins.length > 0 ? origins.some((o) => hubSources.has(o)) : hubAddresses.has(String(props(record).content));
      if (fromHub) {
        hubNames.add(normalName(String(name)));
      } else if (origins.length > 0) {
        report(`${type} record ${name} takes its address from ${origins.map((o) => o.name).join(", ")}, not from the hub (labelled hybridlab-role: hub) or an IP assigned to it`, record.urn);
      } else {
        report(`${type} record ${name} holds ${props(record).content}, which is not an address of the hub (labelled hybridlab-role: hub, or stated as a Proxmox hub's publicAddress)`, record.urn);
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
