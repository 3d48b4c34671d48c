/**
 * prometheus.yml: scrape jobs, blackbox probes, the Alertmanager to notify and the rule files to load.
 *
 * Pure and deterministic: jobs sorted by name, targets by address, label keys sorted. Only fields promtool 2.42
 * (Debian 12, the validator in tests) and Prometheus 3 both accept; none of 3.x's additions (e.g.
 * `fallback_scrape_protocol`, which 2.42 rejects as an unknown field).
 */
import { stringify } from "yaml";
import { requireIntInRange, requireMatch } from "../../components/validate";

/** One endpoint to scrape. */
export interface ScrapeTarget {
  /** "host:port" of the endpoint; required. Becomes the `instance` label. */
  readonly address: string;
  /** Extra target labels (e.g. `app`, `node`); default none. Names must be Prometheus label names without "__". */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A scrape job: targets that expose the same kind of metrics at the same path. */
export interface ScrapeJob {
  /** Job name, the `job` label; required, unique across jobs and not "blackbox-<module>". */
  readonly job: string;
  /** Endpoints to scrape; required, may be empty (the job then scrapes nothing until targets appear). */
  readonly targets: readonly ScrapeTarget[];
  /** HTTP path of the metrics endpoint; default Prometheus' own, "/metrics". */
  readonly metricsPath?: string;
  /**
   * "host:port" of an exporter that scrapes the targets on Prometheus' behalf (the multi-target exporter pattern,
   * https://prometheus.io/docs/guides/multi-target-exporter/): each target's address is passed as the `target`
   * parameter and kept as the `instance` label, and may then be a bare host. Default none: the targets are scraped.
   */
  readonly exporter?: string;
  /** URL parameters sent with every scrape, e.g. `{ module: ["default"] }`; default none. */
  readonly params?: Readonly<Record<string, readonly string[]>>;
}

/** A URL the blackbox exporter probes. */
export interface Probe {
  /** Absolute http(s) URL, e.g. "https://grafana.example.com/api/health"; required. Becomes the `instance` label. */
  readonly url: string;
  /** Blackbox module (see renderBlackboxConfig); required. */
  readonly module: "http_2xx";
}

/** Everything prometheus.yml refers to, as addresses already resolved. */
export interface PrometheusConfigInput {
  /** Scrape and rule evaluation interval in seconds; default 30. The scrape timeout is 10s, or the interval if shorter. */
  readonly scrapeIntervalSeconds?: number;
  /** Scrape jobs, in any order; required, may be empty. */
  readonly scrapeJobs: readonly ScrapeJob[];
  /** Blackbox probes, in any order; required, may be empty. One job per module, named "blackbox-<module>". */
  readonly probes: readonly Probe[];
  /** "host:port" of the blackbox exporter that runs the probes; required. */
  readonly blackboxAddress: string;
  /** "host:port" of Alertmanager; required. */
  readonly alertmanagerAddress: string;
  /** Rule file paths as Prometheus sees them (relative paths resolve against prometheus.yml's directory); required. */
  readonly ruleFiles: readonly string[];
}

const WHERE = "renderPrometheusConfig";
const HOST_PORT = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d{1,5}$/i;
const HOST_OR_HOST_PORT = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d{1,5})?$/i;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_VALUE = /^[^\s&#]+$/;
const JOB_NAME = /^[a-zA-Z0-9_.-]+$/;
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;
const PATH = /^\/[^\s?#]*$/;

/** go-yaml (Prometheus, Alertmanager, Loki) reads YAML 1.1, where an unquoted `yes` is a boolean: emit 1.1. */
export const GO_YAML = { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * Renders prometheus.yml. Probes use the multi-target pattern from the blackbox_exporter README
 * (https://github.com/prometheus/blackbox_exporter#prometheus-configuration): the URL becomes the `target`
 * parameter and the `instance` label, and the scrape goes to the exporter. Throws
 * "renderPrometheusConfig: <field> must be ..., got ..." on malformed addresses, names, paths or URLs.
 */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = input.scrapeIntervalSeconds ?? 30;
  validate(input, interval);

  const jobs = input.scrapeJobs.map((job) => ({
    job_name: job.job,
    ...(job.metricsPath !== undefined ? { metrics_path: job.metricsPath } : {}),
    ...(job.params !== undefined ? { params: Object.fromEntries(Object.entries(job.params).sort(([a], [b]) => compare(a, b)).map(([k, v]) => [k, [...v]])) } : {}),
    static_configs: [...job.targets]
      .sort((a, b) => compare(a.address, b.address))
      .map((target) => ({ targets: [target.address], ...(target.labels && Object.keys(target.labels).length > 0 ? { labels: sortedRecord(target.labels) } : {}) })),
    ...(job.exporter !== undefined ? { relabel_configs: throughExporter(job.exporter) } : {}),
  }));
  const modules = [...new Set(input.probes.map((probe) => probe.module))];
  const probeJobs = modules.map((module) => ({
    job_name: `blackbox-${module}`,
    metrics_path: "/probe",
    params: { module: [module] },
    static_configs: [{ targets: [...new Set(input.probes.filter((probe) => probe.module === module).map((probe) => probe.url))].sort(compare) }],
    relabel_configs: throughExporter(input.blackboxAddress),
  }));

  const config = {
    global: { scrape_interval: `${interval}s`, scrape_timeout: `${Math.min(interval, 10)}s`, evaluation_interval: `${interval}s` },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [input.alertmanagerAddress] }] }] },
    rule_files: [...input.ruleFiles],
    scrape_configs: [...jobs, ...probeJobs].sort((a, b) => compare(a.job_name, b.job_name)),
  };
  return stringify(config, GO_YAML);
}

