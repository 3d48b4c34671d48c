/**
 * Apache Airflow 3, following the official docker-compose.yaml
 * (https://airflow.apache.org/docs/apache-airflow/stable/howto/docker-compose/index.html): PostgreSQL, an init
 * container that migrates the database and creates the admin user through the image's entrypoint
 * (_AIRFLOW_DB_MIGRATE, _AIRFLOW_WWW_USER_CREATE), then api-server, scheduler, dag-processor and triggerer, with the
 * same healthchecks. LocalExecutor by default; CeleryExecutor adds Redis (password-protected: it is published to
 * the mesh while workers run elsewhere), the estate's workers, and Flower (the compose file's `flower` service),
 * whose /metrics has a series per worker on any node (https://flower.readthedocs.io/en/latest/prometheus-integration.html):
 * Celery workers serve no HTTP of their own.
 * Unlike the compose file (a development setup), examples are off and every service shares one JWT secret, without
 * which tasks fail with "Invalid auth token".
 *
 * Workers on other nodes are a deployment of their own there (`airflowWorkerDeployment`): they reach the broker, the
 * metadata database and the API server's execution API at the app's node (`reach`: its tailnet name, or its LAN
 * address without a tailnet), with the app's own secrets imported, never generated again. Each worker node keeps its
 * own dags and plugins volumes: DAG files must reach every worker (https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/executor/celery.html
 * lists it among the Celery executor's requirements), e.g. baked into the image or synced by the operator.
 */
import { reach } from "../../derive/routes";
import type { App, Estate } from "../../estate/schema";
import { appHostPorts, type AppContext } from "../apps";
import { localWorkers, type WorkerGroup } from "../workers";
import { PASSWORD, postgresSidecar, publicUrl } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec, ContainerSpec, SecretSpec } from "../../../components/apps/deploymentSpec";

const SHARED_VOLUMES = [
  { name: "dags", path: "/opt/airflow/dags" },
  { name: "logs", path: "/opt/airflow/logs" },
  { name: "plugins", path: "/opt/airflow/plugins" },
];

const jobCheck = (jobType: string) => ({ test: ["CMD-SHELL", `airflow jobs check --job-type ${jobType} --hostname "$HOSTNAME"`], startPeriodSeconds: 30 });

type AirflowApp = Extract<App, { kind: "airflow" }>;

const REDIS_CONFIG = "/usr/local/etc/redis/redis.conf";

/** The secrets every Airflow container shares, generated once by the app's own deployment. */
const SHARED_SECRETS: Readonly<Record<string, SecretSpec>> = {
  "db-password": PASSWORD,
  "jwt-secret": { kind: "password", length: 48 },
  "api-secret-key": { kind: "password", length: 48 },
  "fernet-key": { kind: "fernet-key" },
};
const REDIS_SECRET = "redis-password";

/** Airflow's configuration as seen from `fromNode`: the app's services by container name there, else by node address. */
function airflowConfig(estate: Estate, name: string, app: AirflowApp, fromNode: string): { env: Record<string, string>; secretEnv: Record<string, string> } {
  const celery = app.executor === "CeleryExecutor";
  const base = publicUrl(estate, app);
  const env: Record<string, string> = {
    AIRFLOW__CORE__EXECUTOR: app.executor,
    AIRFLOW__CORE__AUTH_MANAGER: "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager",
    AIRFLOW__CORE__LOAD_EXAMPLES: "false",
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: "true",
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://${reach(estate, fromNode, name, "http")}/execution/`,
    AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK: "true",
    ...(base ? { AIRFLOW__API__BASE_URL: base } : {}),
  };
  const db = reach(estate, fromNode, name, "db");
  const secretEnv: Record<string, string> = {
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `postgresql+psycopg2://airflow:{{db-password}}@${db}/airflow`,
    AIRFLOW__CORE__FERNET_KEY: "{{fernet-key}}",
    AIRFLOW__API_AUTH__JWT_SECRET: "{{jwt-secret}}",
    AIRFLOW__API__SECRET_KEY: "{{api-secret-key}}",
    ...(celery
      ? {
          AIRFLOW__CELERY__BROKER_URL: `redis://:{{${REDIS_SECRET}}}@${reach(estate, fromNode, name, "broker")}/0`,
          AIRFLOW__CELERY__RESULT_BACKEND: `db+postgresql://airflow:{{db-password}}@${db}/airflow`,
        }
      : {}),
  };
  return { env, secretEnv };
}

/** One Celery worker, with the docker-compose file's healthcheck. */
function celeryWorker(component: string, config: { env: Record<string, string>; secretEnv: Record<string, string> }, after: readonly string[]): ContainerSpec {
  return {
    component,
    image: images.airflow,
    command: ["celery", "worker"],
    // Warm shutdown needs the signal to reach celery itself (docs/docker-stack/entrypoint.html#signal-propagation).
    env: { ...config.env, DUMB_INIT_SETSID: "0" },
    secretEnv: config.secretEnv,
    volumes: SHARED_VOLUMES,
    healthcheck: {
      test: ["CMD-SHELL", 'celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$HOSTNAME"'],
      startPeriodSeconds: 30,
    },
    memoryMiB: 2048,
    after,
  };
}

