/**
 * How one node reaches another: over the tailnet by MagicDNS name when the estate has one; without a tailnet, a
 * Proxmox guest by its static LAN address. A cloud node without a tailnet has only a public address, known after
 * it is created: the estate rules refuse what would need to reach it by name (see rules/reachability.ts).
 */
import type { Estate } from "../estate/schema";
import { isProxmoxGuest } from "../estate/schema";

/** The MagicDNS name of a node: `<node>.<suffix>`, or the bare `<node>` when no suffix is configured. */
export function tailnetHost(estate: Pick<Estate, "tailnet">, node: string): string {
  const suffix = estate.tailnet?.magicDnsSuffix;
  return suffix ? `${node}.${suffix}` : node;
}

/** The LAN address a Proxmox guest is first reachable at (its first static address), if it has one. */
export function guestLanAddress(estate: Pick<Estate, "nodes">, node: string): string | undefined {
  const spec = estate.nodes[node];
  if (spec === undefined || !isProxmoxGuest(spec)) return undefined;
  const nic = spec.networks.find((n) => n.address !== "dhcp");
  return nic?.address.split("/")[0];
}

/**
 * Where other nodes and the program reach `node` by a name known before it exists: its MagicDNS name on a tailnet,
 * else its static LAN address. Undefined for a node that has neither (a cloud node or a DHCP guest without a tailnet).
 */
export function knownHost(estate: Pick<Estate, "tailnet" | "nodes">, node: string): string | undefined {
  return estate.tailnet ? tailnetHost(estate, node) : guestLanAddress(estate, node);
}

/** How a container reaches its own host (Docker's host-gateway; the container needs `hostGateway`). */
export const DOCKER_HOST = "host.docker.internal";

/**
 * Where code in a container on `fromNode` reaches a host-network service (node-exporter) on `node`: its known host,
 * or, on its own node without one (a cloud node without a tailnet), the host through Docker's host-gateway.
 */
export function hostServiceHost(estate: Pick<Estate, "tailnet" | "nodes">, fromNode: string | undefined, node: string): string {
  return knownHost(estate, node) ?? (node === fromNode ? DOCKER_HOST : nodeHost(estate, node));
}

/** `knownHost`, for callers the estate rules have proven it exists for (apps' nodes, monitored nodes). */
export function nodeHost(estate: Pick<Estate, "tailnet" | "nodes">, node: string): string {
  const host = knownHost(estate, node);
  if (host === undefined) throw new Error(`internal: node "${node}" has no tailnet name or static address; the estate rules refuse this`);
  return host;
}
