/**
 * What an app's workers on several nodes need from the network and from monitoring: the flows between a worker's
 * node and the app's node, and each worker's UI for scraping and probing. Derived from the catalog's worker ports
 * and the estate's placement (catalog/workers.ts).
 */
import { containerName } from "../../components/apps/deploymentSpec";
import { appHostPorts, appSpecOf } from "../catalog/apps";
import { localWorkers, remoteWorkerGroups, workerGroups } from "../catalog/workers";
import type { Estate } from "../estate/schema";
import type { WatchedWorkers } from "../render/alertRules";
import { nodeHost } from "./addressing";
import { reach } from "./routes";

/** One flow a worker placement needs: TCP to `port` on `toNode`. */
export interface WorkerFlow {
  readonly app: string;
  readonly fromNode: string;
  readonly toNode: string;
  readonly port: number;
  readonly purpose: string;
}

/**
 * Flows between the app's node and each node that runs some of its workers: the workers reach the ports the app
 * publishes for them (Airflow: broker, database, execution API; Spark: master, and the driver executors call
 * back), and Spark's master and driver reach each worker's RPC and block manager ports
 * (https://spark.apache.org/docs/latest/security.html#configuring-ports-for-network-security).
 */
export function workerFlows(estate: Pick<Estate, "apps">): WorkerFlow[] {
  const flows: WorkerFlow[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    const remote = appSpecOf(app).remoteWorker;
    if (remote === undefined) continue;
    const ports = appHostPorts(app);
    for (const group of remoteWorkerGroups(app)) {
      for (const port of remote.reaches) flows.push({ app: name, fromNode: group.node, toNode: app.node, port: ports[port], purpose: `${name} workers on ${group.node} to ${port}` });
      for (const port of remote.calledOn) flows.push({ app: name, fromNode: app.node, toNode: group.node, port: remote.ports[port], purpose: `${name} to its workers on ${group.node} ${port}` });
    }
  }
  return flows;
}

/** A worker's UI, scraped and probed by the monitoring app. */
export interface MonitoredWorker {
  readonly app: string;
  readonly node: string;
  /** Host port of its UI on `node`. */
  readonly port: number;
  readonly metricsPath: string;
  readonly healthPath?: string;
}

/** Every worker with a published UI: on the app's node the catalog's `worker-ui` one, and each worker elsewhere. */
export function monitoredWorkers(estate: Pick<Estate, "apps">): MonitoredWorker[] {
  const workers: MonitoredWorker[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    const remote = appSpecOf(app).remoteWorker;
    const metrics = remote?.metrics[0];
    if (remote === undefined || metrics === undefined) continue;
    const healthPath = remote.health?.path;
    if (localWorkers(app).length > 0) workers.push({ app: name, node: app.node, port: appHostPorts(app)[metrics.port], metricsPath: metrics.path, healthPath });
    for (const group of remoteWorkerGroups(app)) workers.push({ app: name, node: group.node, port: remote.ports[metrics.port], metricsPath: metrics.path, healthPath });
  }
  return workers;
}

/**
 * "host:port" at which code on `fromNode` reaches a worker's UI: by container name on the same host (the published
 * worker on the app's node), else at its node's address.
 */
export function workerAddress(estate: Pick<Estate, "apps" | "nodes" | "tailnet">, fromNode: string | undefined, worker: MonitoredWorker): string {
  const app = estate.apps[worker.app];
  if (app !== undefined && worker.node === app.node) return reach(estate, fromNode, worker.app, "worker-ui");
  return `${nodeHost(estate, worker.node)}:${worker.port}`;
}

/**
 * Apps whose workers Flower watches (Airflow with the CeleryExecutor, catalog/containers/airflow.ts), with each
 * worker's Celery node name on every node: `celery@<container>`, as a worker's container hostname is its name.
 * The AirflowWorkerOffline alert holds Flower's view to them.
 */
export function watchedWorkers(estate: Pick<Estate, "apps">): WatchedWorkers[] {
  return Object.entries(estate.apps)
    .filter(([, app]) => app.kind === "airflow")
    .map(([name, app]) => ({ app: name, workers: workerGroups(app).flatMap((group) => group.components.map((component) => `celery@${containerName(name, component)}`)) }))
    .filter((watched) => watched.workers.length > 0);
}
