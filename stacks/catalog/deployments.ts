/**
 * Each app kind's containers, secrets and ordering for an estate, by kind. Apart from the facts table (./apps.ts)
 * because the container builders consume derivations (routes, scrape jobs) that themselves read the facts.
 */
import type { AppDeploymentSpec } from "../../components/apps/deploymentSpec";
import type { AppKind, Estate } from "../estate/schema";
import type { AppContext } from "./apps";
import { appSpecOf, hasOwnLogin } from "./apps";
import { airflowDeployment } from "./containers/airflow";
import { containerDeployment } from "./containers/container";
import { withDatabaseExporters } from "./containers/common";
import { identityDeployment } from "./containers/identity";
import { minioDeployment } from "./containers/minio";
import { mlflowDeployment } from "./containers/mlflow";
import { monitoringDeployment } from "./containers/monitoring";
import { moodleDeployment } from "./containers/moodle";
import { proxyDeployment } from "./containers/proxy";
import { sparkDeployment } from "./containers/spark";

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
