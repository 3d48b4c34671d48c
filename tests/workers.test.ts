/** Workers across nodes (Airflow's Celery workers, Spark's workers), capacity per node, and Spark's S3A wiring. */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { appHostPorts } from "../stacks/catalog/apps";
import { appDeployment, workerDeployments } from "../stacks/catalog/deployments";
import { minioBuckets, objectStoreClients } from "../stacks/catalog/containers/minio";
import { masterContainerMiB, memoryOverheadMiB, S3A_PACKAGES, sparkDefaults, workerContainerMiB } from "../stacks/catalog/containers/spark";
import { composeApps, type AppHostMachine } from "../stacks/compose/apps";
import { firewallRules } from "../stacks/derive/firewall";
import { dnsRecords } from "../stacks/derive/dnsRecords";
import { blackboxProbes, scrapeJobs } from "../stacks/derive/monitoring";
import { proxyRoutes } from "../stacks/derive/routes";
import { tailnetPolicy } from "../stacks/derive/tailnetAcl";
import { loadEstate } from "../stacks/estate/load";
import type { Estate } from "../stacks/estate/schema";
import { ofType, runProgram, type ProgramRun } from "../stacks/plan/harness";
import { asConfig, estateOf, problemsOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

// The fixture's tailnet has no MagicDNS suffix, so nodes reach each other by bare node name (devlab, spoke).
const airflowOnTwo = (): Json =>
  withValue(validEstate(), "apps.airflow", {
    kind: "airflow",
    node: "devlab",
    executor: "CeleryExecutor",
    workers: [
      { node: "devlab", count: 1 },
      { node: "spoke", count: 2 },
    ],
    // Moodle holds 8080 on devlab.
    ports: { http: 8090 },
  });

const sparkOnTwo = (): Json =>
  withValue(validEstate(), "apps.spark", {
    kind: "spark",
    node: "devlab",
    workers: [
      { node: "devlab", count: 1 },
      { node: "spoke", count: 1 },
    ],
    ports: { "master-ui": 8091, "worker-ui": 8092 },
    objectStore: "minio",
  });

describe("Airflow's Celery workers on two nodes", () => {
  const estate = estateOf(airflowOnTwo());

  it("runs the app's node's workers in the app's deployment and the others in one of their own on their node", () => {
    const components = appDeployment(estate, "dev", "airflow").containers.map((c) => c.component);
    expect(components).toEqual(["db", "db-exporter", "redis", "init", "api-server", "scheduler", "dag-processor", "triggerer", "flower", "worker-1"]);
    const remote = workerDeployments(estate, "dev", "airflow");
    expect(remote.map((w) => [w.name, w.node, w.spec.containers.map((c) => c.component), w.hostPorts])).toEqual([["airflow-on-spoke", "spoke", ["worker-spoke-1", "worker-spoke-2"], {}]]);
    // They start once the app has migrated its database and its API server answers.
    expect(remote[0].spec.containers.map((c) => [c.afterApps, c.after])).toEqual([
      [["airflow"], []],
      [["airflow"], []],
    ]);
  });

  it("reaches the broker, the database and the execution API by container name on the app's node, and at the app's node from elsewhere", () => {
    const local = appDeployment(estate, "dev", "airflow").containers.find((c) => c.component === "worker-1");
    const remote = workerDeployments(estate, "dev", "airflow")[0].spec.containers[0];
    expect(local?.env?.AIRFLOW__CORE__EXECUTION_API_SERVER_URL).toBe("http://airflow-api-server:8080/execution/");
    expect(remote.env?.AIRFLOW__CORE__EXECUTION_API_SERVER_URL).toBe("http://devlab:8090/execution/");
    expect([local?.secretEnv?.AIRFLOW__CELERY__BROKER_URL, remote.secretEnv?.AIRFLOW__CELERY__BROKER_URL]).toEqual([
      "redis://:{{redis-password}}@airflow-redis:6379/0",
      "redis://:{{redis-password}}@devlab:6379/0",
    ]);
    expect([local?.secretEnv?.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, remote.secretEnv?.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN]).toEqual([
      "postgresql+psycopg2://airflow:{{db-password}}@airflow-db:5432/airflow",
      "postgresql+psycopg2://airflow:{{db-password}}@devlab:5432/airflow",
    ]);
    expect(remote.secretEnv?.AIRFLOW__CELERY__RESULT_BACKEND).toBe("db+postgresql://airflow:{{db-password}}@devlab:5432/airflow");
  });

  it("imports the app's secrets on the other node instead of generating its own", () => {
    const remote = workerDeployments(estate, "dev", "airflow")[0].spec;
    expect(remote.secrets).toEqual({});
    expect(remote.imports).toEqual({
      "db-password": { app: "airflow", secret: "db-password" },
      "jwt-secret": { app: "airflow", secret: "jwt-secret" },
      "api-secret-key": { app: "airflow", secret: "api-secret-key" },
      "fernet-key": { app: "airflow", secret: "fernet-key" },
      "redis-password": { app: "airflow", secret: "redis-password" },
    });
  });

  it("publishes the broker and the database only while workers run on another node, and protects the broker with a password", () => {
    const published = (e: Estate) =>
      appDeployment(e, "dev", "airflow")
        .containers.filter((c) => (c.ports ?? []).length > 0)
        .map((c) => [c.component, (c.ports ?? []).map((p) => p.name)]);
    expect(published(estate)).toEqual([
      ["db", ["db"]],
      ["db-exporter", ["db-metrics"]],
      ["redis", ["broker"]],
      ["api-server", ["http"]],
      ["flower", ["flower"]],
    ]);
    expect(appHostPorts(estate.apps.airflow)).toEqual({ http: 8090, "db-metrics": 9188, flower: 5555, broker: 6379, db: 5432 });
    const onOneNode = estateOf(withValue(airflowOnTwo(), "apps.airflow.workers", 2));
    expect(published(onOneNode)).toEqual([
      ["db-exporter", ["db-metrics"]],
      ["api-server", ["http"]],
      ["flower", ["flower"]],
    ]);
    expect(appHostPorts(onOneNode.apps.airflow)).toEqual({ http: 8090, "db-metrics": 9188, flower: 5555 });
    const redis = appDeployment(estate, "dev", "airflow").containers.find((c) => c.component === "redis");
    expect(redis).toMatchObject({ command: ["redis-server", "/usr/local/etc/redis/redis.conf"], secretEnv: { REDISCLI_AUTH: "{{redis-password}}" } });
    expect(redis?.configFiles).toEqual([{ path: "/usr/local/etc/redis/redis.conf", content: "requirepass {{redis-password}}\n", artifact: "redis.conf", secret: true }]);
  });

  it("lets the workers' node reach exactly the broker, the database and the API server on the app's node over the tailnet", () => {
    const policy = tailnetPolicy(estate);
    const from = (node: string) => policy.acls.find((r) => r.src.length === 1 && r.src[0] === `tag:node-${node}`)?.dst;
    expect(from("spoke")).toEqual(["tag:node-devlab:5432", "tag:node-devlab:6379", "tag:node-devlab:8090", "tag:node-hub:3100"]);
    // Nothing flows back to the workers: they only call out.
    expect(from("devlab")).toEqual(["tag:node-hub:3100"]);
    // The policy's own tests check that the reverse stays closed.
    expect(policy.tests.find((t) => t.src === "tag:node-devlab")?.deny).toEqual(expect.arrayContaining(["tag:node-spoke:5432", "tag:node-spoke:6379", "tag:node-spoke:8090"]));
  });

  it("opens no app port in the cloud firewall: the broker and the database are reached over the tailnet only", () => {
    expect(firewallRules(estate, "spoke").map((r) => `${r.protocol}/${r.port}`)).toEqual(["udp/41641"]);
  });

  it("refuses workers under the LocalExecutor, on unknown nodes and a node listed twice, each at its config path", () => {
    expect(problemsOf(withValues(airflowOnTwo(), [["apps.airflow.executor", "LocalExecutor"]]))).toEqual([
      "hybridlab:apps.airflow.workers: the LocalExecutor has no workers (it runs tasks inside the scheduler): set executor: CeleryExecutor, or remove workers",
    ]);
    expect(problemsOf(withValue(airflowOnTwo(), "apps.airflow.workers", [{ node: "devlab", count: 1 }, { node: "nowhere", count: 1 }, { node: "devlab", count: 2 }]))).toEqual([
      'hybridlab:apps.airflow.workers[1].node: unknown node "nowhere"; expected one of: devlab, minio, hub, spoke',
      'hybridlab:apps.airflow.workers[2].node: node "devlab" is listed twice; give it one entry with the total count',
    ]);
    expect(problemsOf(withValue(airflowOnTwo(), "apps.airflow.workers", []))).toEqual(["hybridlab:apps.airflow.workers: must place workers on at least one node"]);
  });
});

describe("Flower, watching every Celery worker", () => {
  const withHostname = (): Json => withValue(airflowOnTwo(), "apps.airflow.hostname", "airflow");
  const estate = estateOf(withHostname());

  it("runs as the compose file's flower service: celery flower on 5555, healthy on /healthcheck, with a memory limit", () => {
    const flower = appDeployment(estate, "dev", "airflow").containers.find((c) => c.component === "flower");
    expect(flower).toMatchObject({
      image: expect.stringMatching(/^apache\/airflow:/),
      command: ["celery", "flower"],
      ports: [{ name: "flower", containerPort: 5555 }],
      healthcheck: { test: ["CMD", "curl", "--fail", "http://localhost:5555/healthcheck"], startPeriodSeconds: 30 },
      memoryMiB: 512,
      volumes: [],
      after: ["init"],
    });
    // The broker on the app's node, by container name.
    expect(flower?.secretEnv?.AIRFLOW__CELERY__BROKER_URL).toBe("redis://:{{redis-password}}@airflow-redis:6379/0");
    // Only on the app's node: the workers' own deployment elsewhere has none.
    expect(workerDeployments(estate, "dev", "airflow").flatMap((w) => w.spec.containers.map((c) => c.component))).not.toContain("flower");
  });

  it("is scraped by the monitoring app, one target whose series name every worker on any node", () => {
    expect(scrapeJobs(estate).find((j) => j.job === "airflow-flower")).toEqual({
      job: "airflow-flower",
      metricsPath: "/metrics",
      targets: [{ address: "devlab:5555", labels: { app: "airflow", kind: "airflow", node: "devlab" } }],
    });
    const local = estateOf(withValues(withHostname(), [["apps.airflow.executor", "LocalExecutor"], ["apps.airflow.workers", undefined]]));
    expect(scrapeJobs(local).map((j) => j.job)).not.toContain("airflow-flower");
    expect(appHostPorts(local.apps.airflow)).not.toHaveProperty("flower");
  });

  it("is reached over the tailnet by the monitoring node (and admins), and by no worker node", () => {
    const reaching = tailnetPolicy(estate)
      .acls.filter((r) => r.dst.includes("tag:node-devlab:5555"))
      .map((r) => r.src);
    expect(reaching).toEqual([["tag:node-hub"], ["autogroup:admin"]]);
  });

  it("has no public route or DNS record: only the API server is the app's upstream", () => {
    expect(proxyRoutes(estate).filter((r) => r.app === "airflow")).toEqual([{ app: "airflow", fqdn: "airflow.dev.example.com", upstream: "devlab:8090", aliases: [] }]);
    expect(dnsRecords(estate, { ipv6: false }).filter((r) => r.app === "airflow").map((r) => r.name)).toEqual(["airflow.dev.example.com"]);
    expect(firewallRules(estate, "devlab").map((r) => r.port)).not.toContain(5555);
  });

  it("alerts on each worker the estate places on any node, by its Celery name (its container hostname)", () => {
    const prometheus = appDeployment(estate, "dev", "monitoring").containers.find((c) => c.component === "prometheus");
    const rules = prometheus?.configFiles?.find((f) => f.artifact === "alert-rules.yml")?.content;
    expect(rules).toContain('flower_worker_online{worker=~"celery@airflow-worker-1|celery@airflow-worker-spoke-1|celery@airflow-worker-spoke-2"} == 0');
    expect(rules).toContain(
      'expr: (count by (app) (flower_worker_online{app="airflow",worker=~"celery@airflow-worker-1|celery@airflow-worker-spoke-1|celery@airflow-worker-spoke-2"} == 1) or label_replace(vector(0), "app", "airflow", "", "")) < 3',
    );
  });

  it("counts its memory on the app's node", () => {
    expect(problemsOf(withValue(withHostname(), "nodes.devlab.memoryMiB", 4096))).toEqual([
      "hybridlab:nodes.devlab.memoryMiB: its containers' memory limits (apps.moodle 1600, apps.airflow 8000, host agents 576) plus 512 MiB for the host itself need 10688 MiB, but the machine has 4096 MiB: give it more memory, or move apps or workers to another node",
    ]);
  });
});

describe("Spark's workers on two nodes", () => {
  const estate = estateOf(sparkOnTwo());

  it("runs a worker on the other node that binds and advertises its node's tailnet name on the ports it publishes", () => {
    const [remote] = workerDeployments(estate, "dev", "spark");
    expect([remote.name, remote.node, remote.hostPorts]).toEqual(["spark-on-spoke", "spoke", { worker: 7078, "worker-ui": 8081, "block-manager": 7080 }]);
    const [worker] = remote.spec.containers;
    expect(worker.component).toBe("worker-spoke-1");
    expect(worker.command).toEqual(["/opt/spark/bin/spark-class", "org.apache.spark.deploy.worker.Worker", "--host", "spoke", "--port", "7078", "--cores", "2", "--memory", "2048m", "--webui-port", "8081", "spark://devlab:7077"]);
    expect(worker.hosts).toEqual({ spoke: "0.0.0.0" });
    expect(worker.ports).toEqual([
      { name: "worker", containerPort: 7078 },
      { name: "worker-ui", containerPort: 8081 },
      { name: "block-manager", containerPort: 7080 },
    ]);
    expect(worker.afterApps).toEqual(["spark"]);
    expect(remote.spec.imports).toEqual({ "s3-access-key": { app: "minio", secret: "spark-access-key" }, "s3-secret-key": { app: "minio", secret: "spark-secret-key" } });
  });

  it("publishes the driver's ports on the master while workers run elsewhere, and tells executors where the driver is", () => {
    const master = appDeployment(estate, "dev", "spark").containers.find((c) => c.component === "master");
    expect(master?.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ["master-ui", 8080],
      ["master", 7077],
      ["driver", 7079],
      ["driver-block-manager", 7080],
    ]);
    expect(sparkDefaults(estate, estate.apps.spark as Extract<Estate["apps"][string], { kind: "spark" }>)).toBe(
      [
        "spark.driver.memory 1024m",
        "spark.driver.host devlab",
        "spark.driver.bindAddress 0.0.0.0",
        "spark.driver.port 7079",
        "spark.driver.blockManager.port 7080",
        "spark.blockManager.port 7080",
        `spark.jars.packages ${S3A_PACKAGES.join(",")}`,
        "spark.hadoop.fs.s3a.endpoint http://minio:9000",
        "spark.hadoop.fs.s3a.path.style.access true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled false",
        "spark.hadoop.fs.s3a.aws.credentials.provider software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
        "",
      ].join("\n"),
    );
  });

  it("opens exactly the flows Spark's networking needs in the tailnet policy: worker to master and driver, master and driver to worker, both to the object store", () => {
    const policy = tailnetPolicy(estate);
    const from = (node: string) => policy.acls.find((r) => r.src.length === 1 && r.src[0] === `tag:node-${node}`)?.dst;
    expect(from("spoke")).toEqual(["tag:node-devlab:7077", "tag:node-devlab:7079", "tag:node-devlab:7080", "tag:node-hub:3100", "tag:node-minio:9000"]);
    expect(from("devlab")).toEqual(["tag:node-hub:3100", "tag:node-minio:9000", "tag:node-spoke:7078", "tag:node-spoke:7080"]);
    expect(from("hub")).toEqual(expect.arrayContaining(["tag:node-devlab:8091", "tag:node-devlab:8092", "tag:node-spoke:8081"]));
    expect(firewallRules(estate, "spoke").map((r) => `${r.protocol}/${r.port}`)).toEqual(["udp/41641"]);
  });

  it("scrapes and probes every worker, each labelled with its node", () => {
    expect(scrapeJobs(estate).find((j) => j.job === "spark-workers")).toEqual({
      job: "spark-workers",
      metricsPath: "/metrics/prometheus/",
      targets: [
        { address: "devlab:8092", labels: { app: "spark", kind: "spark", node: "devlab" } },
        { address: "spoke:8081", labels: { app: "spark", kind: "spark", node: "spoke" } },
      ],
    });
    expect(blackboxProbes(estate).map((p) => p.url)).toEqual(expect.arrayContaining(["http://devlab:8092/", "http://spoke:8081/"]));
  });

  it("gives Spark its own object store user on its bucket", () => {
    expect(objectStoreClients(estate, "minio")).toEqual([{ app: "spark", buckets: ["spark-data"] }]);
    expect(minioBuckets(estate, "minio")).toEqual(["backups", "spark-data"]);
    const worker = appDeployment(estate, "dev", "spark").containers.find((c) => c.component === "worker-1");
    expect(worker?.secretEnv).toEqual({ AWS_ACCESS_KEY_ID: "{{s3-access-key}}", AWS_SECRET_ACCESS_KEY: "{{s3-secret-key}}" });
  });

  it("refuses more than one worker on another node, and a worker elsewhere without a tailnet, saying why", () => {
    expect(problemsOf(withValue(sparkOnTwo(), "apps.spark.workers", [{ node: "spoke", count: 2 }]))).toEqual([
      "hybridlab:apps.spark.workers[0].count: a Spark worker on another node than the master publishes the ports it advertises (7078, 8081, 7080) at the same numbers, so a node runs one, got 2: spread them over more nodes, or raise workerCores and workerMemoryMiB",
    ]);
    expect(problemsOf(withValue(sparkOnTwo(), "apps.spark.objectStore", "moodle"))).toEqual(['hybridlab:apps.spark.objectStore: "moodle" is not a minio app; expected one of: minio']);
    // A LAN-only estate: Proxmox guests reached at their static addresses.
    const lan = withValues(sparkOnTwo(), [
      ["tailnet", undefined],
      ["dns", undefined],
      ["nodes.hub", undefined],
      ["nodes.spoke", undefined],
      ["apps.proxy", undefined],
      ["apps.monitoring", undefined],
      ["apps.moodle.hostname", undefined],
      ["apps.spark.workers", [{ node: "minio", count: 1 }]],
    ]);
    expect(problemsOf(lan)).toEqual([
      "hybridlab:apps.spark.workers[0].node: a Spark worker binds the address it advertises, which inside a container works only for a name, and without hybridlab:tailnet nodes.minio is known only by its LAN address: set hybridlab:tailnet, or place the workers on nodes.devlab",
    ]);
  });
});

