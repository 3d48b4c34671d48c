/**
 * What the monitoring app watches, derived from the estate and the catalog: every app's metrics endpoints (its
 * database's exporter among them), the agents on every Docker host, each Proxmox site's VE exporter, and a blackbox
 * probe for every public URL and every app's health URL. A new app in the estate shows up here without any other edit.
 */
import { appSpecOf, hostAgents } from "../catalog/apps";
import { containerName } from "../../components/apps/deploymentSpec";
import type { Estate } from "../estate/schema";
import type { Probe, ScrapeJob } from "../render/prometheus";
import { hostServiceHost, nodeHost } from "./addressing";
import { DOCKER_METRICS_PORT, dockerMetricsNodes, PVE_EXPORTER, pveExporters } from "./hostAgents";
import { publicApps } from "./hostnames";
import { dockerHosts } from "./proxmox";
import { reach } from "./routes";
import { monitoredWorkers, workerAddress } from "./workers";

type Monitored = Pick<Estate, "apps" | "dns" | "tailnet" | "nodes" | "proxmox">;

/** The monitoring app (the first, by config order), if the estate has one. */
export function monitoringApp(estate: Pick<Estate, "apps">): { name: string; node: string } | undefined {
  const found = Object.entries(estate.apps).find(([, a]) => a.kind === "monitoring");
  return found && { name: found[0], node: found[1].node };
}

/**
 * The estate's mail relay: the monitoring app's `smtp` (its password the secret `hybridlab:smtpPassword`), which
 * every app that sends mail uses too. Undefined when the estate states none.
 */
export function mailRelay(estate: Pick<Estate, "apps">): { readonly host: string; readonly port: number; readonly from: string; readonly username: string } | undefined {
  for (const app of Object.values(estate.apps)) {
    if (app.kind !== "monitoring" || app.smtp === undefined) continue;
    const { smarthost, from, username } = app.smtp;
    const colon = smarthost.lastIndexOf(":");
    return { host: smarthost.slice(0, colon), port: Number(smarthost.slice(colon + 1)), from, username };
  }
  return undefined;
}

/**
 * Scrape jobs as the monitoring app sees them: one per app metrics endpoint (`<app>-<port>`), one per host agent
 * with a target on every Docker host, `docker` for the daemons that serve metrics, and `pve-<site>` per Proxmox VE
 * exporter. Agents are reached at their node's address (tailnet, or static LAN address): node-exporter shares the
 * host's network namespace, so it has no address on the Docker network. On a node without either (one VPS without a
 * tailnet) the monitoring app reaches its own host through host-gateway.
 */
export function scrapeJobs(estate: Monitored): ScrapeJob[] {
  const from = monitoringApp(estate)?.node;
  const jobs: ScrapeJob[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    for (const endpoint of appSpecOf(app).metrics) {
      jobs.push({
        job: `${name}-${endpoint.port}`,
        metricsPath: endpoint.path,
        targets: [{ address: reach(estate, from, name, endpoint.port), labels: { app: name, kind: app.kind, node: app.node } }],
      });
    }
  }
  // One job per app's workers, a target per worker (labelled with its node).
  const workers = monitoredWorkers(estate);
  for (const name of [...new Set(workers.map((w) => w.app))]) {
    const own = workers.filter((w) => w.app === name);
    jobs.push({
      job: `${name}-workers`,
      metricsPath: own[0].metricsPath,
      targets: own.map((w) => ({ address: workerAddress(estate, from, w), labels: { app: name, kind: estate.apps[name].kind, node: w.node } })),
    });
  }
  const hosts = [...dockerHosts(estate)].sort();
  for (const [agent, port] of Object.entries(hostAgents)) {
    jobs.push({ job: agent, targets: hosts.map((node) => ({ address: `${hostServiceHost(estate, from, node)}:${port}`, labels: { node } })) });
  }
  const daemons = dockerMetricsNodes(estate);
  if (daemons.length > 0) jobs.push({ job: "docker", targets: daemons.map((node) => ({ address: `${hostServiceHost(estate, from, node)}:${DOCKER_METRICS_PORT}`, labels: { node } })) });
  // Per the exporter's README ("PVE exporter running on Prometheus host"): the API host is the target, the exporter
  // the address; cluster and node collectors both, since each site is one PVE node.
  for (const pve of pveExporters(estate)) {
    jobs.push({
      job: `pve-${pve.site}`,
      metricsPath: "/pve",
      params: { module: ["default"], cluster: ["1"], node: ["1"] },
      exporter: `${nodeHost(estate, pve.node)}:${PVE_EXPORTER.port}`,
      targets: [{ address: pve.target, labels: { site: pve.site } }],
    });
  }
  return jobs.sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
}

/** Blackbox probes: each public URL (at the app's health path when it serves the public port) and each health URL. */
export function blackboxProbes(estate: Monitored): Probe[] {
  const from = monitoringApp(estate)?.node;
  const urls = new Set<string>();
  for (const { app, url } of publicApps(estate)) {
    const spec = appSpecOf(estate.apps[app]);
    urls.add(spec.health && spec.health.port === spec.upstream ? `${url}${spec.health.path}` : `${url}/`);
  }
  for (const [name, app] of Object.entries(estate.apps)) {
    const health = appSpecOf(app).health;
    if (health) urls.add(`http://${reach(estate, from, name, health.port)}${health.path}`);
  }
  for (const worker of monitoredWorkers(estate)) {
    if (worker.healthPath !== undefined) urls.add(`http://${workerAddress(estate, from, worker)}${worker.healthPath}`);
  }
  return [...urls].sort().map((url) => ({ url, module: "http_2xx" as const }));
}

/** Where a host's log shipper pushes to: the monitoring app's Loki, by Docker network or tailnet. */
export function lokiPushUrl(estate: Pick<Estate, "apps" | "tailnet" | "nodes">, fromNode: string): string | undefined {
  const monitoring = monitoringApp(estate);
  return monitoring && `http://${reach(estate, fromNode, monitoring.name, "loki")}/loki/api/v1/push`;
}

/** The monitoring app's own components, by container name on its network. */
export function monitoringAddress(app: string, component: "alertmanager" | "blackbox", port: number): string {
  return `${containerName(app, component)}:${port}`;
}
