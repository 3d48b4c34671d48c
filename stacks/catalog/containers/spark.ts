/**
 * Spark standalone cluster on the official apache/spark image: one master and the estate's workers, started with
 * `spark-class` as in https://spark.apache.org/docs/latest/spark-standalone.html#starting-a-cluster-manually .
 * Metrics use Spark's PrometheusServlet sink (https://spark.apache.org/docs/latest/monitoring.html#metrics), which
 * serves the master's metrics at /metrics/master/prometheus/ on the master UI and a worker's at /metrics/prometheus/
 * on its UI; the sink is configured by an uploaded metrics.properties. The image is Ubuntu-based with wget.
 *
 * Jobs are submitted from the master's container (client mode), so the driver runs there. Every container gets
 * the same spark-defaults.conf: the object store over S3A when the app names one, and, while workers run on other
 * nodes, the driver's fixed ports, so executors there can call it back
 * (https://spark.apache.org/docs/latest/security.html#configuring-ports-for-network-security).
 *
 * Workers on another node run in a deployment of their own there (`sparkWorkerDeployment`). A worker binds the
 * address it advertises to the master and to drivers (Worker's `--host`; it has no separate bind address), which
 * in a container is possible only for a name: the node's tailnet name is mapped to 0.0.0.0 inside the container,
 * and the worker's ports are published at the same numbers, so what it advertises is what other nodes reach.
 */
