/**
 * Who talks to whom, derived from the estate and the catalog. Firewall rules and the Tailscale ACL are built from
 * these edges, so access follows the apps: nothing is opened that no app needs.
 */
import { appHostPorts, appSpecOf } from "../catalog/apps";
import { workerGroups } from "../catalog/workers";
import type { Estate } from "../estate/schema";
import { DOCKER_METRICS_PORT, dockerMetricsNodes, hostAgentPorts } from "./hostAgents";
import { dockerHosts } from "./proxmox";
import { monitoredWorkers, workerFlows } from "./workers";

export interface Connection {
  /** The node the traffic comes from. */
  readonly fromNode: string;
  /** The app sending it (absent for host agents). */
  readonly fromApp?: string;
  readonly toNode: string;
  readonly toApp?: string;
  /** TCP port on the destination host. */
  readonly port: number;
  /** Why this edge exists, for rule descriptions. */
  readonly purpose: string;
}

const byKind = (estate: Pick<Estate, "apps">, kind: string): Array<[string, Estate["apps"][string]]> =>
  Object.entries(estate.apps).filter(([, a]) => a.kind === kind);

/** Every app-to-app and monitoring edge in the estate, in a stable order. */
export function appConnections(estate: Pick<Estate, "apps" | "nodes" | "proxmox">): Connection[] {
  const edges: Connection[] = [];
  const [proxy] = byKind(estate, "reverse-proxy");
  const [monitoring] = byKind(estate, "monitoring");

  for (const [name, app] of Object.entries(estate.apps)) {
    const spec = appSpecOf(app);
    const ports = appHostPorts(app);
    if (proxy && app.hostname !== undefined && spec.upstream) {
      edges.push({ fromNode: proxy[1].node, fromApp: proxy[0], toNode: app.node, toApp: name, port: ports[spec.upstream], purpose: `proxy to ${name}` });
    }
    if (monitoring) {
      const scraped = [...spec.metrics.map((m) => m.port), ...(spec.health ? [spec.health.port] : [])];
      for (const portName of [...new Set(scraped)]) {
        edges.push({ fromNode: monitoring[1].node, fromApp: monitoring[0], toNode: app.node, toApp: name, port: ports[portName], purpose: `monitor ${name} ${portName}` });
      }
    }
    if (app.kind === "mlflow" && app.artifactStore !== undefined) {
      const store = estate.apps[app.artifactStore];
      edges.push({ fromNode: app.node, fromApp: name, toNode: store.node, toApp: app.artifactStore, port: appHostPorts(store).api, purpose: `${name} artifacts in ${app.artifactStore}` });
    }
    if (app.kind === "spark" && app.objectStore !== undefined) {
      // The driver (on the master's node) and the executors (on every worker's node) read and write the store.
      const store = estate.apps[app.objectStore];
      for (const node of new Set([app.node, ...workerGroups(app).map((g) => g.node)])) {
        edges.push({ fromNode: node, fromApp: name, toNode: store.node, toApp: app.objectStore, port: appHostPorts(store).api, purpose: `${name} data in ${app.objectStore}` });
      }
    }
  }
  for (const flow of workerFlows(estate)) {
    edges.push({ fromNode: flow.fromNode, fromApp: flow.app, toNode: flow.toNode, toApp: flow.app, port: flow.port, purpose: flow.purpose });
  }
  if (monitoring) {
    for (const worker of monitoredWorkers(estate)) {
      edges.push({ fromNode: monitoring[1].node, fromApp: monitoring[0], toNode: worker.node, toApp: worker.app, port: worker.port, purpose: `monitor ${worker.app} worker on ${worker.node}` });
    }
  }

  if (monitoring) {
    const [monName, mon] = monitoring;
    for (const host of [...dockerHosts(estate)].sort()) {
      for (const [agent, port] of Object.entries(hostAgentPorts(estate, host))) {
        edges.push({ fromNode: mon.node, fromApp: monName, toNode: host, port, purpose: `scrape ${agent} on ${host}` });
      }
      edges.push({ fromNode: host, toNode: mon.node, toApp: monName, port: appHostPorts(mon).loki, purpose: `ship ${host} logs to loki` });
    }
    for (const host of dockerMetricsNodes(estate)) {
      edges.push({ fromNode: mon.node, fromApp: monName, toNode: host, port: DOCKER_METRICS_PORT, purpose: `scrape the Docker daemon on ${host}` });
    }
  }
  return edges;
}

/** Edges that cross hosts: only these need firewall or tailnet rules. */
export function crossHostConnections(estate: Pick<Estate, "apps" | "nodes" | "proxmox">): Connection[] {
  return appConnections(estate).filter((c) => c.fromNode !== c.toNode);
}
