/**
 * Grafana's provisioning: the estate's datasources with fixed uids, a file provider, and the hosts, containers,
 * databases and Proxmox dashboards that reference those uids. File formats per
 * https://grafana.com/docs/grafana/latest/administration/provisioning/.
 */
import { stringify } from "yaml";
import { requireMatch } from "../../components/validate";
import { renderContainersDashboard } from "./dashboards/containers";
import { renderDatabasesDashboard } from "./dashboards/databases";
import { renderNodeDashboard } from "./dashboards/node";
import { DATASOURCE_UIDS } from "./dashboards/panels";
import { renderProxmoxDashboard } from "./dashboards/proxmox";
import { GO_YAML } from "./prometheus";

export { DATASOURCE_UIDS };

/** Where Grafana's datasources live, as URLs Grafana's server (not the browser) can reach. */
export interface GrafanaProvisioningInput {
  /** Prometheus base URL, e.g. "http://prometheus:9090"; required, no default. */
  readonly prometheusUrl: string;
  /** Loki base URL, e.g. "http://loki:3100"; required, no default. */
  readonly lokiUrl: string;
  /** Alertmanager base URL, e.g. "http://alertmanager:9093"; required, no default. */
  readonly alertmanagerUrl: string;
}

/** Grafana's provisioning directory (GF_PATHS_PROVISIONING in the official image). */
export const GRAFANA_PROVISIONING_DIR = "/etc/grafana/provisioning";
/** Where the file provider reads dashboard JSON from. */
export const GRAFANA_DASHBOARDS_DIR = "/var/lib/grafana/dashboards";

/**
 * Where a file returned by renderGrafanaProvisioning goes inside the Grafana container: dashboard JSON under
 * GRAFANA_DASHBOARDS_DIR, everything else (provisioning YAML) under GRAFANA_PROVISIONING_DIR at its relative path.
 */
export function grafanaContainerPath(relativePath: string): string {
  return relativePath.endsWith(".json")
    ? `${GRAFANA_DASHBOARDS_DIR}/${relativePath.slice(relativePath.lastIndexOf("/") + 1)}`
    : `${GRAFANA_PROVISIONING_DIR}/${relativePath}`;
}

const WHERE = "renderGrafanaProvisioning";
const BASE_URL = /^https?:\/\/[^\s/]+$/;

/**
 * Renders the provisioning files, keyed by relative path, in sorted key order: `dashboards/containers.json`,
 * `dashboards/databases.json`, `dashboards/hybridlab.yaml`, `dashboards/node.json`, `dashboards/proxmox.json`,
 * `datasources/hybridlab.yaml`. Place them with
 * grafanaContainerPath. Throws "renderGrafanaProvisioning: <field> must be ..., got ..." on a malformed URL.
 */
export function renderGrafanaProvisioning(input: GrafanaProvisioningInput): Record<string, string> {
  requireMatch(WHERE, "prometheusUrl", input.prometheusUrl, BASE_URL, 'an http(s) base URL without a path, e.g. "http://prometheus:9090"');
  requireMatch(WHERE, "lokiUrl", input.lokiUrl, BASE_URL, 'an http(s) base URL without a path, e.g. "http://loki:3100"');
  requireMatch(WHERE, "alertmanagerUrl", input.alertmanagerUrl, BASE_URL, 'an http(s) base URL without a path, e.g. "http://alertmanager:9093"');

  const datasources = {
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        type: "prometheus",
        uid: DATASOURCE_UIDS.prometheus,
        access: "proxy",
        url: input.prometheusUrl,
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: "POST" },
      },
      { name: "Loki", type: "loki", uid: DATASOURCE_UIDS.loki, access: "proxy", url: input.lokiUrl, editable: false },
      {
        name: "Alertmanager",
        type: "alertmanager",
        uid: DATASOURCE_UIDS.alertmanager,
        access: "proxy",
        url: input.alertmanagerUrl,
        editable: false,
        // Prometheus' Alertmanager, not Grafana's own; Grafana-managed alerts are not used, so none are sent to it.
        jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
      },
    ],
  };
  const dashboards = {
    apiVersion: 1,
    providers: [
      {
        name: "hybridlab",
        orgId: 1,
        folder: "hybridlab",
        type: "file",
        // The files are generated; edits in the UI would be lost on the next deploy, so they are refused.
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: GRAFANA_DASHBOARDS_DIR, foldersFromFilesStructure: false },
      },
    ],
  };
  return {
    "dashboards/containers.json": renderContainersDashboard(),
    "dashboards/databases.json": renderDatabasesDashboard(),
    "dashboards/hybridlab.yaml": stringify(dashboards, GO_YAML),
    "dashboards/node.json": renderNodeDashboard(),
    "dashboards/proxmox.json": renderProxmoxDashboard(),
    "datasources/hybridlab.yaml": stringify(datasources, GO_YAML),
  };
}