export function airflowDeployment({ estate, name, app }: AppContext<"airflow">): AppDeploymentSpec {
  const celery = app.executor === "CeleryExecutor";
  const config = airflowConfig(estate, name, app, app.node);
  const { env, secretEnv } = config;
  // Published (to the mesh or LAN: the cloud firewall opens no app port) only while workers run on other nodes.
  const published = (port: string, containerPort: number) => (port in appHostPorts(app) ? [{ name: port, containerPort }] : []);
  const service = (component: string, spec: Partial<Omit<ContainerSpec, "component" | "image">>): ContainerSpec => ({
    component,
    image: images.airflow,
    env,
    secretEnv,
    volumes: SHARED_VOLUMES,
    memoryMiB: 1024,
    after: ["init"],
    ...spec,
  });

  const containers: ContainerSpec[] = [
    { ...postgresSidecar("airflow", "airflow"), ports: published("db", 5432) },
    ...(celery
      ? [
          {
            component: "redis",
            image: images.redis,
            command: ["redis-server", REDIS_CONFIG],
            ports: published("broker", 6379),
            // redis-cli reads its password from REDISCLI_AUTH, so the healthcheck needs no argument.
            secretEnv: { REDISCLI_AUTH: `{{${REDIS_SECRET}}}` },
            configFiles: [{ path: REDIS_CONFIG, content: `requirepass {{${REDIS_SECRET}}}\n`, artifact: "redis.conf", secret: true }],
            healthcheck: { test: ["CMD", "redis-cli", "ping"], intervalSeconds: 10, startPeriodSeconds: 10 },
            memoryMiB: 256,
            capabilities: "image-default" as const,
          },
        ]
      : []),
    {
      component: "init",
      image: images.airflow,
      command: ["version"],
      env: { ...env, _AIRFLOW_DB_MIGRATE: "true", _AIRFLOW_WWW_USER_CREATE: "true", _AIRFLOW_WWW_USER_USERNAME: "admin" },
      secretEnv: { ...secretEnv, _AIRFLOW_WWW_USER_PASSWORD: "{{admin-password}}" },
      volumes: SHARED_VOLUMES,
      memoryMiB: 1024,
      oneShot: true,
      after: celery ? ["db", "redis"] : ["db"],
    },
    service("api-server", {
      command: ["api-server"],
      ports: [{ name: "http", containerPort: 8080 }],
      healthcheck: { test: ["CMD", "curl", "--fail", "http://localhost:8080/api/v2/version"], startPeriodSeconds: 30 },
    }),
    service("scheduler", { command: ["scheduler"], healthcheck: { test: ["CMD", "curl", "--fail", "http://localhost:8974/health"], startPeriodSeconds: 30 }, memoryMiB: 2048 }),
    service("dag-processor", { command: ["dag-processor"], healthcheck: jobCheck("DagProcessorJob") }),
    service("triggerer", { command: ["triggerer"], healthcheck: jobCheck("TriggererJob"), memoryMiB: 512 }),
    ...(celery
      ? [
          // As the compose file's `flower` service, probed on Flower's own /healthcheck. It reads the broker by
          // container name (airflowConfig from the app's node) and needs no DAGs.
          service("flower", {
            command: ["celery", "flower"],
            ports: [{ name: "flower", containerPort: 5555 }],
            volumes: [],
            healthcheck: { test: ["CMD", "curl", "--fail", "http://localhost:5555/healthcheck"], startPeriodSeconds: 30 },
            memoryMiB: 512,
          }),
        ]
      : []),
    ...localWorkers(app).map((component) => celeryWorker(component, config, ["init", "api-server"])),
  ];
  return {
    adminLogin: { user: "admin", password: "{{admin-password}}" },
    // In the order they were always created (state holds them by name; the order keeps plans comparable).
    secrets: {
      "db-password": SHARED_SECRETS["db-password"],
      "admin-password": PASSWORD,
      "jwt-secret": SHARED_SECRETS["jwt-secret"],
      "api-secret-key": SHARED_SECRETS["api-secret-key"],
      "fernet-key": SHARED_SECRETS["fernet-key"],
      ...(celery ? { [REDIS_SECRET]: PASSWORD } : {}),
    },
    containers,
  };
}

/**
 * The Celery workers of `name` on another node: the same configuration, reaching the app's node, with the app's
 * secrets imported (the same values, never generated again). They start once the app's deployment has finished.
 */
export function airflowWorkerDeployment({ estate, name, app }: AppContext<"airflow">, group: WorkerGroup): AppDeploymentSpec {
  const config = airflowConfig(estate, name, app, group.node);
  const shared = [...Object.keys(SHARED_SECRETS), REDIS_SECRET];
  return {
    secrets: {},
    imports: Object.fromEntries(shared.map((secret) => [secret, { app: name, secret }])),
    containers: group.components.map((component) => ({ ...celeryWorker(component, config, []), afterApps: [name] })),
  };
}
