/**
 * Workers placed on nodes (Airflow's Celery workers, Spark's workers): which executor has them, which nodes exist,
 * and what a worker on another node needs to reach the app and be reached by it.
 */
import { appKinds } from "../../catalog/apps";
import { knownHost } from "../../derive/addressing";
import { oneOf, type EstateProblem, type Rule } from "./problem";

const placement: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    if (app.kind !== "airflow" && app.kind !== "spark") continue;
    if (app.kind === "airflow" && app.executor !== "CeleryExecutor" && app.workers !== undefined) {
      problems.push({ path: ["apps", name, "workers"], message: `the ${app.executor} has no workers (it runs tasks inside the scheduler): set executor: CeleryExecutor, or remove workers` });
      continue;
    }
    if (app.workers === undefined || typeof app.workers === "number") continue;
    const seen = new Set<string>();
    app.workers.forEach((group, i) => {
      const at = ["apps", name, "workers", i];
      if (estate.nodes[group.node] === undefined) {
        problems.push({ path: [...at, "node"], message: `unknown node "${group.node}"; ${oneOf(Object.keys(estate.nodes))}` });
        return;
      }
      if (seen.has(group.node)) {
        problems.push({ path: [...at, "node"], message: `node "${group.node}" is listed twice; give it one entry with the total count` });
        return;
      }
      seen.add(group.node);
      if (group.node === app.node) return;
      // Without a tailnet, workers and the app reach each other at their nodes' static LAN addresses.
      const unreachable = [group.node, app.node].filter((node) => knownHost(estate, node) === undefined);
      if (unreachable.length > 0) {
        problems.push({ path: [...at, "node"], message: `without hybridlab:tailnet, workers on another node reach apps.${name} (and are reached) at static LAN addresses, and ${unreachable.map((n) => `nodes.${n}`).join(" and ")} has none: give it a static address, or set hybridlab:tailnet` });
        return;
      }
      if (app.kind !== "spark") return;
      const ports = Object.values(appKinds.spark.remoteWorker?.ports ?? {}).join(", ");
      if (estate.tailnet === undefined) {
        problems.push({ path: [...at, "node"], message: `a Spark worker binds the address it advertises, which inside a container works only for a name, and without hybridlab:tailnet nodes.${group.node} is known only by its LAN address: set hybridlab:tailnet, or place the workers on nodes.${app.node}` });
      } else if (group.count > 1) {
        problems.push({ path: [...at, "count"], message: `a Spark worker on another node than the master publishes the ports it advertises (${ports}) at the same numbers, so a node runs one, got ${group.count}: spread them over more nodes, or raise workerCores and workerMemoryMiB` });
      }
    });
  }
  return problems;
};

export const workerRules: readonly Rule[] = [placement];