describe("Spark's JVM memory", () => {
  it("adds Spark's executor overhead (10%, at least 384 MiB) and the daemon's heap and native memory to what a worker offers", () => {
    expect([memoryOverheadMiB(1024), memoryOverheadMiB(3840), memoryOverheadMiB(3841), memoryOverheadMiB(6144)]).toEqual([384, 384, 385, 615]);
    expect(workerContainerMiB(2048)).toBe(512 + 256 + 2048 + 384);
    expect(workerContainerMiB(6144)).toBe(512 + 256 + 6144 + 615);
    // The master's container also holds the driver of jobs submitted there (1 GiB heap, 384 MiB overhead).
    expect(masterContainerMiB()).toBe(512 + 256 + 1024 + 384);
  });

  it("sets the daemons' heap explicitly, below the container's limit", () => {
    const spark = appDeployment(estateOf(sparkOnTwo()), "dev", "spark").containers;
    expect(spark.map((c) => [c.component, c.env?.SPARK_DAEMON_MEMORY, c.memoryMiB])).toEqual([
      ["master", "512m", 2176],
      ["worker-1", "512m", 3200],
    ]);
  });
});

describe("capacity per node", () => {
  it("refuses a node whose containers' memory limits and the host's headroom exceed its memory, with the numbers", () => {
    expect(problemsOf(withValue(airflowOnTwo(), "nodes.spoke.size", "s-1vcpu-2gb"))).toEqual([
      "hybridlab:nodes.spoke.size: its containers' memory limits (apps.airflow workers 4096, host agents 576) plus 512 MiB for the host itself need 5184 MiB, but the machine has 2048 MiB: give it more memory, or move apps or workers to another node",
    ]);
    // Exactly full fits.
    expect(problemsOf(withValue(sparkOnTwo(), "nodes.devlab.memoryMiB", 8064))).toEqual([]);
    expect(problemsOf(withValue(sparkOnTwo(), "nodes.devlab.memoryMiB", 8063))).toEqual([
      "hybridlab:nodes.devlab.memoryMiB: its containers' memory limits (apps.moodle 1600, apps.spark 5376, host agents 576) plus 512 MiB for the host itself need 8064 MiB, but the machine has 8063 MiB: give it more memory, or move apps or workers to another node",
    ]);
  });

  it("refuses Spark workers that offer more cores than their node has", () => {
    expect(problemsOf(withValue(sparkOnTwo(), "apps.spark.workerCores", 3))).toEqual([
      "hybridlab:apps.spark.workerCores: each worker offers 3 cores, but nodes.devlab (apps.spark.workers.0) has 2: lower workerCores, or place the workers on a larger node",
    ]);
  });
});

