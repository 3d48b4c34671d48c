/**
 * Apache Airflow 3, following the official docker-compose.yaml
 * (https://airflow.apache.org/docs/apache-airflow/stable/howto/docker-compose/index.html): PostgreSQL, an init
 * container that migrates the database and creates the admin user through the image's entrypoint
 * (_AIRFLOW_DB_MIGRATE, _AIRFLOW_WWW_USER_CREATE), then api-server, scheduler, dag-processor and triggerer, with the
 * same healthchecks. LocalExecutor by default; CeleryExecutor adds Redis and the estate's number of workers.
 * Unlike the compose file (a development setup), examples are off and every service shares one JWT secret, without
 * which tasks fail with "Invalid auth token".
 */
import type { AppContext } from "../apps";
import { PASSWORD, postgresSidecar, publicUrl } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec, ContainerSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

const SHARED_VOLUMES = [
  { name: "dags", path: "/opt/airflow/dags" },
  { name: "logs", path: "/opt/airflow/logs" },
  { name: "plugins", path: "/opt/airflow/plugins" },
];

const jobCheck = (jobType: string) => ({ test: ["CMD-SHELL", `airflow jobs check --job-type ${jobType} --hostname "$HOSTNAME"`], startPeriodSeconds: 30 });

export function airflowDeployment({ estate, name, app }: AppContext<"airflow">): AppDeploymentSpec {
  const celery = app.executor === "CeleryExecutor";
  const db = containerName(name, "db");
  const redis = containerName(name, "redis");
  const base = publicUrl(estate, app);
  const env: Record<string, string> = {
    AIRFLOW__CORE__EXECUTOR: app.executor,
    AIRFLOW__CORE__AUTH_MANAGER: "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager",
    AIRFLOW__CORE__LOAD_EXAMPLES: "false",
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: "true",
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://${containerName(name, "api-server")}:8080/execution/`,
    AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK: "true",
    ...(base ? { AIRFLOW__API__BASE_URL: base } : {}),
    ...(celery ? { AIRFLOW__CELERY__BROKER_URL: `redis://${redis}:6379/0` } : {}),
  };
  const secretEnv: Record<string, string> = {
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `postgresql+psycopg2://airflow:{{db-password}}@${db}/airflow`,
    AIRFLOW__CORE__FERNET_KEY: "{{fernet-key}}",
    AIRFLOW__API_AUTH__JWT_SECRET: "{{jwt-secret}}",
    AIRFLOW__API__SECRET_KEY: "{{api-secret-key}}",
    ...(celery ? { AIRFLOW__CELERY__RESULT_BACKEND: `db+postgresql://airflow:{{db-password}}@${db}/airflow` } : {}),
  };
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
    postgresSidecar("airflow", "airflow"),
    ...(celery
      ? [
          {
            component: "redis",
            image: images.redis,
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
  ];
  if (celery) {
    for (let i = 1; i <= app.workers; i++) {
      containers.push(
        service(`worker-${i}`, {
          command: ["celery", "worker"],
          healthcheck: {
            test: ["CMD-SHELL", 'celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$HOSTNAME"'],
            startPeriodSeconds: 30,
          },
          memoryMiB: 2048,
          after: ["init", "api-server"],
          // Warm shutdown needs the signal to reach celery itself (docs/docker-stack/entrypoint.html#signal-propagation).
          env: { ...env, DUMB_INIT_SETSID: "0" },
        }),
      );
    }
  }
  return {
    adminLogin: { user: "admin", password: "{{admin-password}}" },
    secrets: { "db-password": PASSWORD, "admin-password": PASSWORD, "jwt-secret": { kind: "password", length: 48 }, "api-secret-key": { kind: "password", length: 48 }, "fernet-key": { kind: "fernet-key" } },
    containers,
  };
}
