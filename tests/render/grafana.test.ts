import { stringify } from "yaml";
import {
  DATASOURCE_UIDS,
  GRAFANA_DASHBOARDS_DIR,
  grafanaContainerPath,
  renderGrafanaProvisioning,
  type GrafanaProvisioningInput,
} from "../../stacks/render/grafana";
import { asList, asRecord, parseStrictYaml } from "../support/strictYaml";
import { runValidator, withTempFile } from "../support/validators";

const input: GrafanaProvisioningInput = { prometheusUrl: "http://prometheus:9090", lokiUrl: "http://loki:3100", alertmanagerUrl: "http://alertmanager:9093" };
const files = renderGrafanaProvisioning(input);
/** uid -> type of every provisioned datasource, read back from the provisioning file itself. */
const provisioned = new Map(
  asList(asRecord(parseStrictYaml(files["datasources/hybridlab.yaml"]), "datasources file").datasources, "datasources").map((entry) => {
    const datasource = asRecord(entry, "datasource");
    return [String(datasource.uid), String(datasource.type)];
  }),
);

interface Target {
  refId: string;
  datasource: { type: string; uid: string };
  expr: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: string; datasource: { type: string; uid: string } }> };
}

const dashboards: Record<string, Dashboard> = {
  node: JSON.parse(files["dashboards/node.json"]) as Dashboard,
  containers: JSON.parse(files["dashboards/containers.json"]) as Dashboard,
  databases: JSON.parse(files["dashboards/databases.json"]) as Dashboard,
  proxmox: JSON.parse(files["dashboards/proxmox.json"]) as Dashboard,
};