/** The target becomes the `target` parameter and the `instance` label; the scrape goes to the exporter. */
function throughExporter(exporter: string): object[] {
  return [
    { source_labels: ["__address__"], target_label: "__param_target" },
    { source_labels: ["__param_target"], target_label: "instance" },
    { target_label: "__address__", replacement: exporter },
  ];
}

function validate(input: PrometheusConfigInput, interval: number): void {
  requireIntInRange(WHERE, "scrapeIntervalSeconds", interval, 5, 3600);
  requireMatch(WHERE, "blackboxAddress", input.blackboxAddress, HOST_PORT, 'a "host:port" address');
  requireMatch(WHERE, "alertmanagerAddress", input.alertmanagerAddress, HOST_PORT, 'a "host:port" address');
  input.ruleFiles.forEach((file, i) => requireMatch(WHERE, `ruleFiles[${i}]`, file, /^[^\s]+$/, "a file path without spaces"));

  const jobNames = new Set(input.probes.map((probe) => `blackbox-${probe.module}`));
  input.scrapeJobs.forEach((job, i) => {
    requireMatch(WHERE, `scrapeJobs[${i}].job`, job.job, JOB_NAME, "letters, digits, '_', '.' or '-'");
    if (jobNames.has(job.job)) throw new Error(`${WHERE}: scrapeJobs[${i}].job must be unique (blackbox-<module> is taken by probes), got "${job.job}" twice`);
    jobNames.add(job.job);
    if (job.metricsPath !== undefined) requireMatch(WHERE, `scrapeJobs[${i}].metricsPath`, job.metricsPath, PATH, 'an absolute path such as "/metrics"');
    if (job.exporter !== undefined) requireMatch(WHERE, `scrapeJobs[${i}].exporter`, job.exporter, HOST_PORT, 'a "host:port" address');
    for (const [name, values] of Object.entries(job.params ?? {})) {
      requireMatch(WHERE, `scrapeJobs[${i}].params`, name, PARAM_NAME, "URL parameter names of letters, digits and '_'");
      values.forEach((value, k) => requireMatch(WHERE, `scrapeJobs[${i}].params.${name}[${k}]`, value, PARAM_VALUE, "a value without spaces, '&' or '#'"));
    }
    const addresses = new Set<string>();
    job.targets.forEach((target, j) => {
      // Through an exporter the address is a parameter, so a bare host (the exporter's default port) is fine.
      const [pattern, expected] = job.exporter === undefined ? [HOST_PORT, 'a "host:port" address'] : [HOST_OR_HOST_PORT, 'a "host" or "host:port" address'];
      requireMatch(WHERE, `scrapeJobs[${i}].targets[${j}].address`, target.address, pattern, expected);
      if (addresses.has(target.address)) throw new Error(`${WHERE}: scrapeJobs[${i}].targets[${j}].address must be unique within its job, got "${target.address}" twice`);
      addresses.add(target.address);
      for (const name of Object.keys(target.labels ?? {})) {
        requireMatch(WHERE, `scrapeJobs[${i}].targets[${j}].labels`, name, LABEL_NAME, "Prometheus label names not starting with \"__\"");
      }
    });
  });
  input.probes.forEach((probe, i) => requireMatch(WHERE, `probes[${i}].url`, probe.url, /^https?:\/\/[^\s/]+(\/\S*)?$/, "an absolute http(s) URL"));
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
