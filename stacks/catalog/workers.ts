/**
 * Where an app's workers run (Airflow's Celery workers, Spark's workers): the estate states a count on the app's node
 * or a count per node; everything that places, connects, monitors or sizes a worker reads it from here.
 */
import type { App } from "../estate/schema";

/** The workers an app runs on one node, with their component names (unique in the estate's container names). */
export interface WorkerGroup {
  readonly node: string;
  readonly components: readonly string[];
  /** Where the estate states them, below the app: `["workers", i]`, or `["workers"]` for a plain count. */
  readonly at: readonly PropertyKey[];
}

/** Apps that have workers, and the count a number-less estate means: one Celery worker, Spark's default. */
function placement(app: App): ReadonlyArray<{ readonly node: string; readonly count: number; readonly at: readonly PropertyKey[] }> {
  const workers = app.kind === "spark" ? app.workers : app.kind === "airflow" && app.executor === "CeleryExecutor" ? (app.workers ?? 1) : undefined;
  if (workers === undefined) return [];
  if (typeof workers === "number") return [{ node: app.node, count: workers, at: ["workers"] }];
  return workers.map((w, i) => ({ ...w, at: ["workers", i] }));
}

/**
 * The app's workers by node, in the estate's order. On the app's own node they are `worker-1`, `worker-2`, ... (as
 * before workers could be placed); elsewhere `worker-<node>-1`, ..., so every container name in the estate says
 * where it runs.
 */
export function workerGroups(app: App): WorkerGroup[] {
  return placement(app).map(({ node, count, at }) => ({
    node,
    at,
    components: Array.from({ length: count }, (_, i) => (node === app.node ? `worker-${i + 1}` : `worker-${node}-${i + 1}`)),
  }));
}

/** The app's worker groups on nodes other than its own: each is a deployment of its own on that node. */
export function remoteWorkerGroups(app: App): WorkerGroup[] {
  return workerGroups(app).filter((group) => group.node !== app.node);
}

/** The app's workers on its own node (none when all of them run elsewhere). */
export function localWorkers(app: App): readonly string[] {
  return workerGroups(app).find((group) => group.node === app.node)?.components ?? [];
}