// Grafana has no offline validator in Debian; provisioning YAML is parsed strictly and its structure checked against
// https://grafana.com/docs/grafana/latest/administration/provisioning/, dashboards against the JSON model.
describe("renderGrafanaProvisioning", () => {
  it("returns the provisioning files and dashboards, keyed by relative path in sorted order", () => {
    expect(Object.keys(files)).toEqual([
      "dashboards/containers.json",
      "dashboards/databases.json",
      "dashboards/hybridlab.yaml",
      "dashboards/node.json",
      "dashboards/proxmox.json",
      "datasources/hybridlab.yaml",
    ]);
    expect(renderGrafanaProvisioning(input)).toEqual(files);
  });

  it("places provisioning YAML under the provisioning directory and dashboards where the provider reads them", () => {
    expect(Object.keys(files).map(grafanaContainerPath)).toEqual([
      "/var/lib/grafana/dashboards/containers.json",
      "/var/lib/grafana/dashboards/databases.json",
      "/etc/grafana/provisioning/dashboards/hybridlab.yaml",
      "/var/lib/grafana/dashboards/node.json",
      "/var/lib/grafana/dashboards/proxmox.json",
      "/etc/grafana/provisioning/datasources/hybridlab.yaml",
    ]);
  });

  it("provisions Prometheus (default), Loki and Alertmanager with fixed uids", () => {
    expect(parseStrictYaml(files["datasources/hybridlab.yaml"])).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: "Prometheus",
          type: "prometheus",
          uid: "prometheus",
          access: "proxy",
          url: "http://prometheus:9090",
          isDefault: true,
          editable: false,
          jsonData: { httpMethod: "POST" },
        },
        { name: "Loki", type: "loki", uid: "loki", access: "proxy", url: "http://loki:3100", editable: false },
        {
          name: "Alertmanager",
          type: "alertmanager",
          uid: "alertmanager",
          access: "proxy",
          url: "http://alertmanager:9093",
          editable: false,
          jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
        },
      ],
    });
  });

  it("provisions a read-only file provider for the dashboards directory", () => {
    expect(parseStrictYaml(files["dashboards/hybridlab.yaml"])).toEqual({
      apiVersion: 1,
      providers: [
        {
          name: "hybridlab",
          orgId: 1,
          folder: "hybridlab",
          type: "file",
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 60,
          options: { path: GRAFANA_DASHBOARDS_DIR, foldersFromFilesStructure: false },
        },
      ],
    });
  });

  it.each([
    ["node", "hybridlab-node"],
    ["containers", "hybridlab-containers"],
    ["databases", "hybridlab-databases"],
    ["proxmox", "hybridlab-proxmox"],
  ])("gives the %s dashboard a uid, a schema version and a grid without overlaps", (name, uid) => {
    const dashboard = dashboards[name];
    expect(dashboard.uid).toBe(uid);
    expect(dashboard.schemaVersion).toBe(39);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it.each(["node", "containers", "databases", "proxmox"])("refers in the %s dashboard only to provisioned datasources and defined variables", (name) => {
    const dashboard = dashboards[name];
    const refs = [
      ...dashboard.templating.list.map((variable) => variable.datasource),
      ...dashboard.panels.flatMap((panel) => [panel.datasource, ...panel.targets.map((target) => target.datasource)]),
    ];
    for (const ref of refs) expect(provisioned.get(ref.uid)).toBe(ref.type);
    const defined = new Set(dashboard.templating.list.map((variable) => variable.name));
    const used = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/\$(\w+)/g)].map((m) => m[1]))).filter((v) => !v.startsWith("__"));
    expect(used.length).toBeGreaterThan(0);
    for (const variable of used) expect(defined).toContain(variable);
    for (const panel of dashboard.panels) expect(panel.targets.map((target) => target.refId)).toEqual(panel.targets.map((_, i) => String.fromCharCode(65 + i)));
  });

  it("shows CPU, memory, disk and network per host on the node dashboard", () => {
    const { panels, templating } = dashboards.node;
    expect(templating.list.map((variable) => [variable.name, variable.query])).toEqual([["instance", "label_values(node_uname_info, instance)"]]);
    expect(panels.map((panel) => [panel.title, panel.targets.map((target) => target.expr.match(/node_\w+/)?.[0])])).toEqual([
      ["CPU busy", ["node_cpu_seconds_total"]],
      ["Memory used", ["node_memory_MemAvailable_bytes"]],
      ["Disk used", ["node_filesystem_avail_bytes"]],
      ["Network traffic", ["node_network_receive_bytes_total", "node_network_transmit_bytes_total"]],
    ]);
  });

  it("shows CPU, memory, restarts and logs per container by app on the containers dashboard", () => {
    const { panels, templating } = dashboards.containers;
    expect(templating.list.map((variable) => [variable.name, variable.query])).toEqual([["app", "label_values(container_start_time_seconds, container_label_hybridlab_app)"]]);
    expect(panels.map((panel) => [panel.title, panel.type, panel.datasource.uid])).toEqual([
      ["CPU", "timeseries", "prometheus"],
      ["Memory", "timeseries", "prometheus"],
      ["Restarts per hour", "timeseries", "prometheus"],
      ["Logs", "logs", "loki"],
    ]);
    for (const panel of panels.slice(0, 3)) expect(panel.targets[0].expr).toContain('container_label_hybridlab_app=~"$app"');
    expect(panels[3].targets[0].expr).toBe('{app=~"$app"}');
  });

  it("shows each app database's availability, connections, size and transactions on the databases dashboard", () => {
    const { panels, templating } = dashboards.databases;
    expect(templating.list.map((variable) => [variable.name, variable.query])).toEqual([["app", "label_values(pg_up, app)"]]);
    expect(panels.map((panel) => [panel.title, panel.targets.map((target) => target.expr.match(/pg_\w+/)?.[0])])).toEqual([
      ["Up", ["pg_up"]],
      ["Connections in use", ["pg_stat_activity_count", "pg_settings_max_connections"]],
      ["Database size", ["pg_database_size_bytes"]],
      ["Transactions", ["pg_stat_database_xact_commit", "pg_stat_database_xact_rollback"]],
    ]);
  });

  it("shows each site's host, storage and guests on the Proxmox dashboard", () => {
    const { panels, templating } = dashboards.proxmox;
    expect(templating.list.map((variable) => [variable.name, variable.query])).toEqual([["site", "label_values(pve_up, site)"]]);
    expect(panels.map((panel) => [panel.title, panel.targets.map((target) => target.expr.match(/pve_\w+/)?.[0])])).toEqual([
      ["Host CPU and memory", ["pve_cpu_usage_ratio", "pve_memory_usage_bytes"]],
      ["Storage used", ["pve_disk_usage_bytes"]],
      ["Guests running", ["pve_up"]],
      ["Guest CPU", ["pve_cpu_usage_ratio"]],
    ]);
    for (const panel of panels) for (const target of panel.targets) expect(target.expr).toContain('site=~"$site"');
  });

  it("uses PromQL that parses: every dashboard query passes promtool check rules as a recording rule", () => {
    const exprs = Object.values(dashboards).flatMap((dashboard) =>
      dashboard.panels.filter((panel) => panel.datasource.type === "prometheus").flatMap((panel) => panel.targets.map((target) => target.expr)),
    );
    expect(exprs.length).toBe(19);
    const rules = stringify({
      groups: [{ name: "dashboards", rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr: expr.replace(/\$__rate_interval/g, "5m").replace(/\$\w+/g, ".+") })) }],
    });
    withTempFile("dashboards.yml", rules, (file) => {
      const result = runValidator("prometheus", "promtool", ["check", "rules", file]);
      expect(`${result.stdout}${result.stderr}`).toContain("SUCCESS: 19 rules found");
      expect(result.status).toBe(0);
    });
  });

  it.each<[keyof GrafanaProvisioningInput, string]>([
    ["prometheusUrl", "prometheus:9090"],
    ["lokiUrl", "http://loki:3100/loki"],
    ["alertmanagerUrl", "ftp://alertmanager"],
  ])("fails when %s is %s", (field, value) => {
    expect(() => renderGrafanaProvisioning({ ...input, [field]: value })).toThrow(`renderGrafanaProvisioning: ${field} must be an http(s) base URL without a path`);
  });

  it("writes dashboard JSON with a fixed key order and a trailing newline (the file is hashed into a container label)", () => {
    expect([...provisioned.keys()]).toEqual(Object.values(DATASOURCE_UIDS));
    expect(files["dashboards/node.json"].endsWith("}\n")).toBe(true);
    expect(Object.keys(dashboards.node)).toEqual([
      "uid", "title", "description", "tags", "editable", "graphTooltip", "schemaVersion", "version", "refresh", "time", "timezone", "annotations", "links", "templating", "panels",
    ]);
  });
});
