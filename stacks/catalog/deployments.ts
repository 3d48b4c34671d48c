/**
 * Each app kind's containers, secrets and ordering for an estate, by kind. Apart from the facts table (./apps.ts)
 * because the container builders consume derivations (routes, scrape jobs) that themselves read the facts.
 */
import type { AppDeploymentSpec } from "../../components/apps/deploymentSpec";
import type { AppKind, Estate } from "../estate/schema";
import type { AppContext } from "./apps";
import { appSpecOf, hasOwnLogin } from "./apps";
import { airflowDeployment, airflowWorkerDeployment } from "./containers/airflow";
import { containerDeployment } from "./containers/container";
import { withDatabaseExporters } from "./containers/common";
import { identityDeployment } from "./containers/identity";
import { minioDeployment } from "./containers/minio";
import { mlflowDeployment } from "./containers/mlflow";
import { monitoringDeployment } from "./containers/monitoring";
import { moodleDeployment } from "./containers/moodle";
import { proxyDeployment } from "./containers/proxy";
import { sparkDeployment, sparkWorkerDeployment } from "./containers/spark";
import { remoteWorkerGroups } from "./workers";

const builders: { readonly [K in AppKind]: (ctx: AppContext<K>) => AppDeploymentSpec } = {
  "reverse-proxy": proxyDeployment,
  moodle: moodleDeployment,
  airflow: airflowDeployment,
  mlflow: mlflowDeployment,
  minio: minioDeployment,
  spark: sparkDeployment,
  monitoring: monitoringDeployment,
  identity: identityDeployment,
  container: containerDeployment,
};

/** The app's deployment for this estate: containers, secrets and ordering, as plain data. */
export function appDeployment(estate: Estate, stack: string, name: string): AppDeploymentSpec {
  const app = estate.apps[name];
  if (!app) throw new Error(`appDeployment: no app "${name}" in the estate`);
  // Each kind's builder receives its own app type; the cast only restores what the kind check already proves.
  const deploy = builders[app.kind] as (ctx: AppContext) => AppDeploymentSpec;
  const built = deploy({ estate, stack, name, app });
  const spec = { ...built, containers: withDatabaseExporters(name, built.containers) };
  // The container behind a login-less upstream says so, so the policy pack can refuse a public route to it.
  const facts = appSpecOf(app);
  const upstream = facts.upstream;
  const behind = upstream === undefined || hasOwnLogin(app) ? undefined : facts.listen[upstream]?.component;
  if (behind === undefined) return spec;
  return { ...spec, containers: spec.containers.map((c) => (c.component === behind ? { ...c, withoutLogin: { node: app.node } } : c)) };
}

/** An app's workers on another node: a deployment of their own there, named `<app>-on-<node>`. */
export interface WorkerDeployment {
  /** The deployment's name (its Pulumi resources' prefix). */
  readonly name: string;
  readonly node: string;
  readonly spec: AppDeploymentSpec;
  /** Host ports the workers publish on that node, by name. */
  readonly hostPorts: Readonly<Record<string, number>>;
}

/** The app's worker deployments on other nodes, in the estate's order (none for apps without workers). */
export function workerDeployments(estate: Estate, stack: string, name: string): WorkerDeployment[] {
  const app = estate.apps[name];
  if (!app) throw new Error(`workerDeployments: no app "${name}" in the estate`);
  return remoteWorkerGroups(app).map((group) => {
    const spec =
      app.kind === "airflow" ? airflowWorkerDeployment({ estate, stack, name, app }, group) : app.kind === "spark" ? sparkWorkerDeployment({ estate, stack, name, app }, group) : undefined;
    if (spec === undefined) throw new Error(`internal: a ${app.kind} has no workers`);
    return { name: `${name}-on-${group.node}`, node: group.node, spec, hostPorts: appSpecOf(app).remoteWorker?.ports ?? {} };
  });
}
