/**
 * The machines and who reaches them: cloud sizes and regions, the budget they need, hub and spokes, a Proxmox hub's
 * stated public address, SSH access, operators.
 */
import { cloudCatalog, resolveCloudSize, sizeClasses } from "../../../components/cloud/cloudSizes";
import { isInternetAddress } from "../net";
import { isProxmoxGuest } from "../schema";
import { adminNetworks } from "./access";
import { oneOf, type EstateProblem, type Rule } from "./problem";

const cloudSizesAndRegions: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, node] of Object.entries(estate.nodes)) {
    if (isProxmoxGuest(node)) continue;
    const catalog = cloudCatalog[node.kind];
    if (!catalog.sizes[resolveCloudSize(node.kind, node.size)]) {
      problems.push({ path: ["nodes", name, "size"], message: `unknown ${node.kind} size "${node.size}"; ${oneOf([...sizeClasses, ...Object.keys(catalog.sizes)])}` });
    }
    if (node.region !== undefined && !catalog.regions.includes(node.region)) {
      problems.push({ path: ["nodes", name, "region"], message: `unknown ${node.kind} region "${node.region}"; ${oneOf(catalog.regions)}` });
    }
  }
  return problems;
};

/** Cloud nodes are paid for: the plan and the policy pack hold their prices against the budget, so one is needed. */
const budgetForPaidNodes: Rule = (estate) => {
  if (estate.budget !== undefined) return [];
  const paid = Object.keys(estate.nodes).filter((name) => !isProxmoxGuest(estate.nodes[name]));
  return paid.length === 0
    ? []
    : [{ path: ["budget"], message: `required: ${paid.map((n) => `nodes.${n}`).join(", ")} ${paid.length === 1 ? "is a paid cloud node" : "are paid cloud nodes"}, whose prices are checked against it: set hybridlab:budget (monthly, currency)` }];
};

const roles: Rule = (estate) => {
  const nodes = Object.entries(estate.nodes);
  const hubs = nodes.filter(([, n]) => n.role === "hub").map(([name]) => name);
  const problems: EstateProblem[] = [];
  if (hubs.length === 0 && nodes.some(([, n]) => n.role === "spoke")) {
    problems.push({ path: ["nodes"], message: "spokes exist but no node has role hub; spokes are reached through the hub" });
  }
  for (const extra of hubs.slice(1)) {
    problems.push({ path: ["nodes", extra, "role"], message: `nodes.${hubs[0]} is already the hub; an estate has one hub` });
  }
  // A hub alone needs no mesh (one VPS, or a Proxmox guest on the LAN it proxies to); spokes are reached over one.
  if (!estate.tailnet && nodes.some(([, n]) => n.role === "spoke")) {
    problems.push({ path: ["tailnet"], message: "spokes are joined to the hub by Tailscale: set hybridlab:tailnet (name of your tailnet)" });
  }
  return problems;
};

/**
 * A Proxmox guest's public address is stated, since Proxmox cannot report one: the hub that runs the reverse proxy
 * needs it (DNS points at it, ACME validates through it), it must be an internet address, and when the host forwards
 * it (no NIC holds it) the guest needs a static LAN address to forward to. Only the hub's is used.
 */
const statedPublicAddresses: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const proxyNode = Object.values(estate.apps).find((app) => app.kind === "reverse-proxy")?.node;
  for (const [name, node] of Object.entries(estate.nodes)) {
    if (!isProxmoxGuest(node)) continue;
    const stated = node.publicAddress;
    const at = ["nodes", name, "publicAddress"];
    if (stated === undefined) {
      if (node.role === "hub" && proxyNode === name) {
        problems.push({ path: at, message: "required: the hub runs the reverse proxy, and DNS records and Let's Encrypt reach it at its public address, which Proxmox cannot report: state it (ipv4, and ipv6 if it has one), the guest's own or the Proxmox host's that forwards 80 and 443 to it" });
      }
      continue;
    }
    if (node.role !== "hub") {
      problems.push({ path: at, message: `only the hub's public address is used (DNS points at it, through its reverse proxy); remove it, or make nodes.${name} the hub` });
      continue;
    }
    for (const family of ["ipv4", "ipv6"] as const) {
      const address = stated[family];
      if (address !== undefined && !isInternetAddress(address)) {
        problems.push({ path: [...at, family], message: `${address} is not a public address; state the one the internet reaches the hub at (the Proxmox host's on its public bridge when the host forwards to the guest)` });
      }
    }
    const held = node.networks.some((nic) => nic.address.split("/")[0] === stated.ipv4);
    // An LXC, or a VM without a tailnet, on DHCP is refused already (reachability.ts): one problem, not two.
    if (!held && estate.tailnet && node.kind === "proxmox-vm" && node.networks.every((nic) => nic.address === "dhcp")) {
      problems.push({ path: ["nodes", name, "networks"], message: `the Proxmox host forwards ${stated.ipv4} to this guest (no NIC holds it), and with DHCP there is no address to forward to: give networks[0] a static address such as 10.0.0.150/24, or a NIC on the public bridge with ${stated.ipv4}` });
    }
  }
  return problems;
};

const operators: Rule = (estate) => {
  const seen = new Set<string>();
  const problems: EstateProblem[] = [];
  estate.operators.forEach((op, i) => {
    if (seen.has(op.name)) problems.push({ path: ["operators", i, "name"], message: `operator "${op.name}" is listed twice` });
    seen.add(op.name);
  });
  return problems;
};

export const machineRules: readonly Rule[] = [cloudSizesAndRegions, budgetForPaidNodes, roles, statedPublicAddresses];
export const accessRules: readonly Rule[] = [adminNetworks, operators];
