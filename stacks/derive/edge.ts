/**
 * The public edge: the one fact from which the hub's firewall, the proxy container's published ports, the Caddyfile's
 * protocols and the DNS record types all follow, so they cannot disagree. The proxy must answer on every address
 * family DNS publishes: Let's Encrypt prefers IPv6 when an AAAA record exists and does not fall back to IPv4 on a
 * refused connection (https://letsencrypt.org/docs/ipv6-support/), and Docker publishes a port on IPv4 only unless
 * it is also bound to "::". HTTP/3 runs over QUIC on 443/udp, so that port is open end to end too.
 */
import { isProxmoxGuest, type Estate, type EstateNode, type NodeKind } from "../estate/schema";
import { guestLanAddress } from "./addressing";
import { appHostPorts } from "../catalog/apps";

export type AddressFamily = "ipv4" | "ipv6";

/**
 * Cloud kinds whose machines get a public IPv6 address: HetznerServer enables it on its primary IPs and
 * DigitalOceanDroplet sets `ipv6: true`; the Azure VM gets a public IPv4 address only.
 */
export const PUBLIC_IPV6_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["hetzner", "digitalocean"]);

/** One port the edge answers on, from the whole internet. */
export interface EdgeListener {
  readonly protocol: "tcp" | "udp";
  /** The reverse proxy's named port (its host port and container port come from the catalog). */
  readonly portName: "http" | "https";
  readonly port: number;
  readonly purpose: string;
}

export interface PublicEdge {
  /** The hub that runs the reverse proxy. */
  readonly node: string;
  readonly proxy: string;
  /** Address families the hub has publicly, so the ones DNS publishes and the proxy binds. */
  readonly families: readonly AddressFamily[];
  readonly listeners: readonly EdgeListener[];
}

/** The whole internet, per family. */
export const INTERNET: Readonly<Record<AddressFamily, string>> = { ipv4: "0.0.0.0/0", ipv6: "::/0" };

/** The address Docker binds a published port to, per family ("::" for IPv6; IPv4 is Docker's default). */
export const BIND_ADDRESS: Readonly<Record<AddressFamily, string | undefined>> = { ipv4: undefined, ipv6: "::" };

/** The estate's public edge: the reverse proxy on a hub, or undefined when there is none. */
export function publicEdge(estate: Pick<Estate, "nodes" | "apps">): PublicEdge | undefined {
  const entry = Object.entries(estate.apps).find(([, app]) => app.kind === "reverse-proxy");
  if (!entry) return undefined;
  const [proxy, app] = entry;
  const hub = estate.nodes[app.node];
  if (hub?.role !== "hub") return undefined;
  const ports = appHostPorts(app);
  return {
    node: app.node,
    proxy,
    families: hasPublicIpv6(hub) ? ["ipv4", "ipv6"] : ["ipv4"],
    listeners: [
      { protocol: "tcp", portName: "http", port: ports.http, purpose: "HTTP (ACME challenges, redirect to HTTPS)" },
      { protocol: "tcp", portName: "https", port: ports.https, purpose: "HTTPS" },
      { protocol: "udp", portName: "https", port: ports.https, purpose: "HTTP/3 (QUIC)" },
    ],
  };
}

/** A cloud hub of an IPv6 kind, or a Proxmox guest whose stated public address has IPv6. */
function hasPublicIpv6(hub: EstateNode): boolean {
  return isProxmoxGuest(hub) ? hub.publicAddress?.ipv6 !== undefined : PUBLIC_IPV6_KINDS.has(hub.kind);
}

/** What the Proxmox host must forward to a hub guest that does not hold its public address itself. */
export interface HostForwarding {
  /** The hub's stated public IPv4 (on the Proxmox host's public bridge). */
  readonly from: string;
  /** The stated public IPv6, when there is one: the host routes or forwards it to the guest as well. */
  readonly fromIpv6?: string;
  /** The guest's LAN address the host forwards to. */
  readonly to: string;
  /** "port/protocol", the edge's listeners. */
  readonly ports: readonly string[];
}

/**
 * The forwarding (DNAT) the operator sets up on the Proxmox host for a hub guest whose public address is the host's:
 * the program manages neither the host's firewall nor its NAT. Undefined when the hub is no Proxmox guest, or the
 * guest holds the address itself (a NIC with it on the host's public bridge).
 */
export function hostForwarding(estate: Pick<Estate, "nodes" | "apps">): HostForwarding | undefined {
  const edge = publicEdge(estate);
  const hub = edge && estate.nodes[edge.node];
  if (!edge || !hub || !isProxmoxGuest(hub) || hub.publicAddress === undefined) return undefined;
  const from = hub.publicAddress.ipv4;
  if (hub.networks.some((nic) => nic.address.split("/")[0] === from)) return undefined;
  const to = guestLanAddress(estate, edge.node);
  if (to === undefined) throw new Error(`internal: hub nodes.${edge.node} has no static LAN address; the estate rules refuse this`);
  const ipv6 = hub.publicAddress.ipv6;
  return { from, ...(ipv6 === undefined ? {} : { fromIpv6: ipv6 }), to, ports: edge.listeners.map((l) => `${l.port}/${l.protocol}`) };
}
