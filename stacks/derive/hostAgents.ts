/**
 * Which agents run on which host, and on which host ports: node-exporter and cAdvisor everywhere, and on one guest
 * per Proxmox site that asks for it, the Proxmox VE exporter for that site's host.
 */
import { hostAgents } from "../catalog/apps";
import type { Estate } from "../estate/schema";
import { proxmoxGuests } from "./proxmox";

/** The Proxmox VE exporter's agent name and host port (its default, https://github.com/prometheus-pve/prometheus-pve-exporter). */
export const PVE_EXPORTER = { agent: "pve-exporter", port: 9221 } as const;

/** The Docker daemon's metrics port on nodes with `dockerMetrics` (Docker's documented example port). */
export const DOCKER_METRICS_PORT = 9323;

/** Nodes whose Docker daemon serves its metrics, by name. */
export function dockerMetricsNodes(estate: Pick<Estate, "nodes">): string[] {
  return Object.keys(estate.nodes)
    .filter((node) => estate.nodes[node].dockerMetrics)
    .sort();
}

/** One site's Proxmox VE exporter: where it runs, the API it asks, and as whom. */
export interface PveExporter {
  readonly site: string;
  /** The guest that runs it. */
  readonly node: string;
  /**
   * What the exporter is asked to scrape (its `target` parameter): the API host, with the port only when it is not
   * 8006, proxmoxer's default.
   */
  readonly target: string;
  /** The token's user (`prometheus@pve`) and name (`monitoring`), from its id `prometheus@pve!monitoring`. */
  readonly user: string;
  readonly tokenName: string;
  /** Verify the API's TLS certificate (false for a site marked `insecure`). */
  readonly verifyTls: boolean;
}

/** The exporter of every site that has one, by site name; its node is the stated one or the site's first guest by name. */
export function pveExporters(estate: Pick<Estate, "proxmox" | "nodes">): PveExporter[] {
  return Object.entries(estate.proxmox)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([site, config]) => {
      const exporter = config.pveExporter;
      if (exporter === undefined) return [];
      const node = exporter.node ?? pveExporterDefaultNode(estate, site);
      if (node === undefined) return [];
      const url = new URL(config.endpoint);
      const [user, tokenName] = exporter.tokenId.split("!");
      return [{ site, node, target: url.port === "" || url.port === "8006" ? url.hostname : url.host, user, tokenName, verifyTls: !config.insecure }];
    });
}

/** The site's first guest by name, where its exporter runs unless the site names another. */
export function pveExporterDefaultNode(estate: Pick<Estate, "nodes">, site: string): string | undefined {
  return proxmoxGuests(estate)
    .filter(([, guest]) => guest.site === site)
    .map(([name]) => name)
    .sort()[0];
}

/** The agents a host runs and their host ports, by agent name. */
export function hostAgentPorts(estate: Pick<Estate, "proxmox" | "nodes">, node: string): Record<string, number> {
  const pve = pveExporters(estate).some((e) => e.node === node);
  return { ...hostAgents, ...(pve ? { [PVE_EXPORTER.agent]: PVE_EXPORTER.port } : {}) };
}
