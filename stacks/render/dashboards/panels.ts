/**
 * Builders for provisioned Grafana dashboards (the JSON model: https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/).
 * Panels reference datasources by the uids the datasource provisioning file assigns, so a dashboard works on the
 * first start without anyone picking a datasource.
 */

/** Datasource uids, fixed in the provisioning file so dashboards can name them. */
export const DATASOURCE_UIDS = { prometheus: "prometheus", loki: "loki", alertmanager: "alertmanager" } as const;

/** A datasource reference as panels, targets and variables carry it. */
export interface DatasourceRef {
  readonly type: "prometheus" | "loki";
  readonly uid: string;
}

export const PROMETHEUS: DatasourceRef = { type: "prometheus", uid: DATASOURCE_UIDS.prometheus };
export const LOKI: DatasourceRef = { type: "loki", uid: DATASOURCE_UIDS.loki };

/** The dashboard schema version written; Grafana migrates older versions on load, never rejects them. */
export const SCHEMA_VERSION = 39;

/** A time series panel of Prometheus queries. */
export interface SeriesPanel {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id, e.g. "percent", "bytes", "Bps". */
  readonly unit: string;
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend: string }>;
  /** Fixed axis range, e.g. [0, 100] for percentages; default automatic. */
  readonly range?: readonly [number, number];
}

/** A panel of Loki log lines. */
export interface LogsPanel {
  readonly title: string;
  readonly description: string;
  readonly expr: string;
}

/** A query variable fed by a Prometheus `label_values(...)` query, multi-select with "All". */
export interface LabelVariable {
  readonly name: string;
  readonly label: string;
  readonly query: string;
  /** What "All" matches; ".+" keeps Loki selectors valid (Loki refuses matchers that match the empty string). */
  readonly allValue: string;
}

/** What a dashboard shows. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly LabelVariable[];
  /** Panels in reading order; laid out two per row, each half the width. */
  readonly panels: ReadonlyArray<SeriesPanel | LogsPanel>;
}

const PANEL_HEIGHT = 8;
const PANEL_WIDTH = 12;

/** Renders a dashboard as Grafana dashboard JSON, pretty-printed with a trailing newline. */
export function renderDashboard(spec: DashboardSpec): string {
  const dashboard = {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["hybridlab"],
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    timezone: "",
    annotations: { list: [] },
    links: [],
    templating: { list: spec.variables.map(variable) },
    panels: spec.panels.map((panel, i) => {
      const gridPos = { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (i % 2) * PANEL_WIDTH, y: Math.floor(i / 2) * PANEL_HEIGHT };
      return "queries" in panel ? seriesPanel(panel, i + 1, gridPos) : logsPanel(panel, i + 1, gridPos);
    }),
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

type GridPos = { h: number; w: number; x: number; y: number };

function seriesPanel(panel: SeriesPanel, id: number, gridPos: GridPos): object {
  return {
    id,
    type: "timeseries",
    title: panel.title,
    description: panel.description,
    datasource: PROMETHEUS,
    gridPos,
    fieldConfig: { defaults: { unit: panel.unit, ...(panel.range ? { min: panel.range[0], max: panel.range[1] } : {}) }, overrides: [] },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
    targets: panel.queries.map((query, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: PROMETHEUS,
      expr: query.expr,
      legendFormat: query.legend,
      range: true,
    })),
  };
}

function logsPanel(panel: LogsPanel, id: number, gridPos: GridPos): object {
  return {
    id,
    type: "logs",
    title: panel.title,
    description: panel.description,
    datasource: LOKI,
    gridPos,
    options: { showTime: true, wrapLogMessage: true, sortOrder: "Descending", enableLogDetails: true },
    targets: [{ refId: "A", datasource: LOKI, expr: panel.expr, queryType: "range" }],
  };
}

function variable(spec: LabelVariable): object {
  return {
    name: spec.name,
    label: spec.label,
    type: "query",
    datasource: PROMETHEUS,
    query: spec.query,
    definition: spec.query,
    // 2: refresh the values whenever the time range changes, so new hosts and apps appear without a reload.
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: spec.allValue,
    current: { selected: true, text: ["All"], value: ["$__all"] },
    options: [],
    regex: "",
    sort: 1,
    hide: 0,
  };
}