class Machine extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Machine", name, {});
    new random.RandomId(`${name}-machine`, { byteLength: 4 }, { parent: this });
    this.registerOutputs({});
  }
}

describe("workers on another node, composed", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(
      () => {
        const estate = loadEstate(pulumi.runtime.allConfig());
        const machines = Object.fromEntries(
          Object.keys(estate.nodes).map((name): [string, AppHostMachine] => [
            name,
            { dependsOn: new Machine(name), kind: estate.nodes[name].kind, machineId: pulumi.output(`${name}-id`), generation: pulumi.output("0a0b0c0d") },
          ]),
        );
        return composeApps(estate, "dev", machines);
      },
      { stack: "dev", config: asConfig(airflowOnTwo()) },
    );
  });

  it("runs them on their node's Docker provider, with the same generated secrets as the app's own containers", () => {
    const containers = ofType(run, "docker:index/container:Container");
    const worker = containers.find((c) => c.inputs.name === "airflow-worker-spoke-1");
    expect(worker?.provider).toMatch(/::spoke-docker::/);
    expect(containers.find((c) => c.inputs.name === "airflow-worker-1")?.provider).toMatch(/::devlab-docker::/);
    // Secrets are generated once, by the app's deployment; the workers elsewhere use those very resources.
    const generated = [...ofType(run, "random:index/randomPassword:RandomPassword"), ...ofType(run, "random:index/randomId:RandomId")].map((r) => r.name);
    expect(generated.filter((n) => n.startsWith("airflow")).sort()).toEqual(["airflow-admin-password", "airflow-api-secret-key", "airflow-db-password", "airflow-fernet-key", "airflow-jwt-secret", "airflow-redis-password"]);
    const sources = Object.values(worker?.inputDependencies ?? {}).flat();
    for (const secret of ["airflow-db-password", "airflow-fernet-key", "airflow-redis-password"]) expect(sources.some((urn) => urn.endsWith(`::${secret}`))).toBe(true);
    // And they start after the app's deployment.
    // And they start after the app's deployment: its migration (init) and its API server among them.
    const waitsFor = (name: string) => (worker?.dependsOn ?? []).some((urn) => urn.endsWith(`docker:index/container:Container::${name}`));
    expect([waitsFor("airflow-init"), waitsFor("airflow-api-server"), waitsFor("airflow-redis")]).toEqual([true, true, true]);
  });

  it("names each worker's host after its container, so Flower sees the Celery names the alert rule expects", () => {
    const containers = ofType(run, "docker:index/container:Container");
    const hostnames = ["airflow-worker-1", "airflow-worker-spoke-1", "airflow-worker-spoke-2"].map((name) => containers.find((c) => c.inputs.name === name)?.inputs.hostname);
    expect(hostnames).toEqual(["airflow-worker-1", "airflow-worker-spoke-1", "airflow-worker-spoke-2"]);
  });
});
