/**
 * The public edge: the one fact from which the hub's firewall, the proxy container's published ports, the Caddyfile's
 * protocols and the DNS record types all follow, so they cannot disagree. The proxy must answer on every address
 * family DNS publishes: Let's Encrypt prefers IPv6 when an AAAA record exists and does not fall back to IPv4 on a
 * refused connection (https://letsencrypt.org/docs/ipv6-support/), and Docker publishes a port on IPv4 only unless
 * it is also bound to "::". HTTP/3 runs over QUIC on 443/udp, so that port is open end to end too.
 */
import type { Estate, NodeKind } from "../estate/schema";
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
    families: PUBLIC_IPV6_KINDS.has(hub.kind) ? ["ipv4", "ipv6"] : ["ipv4"],
    listeners: [
      { protocol: "tcp", portName: "http", port: ports.http, purpose: "HTTP (ACME challenges, redirect to HTTPS)" },
      { protocol: "tcp", portName: "https", port: ports.https, purpose: "HTTPS" },
      { protocol: "udp", portName: "https", port: ports.https, purpose: "HTTP/3 (QUIC)" },
    ],
  };
}
