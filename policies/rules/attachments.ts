/**
 * Which machines a firewall protects and which addresses belong to a machine, in each provider's own way of
 * saying so: a Hetzner server's `firewallIds`, a firewall's `applyTos` (server or label selector) or a
 * FirewallAttachment; a DigitalOcean firewall's `dropletIds` or `tags`; an Azure NSG on a NIC or a subnet. Ids are
 * matched by where their value came from (the engine's property dependencies), so this works before the ids exist.
 */
import type { PolicyResource } from "@pulumi/policy";
import { AZURE_NSG, AZURE_SECURITY_RULE, DO_FIREWALL, HCLOUD_FIREWALL } from "./firewalls";
import { AZURE_VM, DROPLET, HCLOUD_SERVER } from "./machines";
import { isHub, labelMap, stringList } from "./shared";

export const HCLOUD_FIREWALL_ATTACHMENT = "hcloud:index/firewallAttachment:FirewallAttachment";
export const HCLOUD_PRIMARY_IP = "hcloud:index/primaryIp:PrimaryIp";
export const HCLOUD_FLOATING_IP = "hcloud:index/floatingIp:FloatingIp";
export const HCLOUD_FLOATING_IP_ASSIGNMENT = "hcloud:index/floatingIpAssignment:FloatingIpAssignment";
export const DO_RESERVED_IP = "digitalocean:index/reservedIp:ReservedIp";
export const DO_RESERVED_IP_ASSIGNMENT = "digitalocean:index/reservedIpAssignment:ReservedIpAssignment";
export const DO_FLOATING_IP = "digitalocean:index/floatingIp:FloatingIp";
export const DO_FLOATING_IP_ASSIGNMENT = "digitalocean:index/floatingIpAssignment:FloatingIpAssignment";
export const AZURE_NIC = "azure-native:network:NetworkInterface";
export const AZURE_SUBNET = "azure-native:network:Subnet";
export const AZURE_PUBLIC_IP = "azure-native:network:PublicIPAddress";

const machineTypes = [HCLOUD_SERVER, DROPLET, AZURE_VM];

/** The resources the value of `resource`'s input `key` came from. */
function from(resource: PolicyResource, key: string): PolicyResource[] {
  return resource.propertyDependencies[key] ?? [];
}

const dependsVia = (resource: PolicyResource, key: string, on: PolicyResource): boolean => from(resource, key).includes(on);

/**
 * A Hetzner label selector ("hybridlab-role=hub,env in (prod,dev),!legacy") against a map of labels.
 * https://docs.hetzner.cloud/reference/cloud#label-selector
 */
export function matchesLabelSelector(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const requirements = selector.split(/,(?![^(]*\))/).map((r) => r.trim()).filter((r) => r !== "");
  if (requirements.length === 0) return false;
  return requirements.every((req) => {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (set) {
      const values = set[3].split(",").map((v) => v.trim());
      const has = Object.hasOwn(labels, set[1]) && values.includes(labels[set[1]]);
      return set[2] === "in" ? has : !has;
    }
    const compare = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(req);
    if (compare) {
      const equal = labels[compare[1]] === compare[3];
      return compare[2] === "!=" ? !equal : equal;
    }
    if (req.startsWith("!")) return !Object.hasOwn(labels, req.slice(1));
    return Object.hasOwn(labels, req);
  });
}

function serversBySelectors(selectors: unknown[], resources: readonly PolicyResource[]): PolicyResource[] {
  const texts = selectors.filter((s): s is string => typeof s === "string");
  return resources.filter((r) => r.type === HCLOUD_SERVER && texts.some((s) => matchesLabelSelector(s, labelMap(r.props.labels))));
}

function hcloudMachines(firewall: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const applyTos = Array.isArray(firewall.props.applyTos) ? (firewall.props.applyTos as unknown[]) : [];
  const attachments = resources.filter((r) => r.type === HCLOUD_FIREWALL_ATTACHMENT && dependsVia(r, "firewallId", firewall));
  return [
    ...resources.filter((r) => r.type === HCLOUD_SERVER && dependsVia(r, "firewallIds", firewall)),
    ...from(firewall, "applyTos"),
    ...serversBySelectors(applyTos.map((a) => (typeof a === "object" && a !== null ? (a as { labelSelector?: unknown }).labelSelector : undefined)), resources),
    ...attachments.flatMap((a) => [...from(a, "serverIds"), ...serversBySelectors(stringList(a.props.labelSelectors), resources)]),
  ];
}

function digitalOceanMachines(firewall: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  // A firewall applies to every droplet that carries any of its tags (DigitalOcean tag names ignore case).
  const tags = stringList(firewall.props.tags).map((t) => t.toLowerCase());
  return [
    ...from(firewall, "dropletIds"),
    ...resources.filter((r) => r.type === DROPLET && stringList(r.props.tags).some((t) => tags.includes(t.toLowerCase()))),
  ];
}

