import { appHostPorts, appKinds, appSpecOf } from "../stacks/catalog/apps";
import { appDeployment } from "../stacks/catalog/deployments";
import { hostAgentDeployment } from "../stacks/catalog/containers/agents";
import { minioBuckets } from "../stacks/catalog/containers/minio";
import type { ContainerSpec } from "../components/apps/deploymentSpec";
import { estateArtifacts } from "../stacks/artifacts";
import { blackboxProbes, lokiPushUrl, scrapeJobs } from "../stacks/derive/monitoring";
import { proxyRoutes, reach } from "../stacks/derive/routes";
import type { Estate } from "../stacks/estate/schema";
import { placeholders } from "../components/apps/AppDeployment";
import { estateOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";
import { cloudInitSchemaProblems, runValidator, withTempFile } from "./support/validators";

/** Every kind at once, Celery with two workers, MLflow on MinIO, Spark with two workers. */
const everything = (): Json =>
  withValues(validEstate(), [
    // Airflow with two Celery workers, MLflow and Moodle need 13 GiB (the fixture's devlab has 16); Spark 8.4 GiB.
    ["nodes.spoke.size", "s-8vcpu-16gb"],
    ["apps.airflow", { kind: "airflow", node: "devlab", hostname: "airflow", executor: "CeleryExecutor", workers: 2, ports: { http: 8090 } }],
    ["apps.mlflow", { kind: "mlflow", node: "devlab", hostname: "mlflow", basicAuth: true, artifactStore: "minio", artifactBucket: "experiments" }],
    ["apps.spark", { kind: "spark", node: "spoke", workers: 2 }],
  ]);

const allContainers = (estate: Estate): Array<[string, ContainerSpec]> => [
  ...Object.keys(estate.apps).flatMap((app) => appDeployment(estate, "dev", app).containers.map((c): [string, ContainerSpec] => [app, c])),
  ...["hub", "devlab"].flatMap((node) => hostAgentDeployment(estate, node).containers.map((c): [string, ContainerSpec] => [`agents@${node}`, c])),
];

describe("the catalog", () => {
  it("maps every named port of every kind (its workers' ports included) to a container port, and nothing else", () => {
    for (const [kind, spec] of Object.entries(appKinds)) {
      expect([kind, Object.keys(spec.listen).sort()]).toEqual([kind, [...Object.keys(spec.ports), ...Object.keys(spec.workerPorts ?? {}), ...Object.keys(spec.withWorkers?.ports ?? {})].sort()]);
    }
  });

  it("publishes each named port from the component and container port the kind's listen table names", () => {
    const estate = estateOf(everything());
    for (const [name, app] of Object.entries(estate.apps)) {
      const listen = appSpecOf(app).listen;
      // A port published over TCP and UDP (the proxy's HTTPS and HTTP/3) is one named port.
      const entries = appDeployment(estate, "dev", name).containers.flatMap((c) => (c.ports ?? []).map((p) => JSON.stringify([p.name, c.component, p.containerPort])));
      const published = [...new Set(entries)].map((e) => JSON.parse(e) as [string, string, number]);
      // Ports for workers on other nodes are published only while some are placed there (none are here).
      const ports = appHostPorts(app);
      const expected = Object.entries(listen).filter(([port]) => port in ports);
      expect([name, published.sort()]).toEqual([name, expected.map(([port, l]) => [port, l.component, l.port]).sort()]);
    }
  });

  it("gives every container a pinned image, a healthcheck (or a one-shot's none), a memory limit and known ordering", () => {
    const estate = estateOf(everything());
    const containers = allContainers(estate);
    expect(containers.length).toBeGreaterThan(25);
    for (const [app, c] of containers) {
      const where = `${app}/${c.component}`;
      expect([where, c.image]).toEqual([where, expect.stringMatching(/^[a-z0-9.\-/]+:(?!latest$)[A-Za-z0-9_.-]+$/)]);
      if (c.oneShot) expect([where, c.healthcheck]).toEqual([where, undefined]);
      else expect([where, c.healthcheck?.test[0]]).toEqual([where, expect.stringMatching(/^CMD(-SHELL)?$/)]);
      expect([where, c.memoryMiB > 0]).toEqual([where, true]);
    }
  });

  it("keeps credentials out of plain environment values and fills every placeholder from a declared secret", () => {
    const estate = estateOf(everything());
    for (const name of Object.keys(estate.apps)) {
      const spec = appDeployment(estate, "dev", name);
      const known = new Set([...Object.keys(spec.secrets), ...Object.keys(spec.imports ?? {})]);
      for (const c of spec.containers) {
        for (const key of Object.keys(c.env ?? {})) expect([name, key]).not.toEqual([name, expect.stringMatching(/PASSWORD|SECRET|FERNET|ACCESS_KEY|_PASS$/)]);
        for (const [key, template] of Object.entries(c.secretEnv ?? {})) {
          expect([name, key, placeholders(template).length > 0]).toEqual([name, key, true]);
          for (const p of placeholders(template)) expect([name, key, known.has(p)]).toEqual([name, key, true]);
        }
      }
    }
  });

  it("uses Airflow's Celery pieces only with the CeleryExecutor, with the estate's number of workers", () => {
    const celery = estateOf(everything());
    const local = estateOf(withValues(everything(), [["apps.airflow.executor", "LocalExecutor"], ["apps.airflow.workers", undefined]]));
    const components = (e: Estate) => appDeployment(e, "dev", "airflow").containers.map((c) => c.component).sort();
    expect(components(celery)).toEqual(["api-server", "dag-processor", "db", "db-exporter", "flower", "init", "redis", "scheduler", "triggerer", "worker-1", "worker-2"]);
    expect(components(local)).toEqual(["api-server", "dag-processor", "db", "db-exporter", "init", "scheduler", "triggerer"]);
    const init = appDeployment(celery, "dev", "airflow").containers.find((c) => c.component === "init");
    expect(init).toMatchObject({ oneShot: true, env: { _AIRFLOW_DB_MIGRATE: "true", _AIRFLOW_WWW_USER_CREATE: "true" }, after: ["db", "redis"] });
  });

  it("creates MinIO's own buckets and every MLflow artifact bucket stored on it, and points MLflow at it over S3", () => {
    const estate = estateOf(everything());
    expect(minioBuckets(estate, "minio")).toEqual(["backups", "experiments"]);
    const mlflow = appDeployment(estate, "dev", "mlflow");
    // MLflow's own MinIO user, never the root credentials.
    expect(mlflow.imports).toEqual({ "s3-access-key": { app: "minio", secret: "mlflow-access-key" }, "s3-secret-key": { app: "minio", secret: "mlflow-secret-key" } });
    const server = mlflow.containers.find((c) => c.component === "server");
    expect(server?.env).toEqual({ MLFLOW_S3_ENDPOINT_URL: "http://minio:9000", MLFLOW_AUTH_CONFIG_PATH: "/mlflow/basic_auth.ini" });
    expect(server?.secretEnv).toMatchObject({ AWS_ACCESS_KEY_ID: "{{s3-access-key}}", AWS_SECRET_ACCESS_KEY: "{{s3-secret-key}}" });
    expect(server?.command?.[0]).toContain("--app-name basic-auth");
    expect(server?.command?.[0]).toContain("--cors-allowed-origins https://mlflow.dev.example.com");
    expect(mlflow.adminLogin).toEqual({ user: "admin", password: "{{admin-password}}" });
    expect(server?.configFiles).toEqual([expect.objectContaining({ path: "/mlflow/basic_auth.ini", secret: true })]);
    expect(server?.configFiles?.[0].content).toContain("admin_password = {{admin-password}}");
    expect(server?.command?.[0]).toContain("--artifacts-destination s3://experiments");
    const buckets = appDeployment(estate, "dev", "minio").containers.find((c) => c.component === "buckets");
    expect(buckets).toMatchObject({ oneShot: true, image: expect.stringMatching(/^quay\.io\/minio\/mc:RELEASE\./), command: ["mc mb --ignore-existing minio/backups minio/experiments"] });
    // Only the one-shots and the server hold the root credentials; MLflow gets a user limited to its bucket.
    const minio = appDeployment(estate, "dev", "minio");
    const withRoot = minio.containers.filter((c) => Object.values(c.secretEnv ?? {}).some((t) => t.includes("{{root-password}}")));
    expect(withRoot.map((c) => [c.component, c.oneShot === true])).toEqual([["server", false], ["buckets", true], ["users", true]]);
    const users = minio.containers.find((c) => c.component === "users");
    expect(users?.command?.[0].split("\n")).toEqual([
      "set -e",
      'mc admin user add minio "$ACCESS_KEY_MLFLOW" "$SECRET_KEY_MLFLOW"',
      "mc admin policy create minio mlflow /policies/mlflow.json",
      'mc admin policy attach minio mlflow --user "$ACCESS_KEY_MLFLOW" || mc admin user info minio "$ACCESS_KEY_MLFLOW" --json | grep -q \'"policyName":"mlflow"\'',
    ]);
    expect(users?.secretEnv).toMatchObject({ ACCESS_KEY_MLFLOW: "{{mlflow-access-key}}", SECRET_KEY_MLFLOW: "{{mlflow-secret-key}}" });
    expect(JSON.parse(users?.configFiles?.[0].content ?? "")).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: ["arn:aws:s3:::experiments"] },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::experiments/*"] },
      ],
    });
    const mlflowContainers = appDeployment(estate, "dev", "mlflow").containers;
    expect(mlflowContainers.flatMap((c) => Object.values(c.secretEnv ?? {})).join(" ")).not.toMatch(/root-/);
  });

  it("runs a Spark master and the estate's workers with its cores and memory", () => {
    const spark = appDeployment(estateOf(everything()), "dev", "spark").containers;
    expect(spark.map((c) => c.component)).toEqual(["master", "worker-1", "worker-2"]);
    // The worker daemon's heap (512) and native memory (256), what it offers executors (2048) and their overhead (384).
    expect(spark[1]).toMatchObject({ cpus: 2, memoryMiB: 512 + 256 + 2048 + 384, ports: [{ name: "worker-ui", containerPort: 8081 }] });
    expect(spark[2].ports).toEqual([]);
    expect(spark[1].command).toEqual(expect.arrayContaining(["--cores", "2", "--memory", "2048m", "spark://spark-master:7077"]));
  });
});

describe("derived routes, scrape jobs and probes", () => {
  const estate = estateOf(validEstate());

  it("reaches an app on the same host by container name, and across hosts by tailnet name and host port", () => {
    expect(reach(estate, "hub", "monitoring", "grafana")).toBe("monitoring-grafana:3000");
    expect(reach(estate, "hub", "moodle", "http")).toBe("devlab:8080");
    expect(reach(estateOf(withValue(validEstate(), "tailnet.magicDnsSuffix", "tail1.ts.net")), undefined, "moodle", "http")).toBe("devlab.tail1.ts.net:8080");
    expect(() => reach(estate, "hub", "moodle", "https")).toThrow('reach: a moodle has no port "https"; expected one of: http');
  });

  it("routes every public hostname to its upstream, with www for the apex when asked", () => {
    expect(proxyRoutes(estate)).toEqual([
      { app: "monitoring", fqdn: "grafana.dev.example.com", upstream: "monitoring-grafana:3000", aliases: [] },
      { app: "moodle", fqdn: "learn.dev.example.com", upstream: "devlab:8080", aliases: [] },
    ]);
    const apex = estateOf(withValues(validEstate(), [["apps.moodle.hostname", "@"], ["dns.www", true]]));
    expect(proxyRoutes(apex).find((r) => r.app === "moodle")).toEqual({ app: "moodle", fqdn: "dev.example.com", upstream: "devlab:8080", aliases: ["www.dev.example.com"] });
  });

  it("picks up a new app in routes, scrape jobs and probes without any other edit", () => {
    const before = estateOf(validEstate());
    const after = estateOf(withValue(validEstate(), "apps.tracking", { kind: "mlflow", node: "spoke", hostname: "ml", basicAuth: true }));
    expect(proxyRoutes(after).filter((r) => !proxyRoutes(before).some((b) => b.app === r.app))).toEqual([
      { app: "tracking", fqdn: "ml.dev.example.com", upstream: "spoke:5000", aliases: [] },
    ]);
    const jobs = (e: Estate) => scrapeJobs(e).map((j) => j.job);
    expect(jobs(after).filter((j) => !jobs(before).includes(j))).toEqual(["tracking-db-metrics", "tracking-http"]);
    expect(scrapeJobs(after).find((j) => j.job === "tracking-http")).toEqual({
      job: "tracking-http",
      metricsPath: "/metrics",
      targets: [{ address: "spoke:5000", labels: { app: "tracking", kind: "mlflow", node: "spoke" } }],
    });
    // A new host also gets its agents scraped.
    expect(scrapeJobs(after).find((j) => j.job === "node-exporter")?.targets.map((t) => t.address)).toEqual(["devlab:9100", "hub:9100", "minio:9100", "spoke:9100"]);
    const urls = (e: Estate) => blackboxProbes(e).map((p) => p.url);
    expect(urls(after).filter((u) => !urls(before).includes(u))).toEqual(["http://spoke:5000/health", "https://ml.dev.example.com/health"]);
  });

  it("ships logs to Loki over the Docker network on its own host and over the tailnet elsewhere, or nowhere", () => {
    expect(lokiPushUrl(estate, "hub")).toBe("http://monitoring-loki:3100/loki/api/v1/push");
    expect(lokiPushUrl(estate, "devlab")).toBe("http://hub:3100/loki/api/v1/push");
    const none = estateOf(withValue(validEstate(), "apps.monitoring", undefined));
    expect(lokiPushUrl(none, "devlab")).toBeUndefined();
    expect(hostAgentDeployment(none, "devlab").containers.map((c) => c.component)).toEqual(["node-exporter", "cadvisor"]);
  });

  it("publishes the app's overridden host port across hosts", () => {
    const moved = estateOf(withValue(validEstate(), "apps.moodle.ports", { http: 8181 }));
    expect(appHostPorts(moved.apps.moodle)).toEqual({ http: 8181, "db-metrics": 9187 });
    expect(proxyRoutes(moved).find((r) => r.app === "moodle")?.upstream).toBe("devlab:8181");
  });
});

describe("estateArtifacts", () => {
  const estate = estateOf(everything());

  it("lists every generated file once, by node and app, deterministically and without secrets", () => {
    const artifacts = estateArtifacts(estate, "dev");
    expect(artifacts).toEqual(estateArtifacts(estateOf(everything()), "dev"));
    expect(artifacts.map((a) => a.path)).toEqual([
      "devlab/agents/config.alloy",
      "devlab/bootstrap/cloud-init.yaml",
      "hub/agents/config.alloy",
      "hub/bootstrap/cloud-init.yaml",
      "hub/monitoring/alert-rules.yml",
      "hub/monitoring/alertmanager.yml",
      "hub/monitoring/blackbox.yml",
      "hub/monitoring/grafana/dashboards/containers.json",
      "hub/monitoring/grafana/dashboards/databases.json",
      "hub/monitoring/grafana/dashboards/hybridlab.yaml",
      "hub/monitoring/grafana/dashboards/node.json",
      "hub/monitoring/grafana/dashboards/proxmox.json",
      "hub/monitoring/grafana/datasources/hybridlab.yaml",
      "hub/monitoring/loki.yaml",
      "hub/monitoring/prometheus.yml",
      "hub/proxy/Caddyfile",
      "minio/agents/config.alloy",
      "minio/bootstrap/bootstrap.sh",
      "minio/minio/policy-mlflow.json",
      "spoke/agents/config.alloy",
      "spoke/bootstrap/cloud-init.yaml",
      "spoke/spark/metrics.properties",
      "spoke/spark/spark-defaults.conf",
    ]);
    const secretNames = Object.keys(estate.apps).flatMap((app) => Object.keys(appDeployment(estate, "dev", app).secrets));
    expect(secretNames).toContain("grafana-admin-password");
    for (const a of artifacts) {
      expect([a.path, a.path]).toEqual([a.path, `${a.node}/${a.app}/${a.path.split("/").slice(2).join("/")}`]);
      expect([a.path, /mock-|tskey-/.test(a.content), secretNames.filter((n) => a.content.includes(`{{${n}}}`))]).toEqual([a.path, false, []]);
    }
  });

  it("renders each node's first-boot document with a placeholder in place of its tailnet key", () => {
    const cloudInit = estateArtifacts(estate, "dev").find((a) => a.path === "hub/bootstrap/cloud-init.yaml")?.content ?? "";
    expect(cloudInit).toContain("TAILNET-AUTH-KEY-SET-AT-DEPLOY");
    expect(cloudInitSchemaProblems(cloudInit)).toEqual([]);
    const script = estateArtifacts(estate, "dev").find((a) => a.path === "minio/bootstrap/bootstrap.sh")?.content ?? "";
    // The script writes files base64-encoded: the placeholder lands in the root-only key file.
    expect(script).toContain(`printf '%s' '${Buffer.from("TAILNET-AUTH-KEY-SET-AT-DEPLOY\n").toString("base64")}' | base64 -d > '/etc/tailscale/authkey'`);
  });

  it("renders a prometheus.yml that promtool accepts", () => {
    const prometheusYml = estateArtifacts(estate, "dev").find((a) => a.path === "hub/monitoring/prometheus.yml")?.content ?? "";
    const rules = estateArtifacts(estate, "dev").find((a) => a.path === "hub/monitoring/alert-rules.yml")?.content ?? "";
    withTempFile("alerts.yml", rules, (rulesPath) => {
      const config = prometheusYml.replace("/etc/prometheus/rules/alerts.yml", rulesPath);
      withTempFile("prometheus.yml", config, (path) => {
        const result = runValidator("prometheus", "promtool", ["check", "config", path]);
        expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.stringContaining("SUCCESS")]);
      });
    });
  });

  it("renders a Caddyfile that caddy validates", () => {
    const caddyfile = estateArtifacts(estate, "dev").find((a) => a.path === "hub/proxy/Caddyfile")?.content ?? "";
    withTempFile("Caddyfile", caddyfile, (path) => {
      const home = path.slice(0, path.lastIndexOf("/"));
      const result = runValidator("caddy", "caddy", ["validate", "--adapter", "caddyfile", "--config", path], { env: { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home } });
      expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.stringContaining("Valid configuration")]);
    });
  });
});
