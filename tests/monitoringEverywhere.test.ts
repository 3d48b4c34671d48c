import { appDeployment } from "../stacks/catalog/deployments";
import { hostAgentDeployment } from "../stacks/catalog/containers/agents";
import { estateArtifacts } from "../stacks/artifacts";
import { appConnections } from "../stacks/derive/connections";
import { machineIdentity } from "../stacks/derive/bootstrap";
import { pveExporters } from "../stacks/derive/hostAgents";
import { scrapeJobs } from "../stacks/derive/monitoring";
import type { Estate } from "../stacks/estate/schema";
import { ofType, runProgram, SECRET } from "../stacks/plan/harness";
import { hybridlab } from "../stacks/program";
import { asConfig, estateOf, problemsOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";
import { runValidator, withTempFile } from "./support/validators";

const CONTAINER = "docker:index/container:Container";
const TOKEN = "0b4e2d8c-7f1a-4a53-9d0e-5c6b7a8f9e10";

/** The fixture estate with the home site's VE exporter and its token. */
const withPve = (exporter: Json = { tokenId: "prometheus@pve!monitoring" }): Json =>
  withValues(validEstate(), [
    ["proxmox.home.pveExporter", exporter],
    ["pveExporterTokens", { home: TOKEN }],
  ]);

describe("node metrics on every node", () => {
  it("runs and scrapes node-exporter and cAdvisor on a node with no apps as on one with apps", () => {
    const estate = estateOf(validEstate());
    expect(Object.values(estate.apps).some((a) => a.node === "spoke")).toBe(false);
    expect(hostAgentDeployment(estate, "spoke").containers.map((c) => c.component)).toEqual(["node-exporter", "cadvisor", "alloy"]);
    const targets = (job: string) => scrapeJobs(estate).find((j) => j.job === job)?.targets.map((t) => t.address);
    expect(targets("node-exporter")).toEqual(["devlab:9100", "hub:9100", "minio:9100", "spoke:9100"]);
    expect(targets("cadvisor")).toEqual(["devlab:9338", "hub:9338", "minio:9338", "spoke:9338"]);
  });

  it("gives cAdvisor the kernel log, so kernel OOM kills reach its metrics", () => {
    const cadvisor = hostAgentDeployment(estateOf(validEstate()), "spoke").containers.find((c) => c.component === "cadvisor");
    expect(cadvisor).toMatchObject({ devices: ["/dev/kmsg"], capabilities: "image-default", capAdd: ["SYSLOG"] });
  });
});

describe("a PostgreSQL exporter for every database", () => {
  it("follows every PostgreSQL sidecar, as its database's user with the password from a secret file", () => {
    const spec = appDeployment(estateOf(validEstate()), "dev", "moodle");
    expect(spec.containers.map((c) => c.component)).toEqual(["db", "db-exporter", "web"]);
    expect(spec.containers.find((c) => c.component === "db-exporter")).toEqual({
      component: "db-exporter",
      image: "quay.io/prometheuscommunity/postgres-exporter:v0.20.1",
      ports: [{ name: "db-metrics", containerPort: 9187 }],
      env: { DATA_SOURCE_URI: "moodle-db:5432/moodle?sslmode=disable", DATA_SOURCE_USER: "moodle", DATA_SOURCE_PASS_FILE: "/etc/postgres-exporter/password" },
      configFiles: [{ path: "/etc/postgres-exporter/password", content: "{{db-password}}", artifact: "db-exporter-password", secret: true }],
      healthcheck: { test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9187/metrics"] },
      memoryMiB: 64,
      after: ["db"],
    });
  });

  it("gives every app with a database an exporter, scraped on its kind's own db-metrics port", () => {
    const estate = estateOf(
      withValues(validEstate(), [
        ["nodes.devlab.memoryMiB", 12288],
        ["apps.airflow", { kind: "airflow", node: "devlab", ports: { http: 8090 } }],
        ["apps.mlflow", { kind: "mlflow", node: "devlab" }],
        ["apps.identity", { kind: "identity", node: "hub" }],
      ]),
    );
    const withExporter = Object.keys(estate.apps).filter((name) => appDeployment(estate, "dev", name).containers.some((c) => c.component === "db-exporter"));
    expect(withExporter.sort()).toEqual(["airflow", "identity", "mlflow", "moodle"]);
    const dbJobs = scrapeJobs(estate).filter((j) => j.job.endsWith("-db-metrics"));
    expect(dbJobs[0]).toEqual({ job: "airflow-db-metrics", metricsPath: "/metrics", targets: [{ address: "devlab:9188", labels: { app: "airflow", kind: "airflow", node: "devlab" } }] });
    expect(dbJobs.map((j) => [j.job, j.targets.map((t) => t.address)])).toEqual([
      ["airflow-db-metrics", ["devlab:9188"]],
      // On the monitoring app's own host: over the Docker network, by container name.
      ["identity-db-metrics", ["identity-db-exporter:9187"]],
      ["mlflow-db-metrics", ["devlab:9189"]],
      ["moodle-db-metrics", ["devlab:9187"]],
    ]);
    expect(appConnections(estate).filter((c) => c.port === 9189)).toEqual([
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "mlflow", port: 9189, purpose: "monitor mlflow db-metrics" },
    ]);
  });

  it("refuses an exporter port another app on the node holds, naming the override", () => {
    const clash = withValue(validEstate(), "apps.other", { kind: "moodle", node: "devlab", adminEmail: "ops@example.com", ports: { http: 8081 } });
    expect(problemsOf(clash)).toEqual([
      "hybridlab:apps.other.ports.db-metrics: host port 9187 on node devlab is already claimed by apps.moodle (db-metrics); set apps.other.ports.db-metrics to a free port",
    ]);
  });

  it("deploys the exporter with its password only as a secret", async () => {
    const run = await runProgram(() => hybridlab(), { config: asConfig(validEstate()) });
    const exporter = ofType(run, CONTAINER).find((c) => c.name === "moodle-db-exporter");
    expect(exporter?.inputs).toMatchObject({
      name: "moodle-db-exporter",
      envs: ["DATA_SOURCE_PASS_FILE=/etc/postgres-exporter/password", "DATA_SOURCE_URI=moodle-db:5432/moodle?sslmode=disable", "DATA_SOURCE_USER=moodle"],
      ports: [{ internal: 9187, external: 9187 }],
    });
    expect(exporter?.secretPaths).toContain("uploads[0].content");
    expect(exporter?.inputs.uploads).toEqual([{ file: "/etc/postgres-exporter/password", content: SECRET }]);
  });
});

describe("the Proxmox VE exporter per site", () => {
  it("runs on the site's first guest by name, with the read-only token's user and name, verifying TLS unless the site is insecure", () => {
    const estate = estateOf(withPve());
    expect(pveExporters(estate)).toEqual([{ site: "home", node: "devlab", target: "192.168.1.10", user: "prometheus@pve", tokenName: "monitoring", verifyTls: true }]);
    const agents = hostAgentDeployment(estate, "devlab");
    expect(agents.secrets).toEqual({ "pve-token": { kind: "config", key: "pveExporterTokens", field: "home" } });
    expect(agents.containers.find((c) => c.component === "pve-exporter")).toEqual({
      component: "pve-exporter",
      image: "prompve/prometheus-pve-exporter:3.10.0",
      command: ["--web.listen-address=0.0.0.0:9221"],
      ports: [{ name: "pve-exporter", containerPort: 9221 }],
      env: { PVE_USER: "prometheus@pve", PVE_TOKEN_NAME: "monitoring", PVE_VERIFY_SSL: "true" },
      secretEnv: { PVE_TOKEN_VALUE: "{{pve-token}}" },
      healthcheck: { test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9221/"] },
      memoryMiB: 128,
    });
    expect(hostAgentDeployment(estate, "minio").containers.map((c) => c.component)).not.toContain("pve-exporter");
    const insecure = estateOf(withValues(withPve({ tokenId: "prometheus@pve!monitoring", node: "minio" }), [["proxmox.home.insecure", true], ["proxmox.home.endpoint", "https://pve.lan:8443/"]]));
    expect(pveExporters(insecure)).toEqual([{ site: "home", node: "minio", target: "pve.lan:8443", user: "prometheus@pve", tokenName: "monitoring", verifyTls: false }]);
  });

  it("is scraped the way its README shows, /pve with the API host as target, and promtool accepts the config", () => {
    const estate = estateOf(withPve());
    expect(scrapeJobs(estate).find((j) => j.job === "pve-home")).toEqual({
      job: "pve-home",
      metricsPath: "/pve",
      params: { module: ["default"], cluster: ["1"], node: ["1"] },
      exporter: "devlab:9221",
      targets: [{ address: "192.168.1.10", labels: { site: "home" } }],
    });
    expect(appConnections(estate).filter((c) => c.port === 9221)).toEqual([{ fromNode: "hub", fromApp: "monitoring", toNode: "devlab", port: 9221, purpose: "scrape pve-exporter on devlab" }]);
    const prometheusYml = estateArtifacts(estate, "dev").find((a) => a.path === "hub/monitoring/prometheus.yml")?.content ?? "";
    expect(prometheusYml).toContain(
      [
        "  - job_name: pve-home",
        "    metrics_path: /pve",
        "    params:",
        "      cluster:",
        '        - "1"',
        "      module:",
        "        - default",
        "      node:",
        '        - "1"',
        "    static_configs:",
        "      - targets:",
        "          - 192.168.1.10",
        "        labels:",
        "          site: home",
        "    relabel_configs:",
        "      - source_labels:",
        "          - __address__",
        "        target_label: __param_target",
        "      - source_labels:",
        "          - __param_target",
        "        target_label: instance",
        "      - target_label: __address__",
        "        replacement: devlab:9221",
      ].join("\n"),
    );
    withTempFile("prometheus.yml", prometheusYml.replace(/rule_files:\n(\s+- .*\n)+/, ""), (path) => {
      const result = runValidator("prometheus", "promtool", ["check", "config", path]);
      expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.stringContaining("SUCCESS")]);
    });
  });

  it("refuses a node outside the site, a site without guests and a missing or stray token, with the command that sets it", () => {
    expect(problemsOf(withPve({ tokenId: "prometheus@pve!monitoring", node: "hub" }))).toEqual([
      'hybridlab:proxmox.home.pveExporter.node: "hub" is not a guest of site "home"; the exporter reaches the API over the site\'s LAN: expected one of: devlab, minio',
    ]);
    const noGuests = withValues(withPve(), [["nodes.devlab", undefined], ["nodes.minio", undefined], ["apps.moodle", undefined], ["apps.minio", undefined]]);
    expect(problemsOf(noGuests)).toEqual(['hybridlab:proxmox.home.pveExporter: site "home" has no guest to run the exporter on; add one, or remove pveExporter']);
    expect(problemsOf(withValue(withPve(), "pveExporterTokens", undefined))).toEqual([
      "hybridlab:pveExporterTokens.home: the exporter of site \"home\" needs its read-only API token: pulumi config set --secret --path 'hybridlab:pveExporterTokens.home'",
    ]);
    expect(problemsOf(withValue(withPve(), "pveExporterTokens.away", TOKEN))).toEqual([
      'hybridlab:pveExporterTokens.away: no site "away" with a pveExporter to use this token; expected one of: home',
    ]);
    expect(problemsOf(withPve({ tokenId: "prometheus@pve" }))).toEqual([
      'hybridlab:proxmox.home.pveExporter.tokenId: must be a Proxmox API token id such as prometheus@pve!monitoring (got "prometheus@pve")',
    ]);
  });

  it("hands the token to the exporter only as a Pulumi secret", async () => {
    const config = asConfig(withPve());
    const run = await runProgram(() => hybridlab(), { config, secretKeys: ["hybridlab:pveExporterTokens"] });
    const exporter = ofType(run, CONTAINER).find((c) => c.name === "devlab-agents-pve-exporter");
    expect(exporter?.inputs).toMatchObject({ name: "agents-pve-exporter", ports: [{ internal: 9221, external: 9221 }] });
    const envs = exporter?.inputs.envs as string[];
    expect(envs).toEqual(expect.arrayContaining(["PVE_TOKEN_NAME=monitoring", "PVE_USER=prometheus@pve", "PVE_VERIFY_SSL=true", SECRET]));
    expect(exporter?.secretPaths).toEqual([`envs[${envs.indexOf(SECRET)}]`]);
    expect(JSON.stringify(run.resources.map((r) => r.inputs))).not.toContain(TOKEN);
  });
});