/** Azure VMs whose network profile uses one of `nics` or, inline, the NSG itself. */
function azureVmsOf(links: readonly PolicyResource[], resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => r.type === AZURE_VM && from(r, "networkProfile").some((d) => links.includes(d)));
}

function azureMachines(nsg: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const subnets = resources.filter((r) => r.type === AZURE_SUBNET && dependsVia(r, "networkSecurityGroup", nsg));
  const nics = resources.filter(
    (r) => r.type === AZURE_NIC && (dependsVia(r, "networkSecurityGroup", nsg) || from(r, "ipConfigurations").some((d) => subnets.includes(d))),
  );
  return azureVmsOf([nsg, ...nics], resources);
}

/** The machines a firewall, NSG or standalone Azure security rule applies to, each once, in resource order. */
export function machinesBehind(firewall: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  let found: PolicyResource[] = [];
  if (firewall.type === HCLOUD_FIREWALL) found = hcloudMachines(firewall, resources);
  else if (firewall.type === DO_FIREWALL) found = digitalOceanMachines(firewall, resources);
  else if (firewall.type === AZURE_NSG) found = azureMachines(firewall, resources);
  else if (firewall.type === AZURE_SECURITY_RULE) found = from(firewall, "networkSecurityGroupName").flatMap((nsg) => azureMachines(nsg, resources));
  const unique = new Set(found.filter((m) => machineTypes.includes(m.type)));
  return resources.filter((r) => unique.has(r));
}

/**
 * Whether a firewall is the hub's: every machine it applies to is labelled as the hub. One that applies to no
 * machine of the stack (attached outside it) is judged by its own marker, or its NSG's.
 */
export function hubFirewall(firewall: PolicyResource, resources: readonly PolicyResource[]): { hub: boolean; others: string[] } {
  const machines = machinesBehind(firewall, resources);
  if (machines.length > 0) {
    const others = machines.filter((m) => !isHub(m.props)).map((m) => m.name);
    return { hub: others.length === 0, others };
  }
  const owners = firewall.type === AZURE_SECURITY_RULE ? from(firewall, "networkSecurityGroupName") : [firewall];
  return { hub: owners.length > 0 && owners.every((o) => isHub(o.props)), others: [] };
}

/** Address resources (reserved, floating, primary and public IPs) and the machines they are assigned to. */
function addressMachines(address: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const assignments = (type: string, ipKey: string, machineKey: string): PolicyResource[] =>
    resources.filter((r) => r.type === type && dependsVia(r, ipKey, address)).flatMap((r) => from(r, machineKey));
  switch (address.type) {
    case DO_RESERVED_IP:
      return [...from(address, "dropletId"), ...assignments(DO_RESERVED_IP_ASSIGNMENT, "ipAddress", "dropletId")];
    case DO_FLOATING_IP:
      return [...from(address, "dropletId"), ...assignments(DO_FLOATING_IP_ASSIGNMENT, "ipAddress", "dropletId")];
    case DO_RESERVED_IP_ASSIGNMENT:
    case DO_FLOATING_IP_ASSIGNMENT:
      return from(address, "dropletId");
    case HCLOUD_PRIMARY_IP:
      return [...from(address, "assigneeId"), ...resources.filter((r) => r.type === HCLOUD_SERVER && dependsVia(r, "publicNets", address))];
    case HCLOUD_FLOATING_IP:
      return [...from(address, "serverId"), ...assignments(HCLOUD_FLOATING_IP_ASSIGNMENT, "floatingIpId", "serverId")];
    case HCLOUD_FLOATING_IP_ASSIGNMENT:
      return from(address, "serverId");
    case AZURE_PUBLIC_IP:
      return azureVmsOf(
        resources.filter((r) => r.type === AZURE_NIC && dependsVia(r, "ipConfigurations", address)),
        resources,
      );
    default:
      return [];
  }
}

const addressTypes = [
  DO_RESERVED_IP, DO_RESERVED_IP_ASSIGNMENT, DO_FLOATING_IP, DO_FLOATING_IP_ASSIGNMENT,
  HCLOUD_PRIMARY_IP, HCLOUD_FLOATING_IP, HCLOUD_FLOATING_IP_ASSIGNMENT, AZURE_PUBLIC_IP,
];

/**
 * Everything whose address is the hub's: hub machines, and the reserved/floating/primary/public IPs assigned to
 * one (an address assigned to no machine of the stack counts when it carries the hub marker itself).
 */
export function hubAddressSources(resources: readonly PolicyResource[]): Set<PolicyResource> {
  const hubs = new Set(resources.filter((r) => machineTypes.includes(r.type) && isHub(r.props)));
  const addresses = resources.filter((r) => addressTypes.includes(r.type)).filter((r) => {
    const machines = addressMachines(r, resources);
    return machines.length > 0 ? machines.some((m) => hubs.has(m)) : isHub(r.props);
  });
  return new Set([...hubs, ...addresses]);
}
