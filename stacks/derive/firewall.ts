/**
 * The public firewall of each cloud node, derived from the estate. Only three things are ever reachable from the
 * internet: the reverse proxy's HTTP/HTTPS on the hub, SSH from the configured admin networks, and Tailscale's
 * WireGuard port (so peers connect directly instead of through a relay). App ports are reached over the tailnet,
 * where the Tailscale ACL decides who may connect.
 */
import type { FirewallRule } from "../../components/cloud/cloudNode";
import { appHostPorts } from "../catalog/apps";
import type { Estate } from "../estate/schema";

const INTERNET = ["0.0.0.0/0", "::/0"];

/** https://tailscale.com/kb/1082/firewall-ports : tailscaled listens on UDP 41641 for direct WireGuard connections. */
export const TAILSCALE_DIRECT_PORT = 41641;

/** Inbound rules for `node`, in a stable order: web (hub only), SSH (admin networks only), Tailscale. */
export function firewallRules(estate: Pick<Estate, "nodes" | "apps" | "access">, node: string): FirewallRule[] {
  const rules: FirewallRule[] = [];
  const proxy = Object.entries(estate.apps).find(([, app]) => app.kind === "reverse-proxy" && app.node === node);
  if (proxy && estate.nodes[node]?.role === "hub") {
    const ports = appHostPorts(proxy[1]);
    rules.push(
      { protocol: "tcp", port: ports.http, sources: INTERNET, description: `${proxy[0]}: HTTP (ACME challenges, redirect to HTTPS)` },
      { protocol: "tcp", port: ports.https, sources: INTERNET, description: `${proxy[0]}: HTTPS` },
    );
  }
  // The estate rules refuse a /0 admin network in prod (SSH open to the world); dev may choose it.
  const adminCidrs = estate.access.adminCidrs;
  // No admin networks: SSH is reachable only over the tailnet, which the firewall does not filter.
  if (adminCidrs.length > 0) rules.push({ protocol: "tcp", port: 22, sources: [...adminCidrs], description: "SSH from the admin networks" });
  rules.push({ protocol: "udp", port: TAILSCALE_DIRECT_PORT, sources: INTERNET, description: "Tailscale direct connections (WireGuard)" });
  return rules;
}
