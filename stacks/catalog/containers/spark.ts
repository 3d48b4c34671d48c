/**
 * Spark standalone cluster on the official apache/spark image: one master and the estate's workers, started with
 * `spark-class` as in https://spark.apache.org/docs/latest/spark-standalone.html#starting-a-cluster-manually .
 * Metrics use Spark's PrometheusServlet sink (https://spark.apache.org/docs/latest/monitoring.html#metrics), which
 * serves the master's metrics at /metrics/master/prometheus/ on the master UI; the sink is configured by an uploaded
 * metrics.properties. The image is Ubuntu-based with wget.
 */
import type { AppContext } from "../apps";
import { httpCheck } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec, ContainerSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

const METRICS_PROPERTIES = [
  "*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet",
  "*.sink.prometheusServlet.path=/metrics/prometheus",
  "master.sink.prometheusServlet.path=/metrics/master/prometheus",
  "applications.sink.prometheusServlet.path=/metrics/applications/prometheus",
  "",
].join("\n");
const METRICS_FILE = "/opt/spark/conf/metrics.properties";
const CLASS = "/opt/spark/bin/spark-class";
// JVM headroom on top of the memory a worker offers to executors.
const WORKER_OVERHEAD_MIB = 512;

export function sparkDeployment({ name, app }: AppContext<"spark">): AppDeploymentSpec {
  const master = containerName(name, "master");
  const common = {
    image: images.spark,
    env: { SPARK_DAEMON_JAVA_OPTS: `-Dspark.metrics.conf=${METRICS_FILE}`, SPARK_NO_DAEMONIZE: "true" },
    configFiles: [{ path: METRICS_FILE, content: METRICS_PROPERTIES, artifact: "metrics.properties" }],
  };
  const workers: ContainerSpec[] = Array.from({ length: app.workers }, (_, i) => ({
    ...common,
    component: `worker-${i + 1}`,
    command: [CLASS, "org.apache.spark.deploy.worker.Worker", "--cores", String(app.workerCores), "--memory", `${app.workerMemoryMiB}m`, "--webui-port", "8081", `spark://${master}:7077`],
    // Only the first worker's UI is published (the catalog's worker-ui port); the others stay on the Docker network.
    ports: i === 0 ? [{ name: "worker-ui", containerPort: 8081 }] : [],
    healthcheck: httpCheck("wget", "http://127.0.0.1:8081/"),
    memoryMiB: app.workerMemoryMiB + WORKER_OVERHEAD_MIB,
    cpus: app.workerCores,
    after: ["master"],
  }));
  return {
    secrets: {},
    containers: [
      {
        ...common,
        component: "master",
        command: [CLASS, "org.apache.spark.deploy.master.Master", "--host", master, "--port", "7077", "--webui-port", "8080"],
        ports: [
          { name: "master-ui", containerPort: 8080 },
          { name: "master", containerPort: 7077 },
        ],
        healthcheck: httpCheck("wget", "http://127.0.0.1:8080/"),
        memoryMiB: 1024,
      },
      ...workers,
    ],
  };
}