import { nodeHost } from "../../derive/addressing";
import { reach } from "../../derive/routes";
import type { App, Estate } from "../../estate/schema";
import type { AppContext } from "../apps";
import { appHostPorts, appKinds } from "../apps";
import { localWorkers, remoteWorkerGroups, type WorkerGroup } from "../workers";
import { httpCheck } from "./common";
import { images } from "./images";
import { clientKeys } from "./minio";
import type { AppDeploymentSpec, ContainerSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

type SparkApp = Extract<App, { kind: "spark" }>;

const METRICS_PROPERTIES = [
  "*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet",
  "*.sink.prometheusServlet.path=/metrics/prometheus",
  "master.sink.prometheusServlet.path=/metrics/master/prometheus",
  "applications.sink.prometheusServlet.path=/metrics/applications/prometheus",
  "",
].join("\n");
const METRICS_FILE = "/opt/spark/conf/metrics.properties";
const DEFAULTS_FILE = "/opt/spark/conf/spark-defaults.conf";
const CLASS = "/opt/spark/bin/spark-class";

/**
 * The Hadoop release Spark 4.2 is built against (its hadoop-client jars), and the AWS SDK v2 bundle that release's
 * hadoop-aws declares: S3A must match the Hadoop on Spark's classpath exactly
 * (https://hadoop.apache.org/docs/stable/hadoop-aws/tools/hadoop-aws/index.html#Getting_Started: "the version of
 * hadoop-aws must match the hadoop-common version"; Spark 4.2.x bundles Hadoop 3.5.0, per apache/hudi#18524).
 * Bump together with images.spark.
 */
export const S3A_PACKAGES = ["org.apache.hadoop:hadoop-aws:3.5.0", "software.amazon.awssdk:bundle:2.35.4"] as const;

/**
 * Memory, in MiB, of the JVMs in Spark's containers. SPARK_DAEMON_MEMORY is the heap of the master and worker
 * daemons themselves (Spark's default is 1g; https://spark.apache.org/docs/latest/spark-standalone.html#cluster-launch-scripts).
 * A JVM also uses memory outside its heap (metaspace, thread stacks, code cache): JVM_NATIVE_MIB per daemon.
 */
export const DAEMON_HEAP_MIB = 512;
export const JVM_NATIVE_MIB = 256;
/** The driver's heap (spark.driver.memory, Spark's default 1g), in the master's container. */
export const DRIVER_MEMORY_MIB = 1024;

/**
 * Off-heap memory Spark adds to an executor or driver JVM: spark.{executor,driver}.memoryOverhead defaults to
 * memory x 0.10 (memoryOverheadFactor), at least 384 MiB (https://spark.apache.org/docs/latest/configuration.html).
 */
export function memoryOverheadMiB(memoryMiB: number): number {
  return Math.max(384, Math.ceil(memoryMiB * 0.1));
}

/**
 * A worker container's memory limit: the worker daemon (heap and native) plus what it offers executors
 * (`--memory`) and their overhead, which the standalone worker does not reserve but the executors' JVMs use.
 */
export function workerContainerMiB(workerMemoryMiB: number): number {
  return DAEMON_HEAP_MIB + JVM_NATIVE_MIB + workerMemoryMiB + memoryOverheadMiB(workerMemoryMiB);
}

/** The master's container: the master daemon, and the driver of jobs submitted there (heap and overhead). */
export function masterContainerMiB(): number {
  return DAEMON_HEAP_MIB + JVM_NATIVE_MIB + DRIVER_MEMORY_MIB + memoryOverheadMiB(DRIVER_MEMORY_MIB);
}

/** spark-defaults.conf (https://spark.apache.org/docs/latest/configuration.html#dynamically-loading-spark-properties). */
export function sparkDefaults(estate: Pick<Estate, "apps" | "nodes" | "tailnet">, app: SparkApp): string {
  const lines = [`spark.driver.memory ${DRIVER_MEMORY_MIB}m`];
  if (remoteWorkerGroups(app).length > 0) {
    const ports = appHostPorts(app);
    const worker = appKinds.spark.remoteWorker?.ports ?? {};
    lines.push(
      // Executors elsewhere call the driver back at its node's address, on ports the master's container publishes.
      `spark.driver.host ${nodeHost(estate, app.node)}`,
      "spark.driver.bindAddress 0.0.0.0",
      `spark.driver.port ${ports.driver}`,
      `spark.driver.blockManager.port ${ports["driver-block-manager"]}`,
      // Executors' block managers: fixed, so the worker's container can publish the port they advertise.
      `spark.blockManager.port ${worker["block-manager"]}`,
    );
  }
  if (app.objectStore !== undefined) {
    lines.push(
      `spark.jars.packages ${S3A_PACKAGES.join(",")}`,
      // The store's node address, not its container name: executors on every node resolve the same endpoint.
      `spark.hadoop.fs.s3a.endpoint http://${reach(estate, undefined, app.objectStore, "api")}`,
      // MinIO serves buckets by path, not as <bucket>.<host> subdomains.
      "spark.hadoop.fs.s3a.path.style.access true",
      "spark.hadoop.fs.s3a.connection.ssl.enabled false",
      // Spark's own MinIO user, from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in every container (secrets).
      "spark.hadoop.fs.s3a.aws.credentials.provider software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
    );
  }
  return lines.join("\n") + "\n";
}

/** What every Spark container of the app shares: image, daemon settings, configuration and S3 credentials. */
function common(estate: Pick<Estate, "apps" | "nodes" | "tailnet">, app: SparkApp) {
  return {
    image: images.spark,
    env: { SPARK_DAEMON_JAVA_OPTS: `-Dspark.metrics.conf=${METRICS_FILE}`, SPARK_DAEMON_MEMORY: `${DAEMON_HEAP_MIB}m`, SPARK_NO_DAEMONIZE: "true" },
    secretEnv: app.objectStore !== undefined ? { AWS_ACCESS_KEY_ID: "{{s3-access-key}}", AWS_SECRET_ACCESS_KEY: "{{s3-secret-key}}" } : undefined,
    configFiles: [
      { path: METRICS_FILE, content: METRICS_PROPERTIES, artifact: "metrics.properties" },
      { path: DEFAULTS_FILE, content: sparkDefaults(estate, app), artifact: "spark-defaults.conf" },
    ],
  };
}

/** The S3 credentials Spark imports from its object store (its own MinIO user). */
function s3Imports(name: string, app: SparkApp): AppDeploymentSpec["imports"] {
  const store = app.objectStore;
  return store !== undefined ? { "s3-access-key": { app: store, secret: clientKeys(name).accessKey }, "s3-secret-key": { app: store, secret: clientKeys(name).secretKey } } : undefined;
}

function workerCommand(app: SparkApp, master: string, extra: readonly string[]): string[] {
  return [CLASS, "org.apache.spark.deploy.worker.Worker", ...extra, "--cores", String(app.workerCores), "--memory", `${app.workerMemoryMiB}m`, "--webui-port", "8081", `spark://${master}`];
}

export function sparkDeployment({ estate, name, app }: AppContext<"spark">): AppDeploymentSpec {
  const shared = common(estate, app);
  const master = containerName(name, "master");
  const hostPorts = appHostPorts(app);
  const workers: ContainerSpec[] = localWorkers(app).map((component, i) => ({
    ...shared,
    component,
    command: workerCommand(app, `${master}:7077`, []),
    // Only the first worker's UI is published (the catalog's worker-ui port); the others stay on the Docker network.
    ports: i === 0 ? [{ name: "worker-ui", containerPort: 8081 }] : [],
    healthcheck: httpCheck("wget", "http://127.0.0.1:8081/"),
    memoryMiB: workerContainerMiB(app.workerMemoryMiB),
    cpus: app.workerCores,
    after: ["master"],
  }));
  return {
    secrets: {},
    imports: s3Imports(name, app),
    containers: [
      {
        ...shared,
        component: "master",
        command: [CLASS, "org.apache.spark.deploy.master.Master", "--host", master, "--port", "7077", "--webui-port", "8080"],
        ports: [
          { name: "master-ui", containerPort: 8080 },
          { name: "master", containerPort: 7077 },
          ...(hostPorts.driver !== undefined ? [{ name: "driver", containerPort: 7079 }, { name: "driver-block-manager", containerPort: 7080 }] : []),
        ],
        healthcheck: httpCheck("wget", "http://127.0.0.1:8080/"),
        memoryMiB: masterContainerMiB(),
      },
      ...workers,
    ],
  };
}

/**
 * The workers of `name` on another node: each binds and advertises the node's tailnet name (mapped to 0.0.0.0 in
 * its container) on the ports it publishes, and registers with the master at the app's node. One per node (the
 * estate rules say why).
 */
export function sparkWorkerDeployment({ estate, name, app }: AppContext<"spark">, group: WorkerGroup): AppDeploymentSpec {
  const shared = common(estate, app);
  const host = nodeHost(estate, group.node);
  const ports = appKinds.spark.remoteWorker?.ports ?? {};
  return {
    secrets: {},
    imports: s3Imports(name, app),
    containers: group.components.map((component) => ({
      ...shared,
      component,
      env: { ...shared.env, SPARK_PUBLIC_DNS: host },
      hosts: { [host]: "0.0.0.0" },
      command: workerCommand(app, reach(estate, group.node, name, "master"), ["--host", host, "--port", String(ports.worker)]),
      ports: [
        { name: "worker", containerPort: ports.worker },
        { name: "worker-ui", containerPort: 8081 },
        { name: "block-manager", containerPort: ports["block-manager"] },
      ],
      healthcheck: httpCheck("wget", "http://127.0.0.1:8081/"),
      memoryMiB: workerContainerMiB(app.workerMemoryMiB),
      cpus: app.workerCores,
      afterApps: [name],
    })),
  };
}