describe("Docker daemon metrics where a node enables them", () => {
  const daemonJson = (estate: Estate, node: string): unknown => {
    const cloudInit = estateArtifacts(estate, "dev").find((a) => a.path === `${node}/bootstrap/cloud-init.yaml`)?.content ?? "";
    const match = /path: \/etc\/docker\/daemon.json\n(?:.*\n)*?\s+content: \|\n((?:\s{6,}.*\n)+)/.exec(cloudInit);
    return match ? JSON.parse(match[1]) : undefined;
  };

  it("sets metrics-addr in the first-boot daemon.json only on nodes that ask, and scrapes just those", () => {
    const estate = estateOf(withValue(validEstate(), "nodes.spoke.dockerMetrics", true));
    expect(daemonJson(estate, "spoke")).toMatchObject({ "live-restore": true, "metrics-addr": "0.0.0.0:9323" });
    expect(daemonJson(estate, "hub")).toMatchObject({ "live-restore": true });
    expect(daemonJson(estate, "hub")).not.toHaveProperty("metrics-addr");
    expect(scrapeJobs(estate).find((j) => j.job === "docker")).toEqual({ job: "docker", targets: [{ address: "spoke:9323", labels: { node: "spoke" } }] });
    expect(scrapeJobs(estateOf(validEstate())).find((j) => j.job === "docker")).toBeUndefined();
    expect(appConnections(estate).filter((c) => c.port === 9323)).toEqual([{ fromNode: "hub", fromApp: "monitoring", toNode: "spoke", port: 9323, purpose: "scrape the Docker daemon on spoke" }]);
  });

  it("rebuilds only the node that turns them on (first-boot configuration), and claims their port", () => {
    const before = estateOf(validEstate());
    const after = estateOf(withValue(validEstate(), "nodes.minio.dockerMetrics", true));
    expect(machineIdentity(after, "minio")).toEqual({ ...machineIdentity(before, "minio"), dockerMetrics: "on" });
    expect(machineIdentity(after, "devlab")).toEqual(machineIdentity(before, "devlab"));
    const clash = withValues(validEstate(), [["nodes.minio.dockerMetrics", true], ["apps.minio.ports", { api: 9323 }]]);
    expect(problemsOf(clash)).toEqual([
      "hybridlab:apps.minio.ports.api: host port 9323 on node minio is already claimed by the Docker daemon's metrics (dockerMetrics); set apps.minio.ports.api to a free port",
    ]);
  });
});
