/**
 * Monitoring: Prometheus, Alertmanager, Grafana, Loki and the blackbox exporter, configured from the catalog.
 * Upstream deployments followed: Prometheus https://prometheus.io/docs/prometheus/latest/installation/#using-docker ,
 * Alertmanager https://github.com/prometheus/alertmanager#docker-images , Grafana
 * https://grafana.com/docs/grafana/latest/setup-grafana/installation/docker/ , Loki
 * https://grafana.com/docs/loki/latest/setup/install/docker/ , blackbox exporter
 * https://github.com/prometheus/blackbox_exporter#using-the-docker-image . All but Loki ship busybox wget; Grafana
 * ships curl; Loki is distroless and probes itself with `loki -health`.
 */
import { knownHost } from "../../derive/addressing";
import { blackboxProbes, monitoringAddress, scrapeJobs } from "../../derive/monitoring";
import { reach } from "../../derive/routes";
import { watchedWorkers } from "../../derive/workers";
import { renderAlertmanagerConfig } from "../../render/alertmanager";
import { renderAlertRules } from "../../render/alertRules";
import { renderBlackboxConfig } from "../../render/blackbox";
import { grafanaContainerPath, renderGrafanaProvisioning } from "../../render/grafana";
import { renderLokiConfig } from "../../render/loki";
import { renderPrometheusConfig } from "../../render/prometheus";
import type { AppContext } from "../apps";
import { appHostPorts } from "../apps";
import { httpCheck, PASSWORD, publicUrl, tailnetUrl } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";

const RULES = "/etc/prometheus/rules/alerts.yml";
const BLACKBOX_PORT = 9115;
const SMTP_PASSWORD = "/etc/alertmanager/smtp-password";

export function monitoringDeployment({ estate, name, app }: AppContext<"monitoring">): AppDeploymentSpec {
  const local = (port: string): string => `http://${reach(estate, app.node, name, port)}`;
  const prometheusYml = renderPrometheusConfig({
    scrapeJobs: scrapeJobs(estate),
    probes: blackboxProbes(estate),
    blackboxAddress: monitoringAddress(name, "blackbox", BLACKBOX_PORT),
    alertmanagerAddress: reach(estate, app.node, name, "alertmanager"),
    ruleFiles: [RULES],
  });
  const provisioning = renderGrafanaProvisioning({ prometheusUrl: local("prometheus"), lokiUrl: local("loki"), alertmanagerUrl: local("alertmanager") });
  const smtp = app.smtp && app.alertEmail ? { alertEmail: app.alertEmail, smtp: { ...app.smtp, passwordFile: SMTP_PASSWORD } } : {};
  const alertmanagerYml = renderAlertmanagerConfig(smtp);
  const rootUrl = publicUrl(estate, app) ?? tailnetUrl(estate, app, appHostPorts(app).grafana);

  return {
    adminLogin: { user: "admin", password: "{{grafana-admin-password}}" },
    secrets: { "grafana-admin-password": PASSWORD, ...(app.smtp ? { "smtp-password": { kind: "config", key: "smtpPassword" } as const } : {}) },
    containers: [
      {
        component: "prometheus",
        image: images.prometheus,
        command: [
          "--config.file=/etc/prometheus/prometheus.yml",
          "--storage.tsdb.path=/prometheus",
          `--storage.tsdb.retention.time=${app.retentionDays}d`,
        ],
        ports: [{ name: "prometheus", containerPort: 9090 }],
        volumes: [{ name: "prometheus-data", path: "/prometheus" }],
        configFiles: [
          { path: "/etc/prometheus/prometheus.yml", content: prometheusYml, artifact: "prometheus.yml" },
          { path: RULES, content: renderAlertRules(watchedWorkers(estate)), artifact: "alert-rules.yml" },
        ],
        healthcheck: httpCheck("wget", "http://127.0.0.1:9090/-/healthy"),
        memoryMiB: 1024,
        after: ["alertmanager", "blackbox"],
        // Scrapes the agents of its own node through host-gateway when that node has no known address (scrapeJobs).
        ...(knownHost(estate, app.node) === undefined ? { hostGateway: true } : {}),
      },
      {
        component: "alertmanager",
        image: images.alertmanager,
        command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
        ports: [{ name: "alertmanager", containerPort: 9093 }],
        volumes: [{ name: "alertmanager-data", path: "/alertmanager" }],
        configFiles: [
          { path: "/etc/alertmanager/alertmanager.yml", content: alertmanagerYml, artifact: "alertmanager.yml" },
          ...(app.smtp ? [{ path: SMTP_PASSWORD, content: "{{smtp-password}}", artifact: "smtp-password", secret: true }] : []),
        ],
        healthcheck: httpCheck("wget", "http://127.0.0.1:9093/-/healthy"),
        memoryMiB: 128,
      },
      {
        component: "blackbox",
        image: images.blackboxExporter,
        command: ["--config.file=/etc/blackbox_exporter/blackbox.yml"],
        configFiles: [{ path: "/etc/blackbox_exporter/blackbox.yml", content: renderBlackboxConfig(), artifact: "blackbox.yml" }],
        healthcheck: httpCheck("wget", `http://127.0.0.1:${BLACKBOX_PORT}/-/healthy`),
        memoryMiB: 64,
      },
      {
        component: "loki",
        image: images.loki,
        command: ["-config.file=/etc/loki/loki.yaml"],
        ports: [{ name: "loki", containerPort: 3100 }],
        volumes: [{ name: "loki-data", path: "/loki" }],
        configFiles: [{ path: "/etc/loki/loki.yaml", content: renderLokiConfig({ retentionDays: app.retentionDays }), artifact: "loki.yaml" }],
        healthcheck: { test: ["CMD", "/usr/bin/loki", "-health"], startPeriodSeconds: 60 },
        memoryMiB: 512,
      },
      {
        component: "grafana",
        image: images.grafana,
        ports: [{ name: "grafana", containerPort: 3000 }],
        env: {
          GF_SERVER_ROOT_URL: rootUrl,
          GF_SECURITY_ADMIN_USER: "admin",
          GF_USERS_ALLOW_SIGN_UP: "false",
          GF_ANALYTICS_REPORTING_ENABLED: "false",
          GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
        },
        secretEnv: { GF_SECURITY_ADMIN_PASSWORD: "{{grafana-admin-password}}" },
        volumes: [{ name: "grafana-data", path: "/var/lib/grafana" }],
        configFiles: Object.entries(provisioning)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([relative, content]) => ({ path: grafanaContainerPath(relative), content, artifact: `grafana/${relative}` })),
        healthcheck: httpCheck("curl", "http://127.0.0.1:3000/api/health"),
        memoryMiB: 512,
        after: ["prometheus", "loki"],
      },
    ],
  };
}
