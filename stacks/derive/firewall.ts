/**
 * The public firewall of each cloud node, derived from the estate. Only three things are ever reachable from the
 * internet: the reverse proxy's public edge on the hub (edge.ts: HTTP, HTTPS and HTTP/3 on each address family the
 * hub has), SSH from the configured admin networks, and Tailscale's WireGuard port when the estate has a tailnet (so
 * peers connect directly instead of through a relay). App ports are reached over the tailnet,
 * where the Tailscale ACL decides who may connect.
 */
import type { FirewallRule } from "../../components/cloud/cloudNode";
import type { Estate } from "../estate/schema";
import { INTERNET, publicEdge } from "./edge";

const EVERYWHERE = Object.values(INTERNET);

/** https://tailscale.com/kb/1082/firewall-ports : tailscaled listens on UDP 41641 for direct WireGuard connections. */
export const TAILSCALE_DIRECT_PORT = 41641;

/** Inbound rules for `node`, in a stable order: web (hub only), SSH (admin networks only), Tailscale. */
export function firewallRules(estate: Pick<Estate, "nodes" | "apps" | "access" | "tailnet">, node: string): FirewallRule[] {
  const rules: FirewallRule[] = [];
  const edge = publicEdge(estate);
  if (edge?.node === node) {
    const sources = edge.families.map((family) => INTERNET[family]);
    rules.push(...edge.listeners.map((l): FirewallRule => ({ protocol: l.protocol, port: l.port, sources, description: `${edge.proxy}: ${l.purpose}` })));
  }
  // The estate rules refuse a /0 admin network in prod (SSH open to the world); dev may choose it.
  const adminCidrs = estate.access.adminCidrs;
  // No admin networks: SSH is reachable only over the tailnet, which the firewall does not filter.
  if (adminCidrs.length > 0) rules.push({ protocol: "tcp", port: 22, sources: [...adminCidrs], description: "SSH from the admin networks" });
  // Without a tailnet nothing listens there.
  if (estate.tailnet) rules.push({ protocol: "udp", port: TAILSCALE_DIRECT_PORT, sources: EVERYWHERE, description: "Tailscale direct connections (WireGuard)" });
  return rules;
}
