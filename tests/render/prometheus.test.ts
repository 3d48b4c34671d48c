import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderAlertRules } from "../../stacks/render/alertRules";
import { renderPrometheusConfig, type PrometheusConfigInput } from "../../stacks/render/prometheus";
import { asList, asRecord, parseStrictYaml } from "../support/strictYaml";
import { runValidator, withTempFile } from "../support/validators";

const input: PrometheusConfigInput = {
  scrapeJobs: [
    {
      job: "node",
      targets: [
        { address: "100.64.0.2:9100", labels: { node: "spoke", app: "yes" } },
        { address: "100.64.0.1:9100", labels: { node: "hub" } },
      ],
    },
    { job: "spark", metricsPath: "/metrics/master/prometheus/", targets: [{ address: "100.64.0.3:8080" }] },
    { job: "caddy", targets: [] },
  ],
  probes: [
    { url: "https://grafana.example.com/api/health", module: "http_2xx" },
    { url: "https://example.com/login/index.php", module: "http_2xx" },
  ],
  blackboxAddress: "blackbox:9115",
  alertmanagerAddress: "alertmanager:9093",
  ruleFiles: ["rules/hybridlab.yml"],
};

/** `promtool check config` on prometheus.yml with the real rule file beside it (promtool loads and checks it too). */
function checkConfig(config: string): { status: number; output: string } {
  return withTempFile("prometheus.yml", config, (file) => {
    const rules = join(dirname(file), "rules");
    mkdirSync(rules);
    writeFileSync(join(rules, "hybridlab.yml"), renderAlertRules([]));
    const result = runValidator("prometheus", "promtool", ["check", "config", file]);
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  });
}

describe("renderPrometheusConfig", () => {
  it("passes promtool check config, rule file included", () => {
    const result = checkConfig(renderPrometheusConfig(input));
    expect(result.output).toContain("SUCCESS: 1 rule files found");
    expect(result.status).toBe(0);
  });

  it("fails promtool check config when the rule file is missing (the check is real)", () => {
    const result = checkConfig(renderPrometheusConfig({ ...input, ruleFiles: ["rules/absent.yml"] }));
    expect(result.status).not.toBe(0);
  });

  it("renders jobs sorted by name, targets by address, and the blackbox relabeling", () => {
    expect(renderPrometheusConfig(input)).toBe(`global:
  scrape_interval: 30s
  scrape_timeout: 10s
  evaluation_interval: 30s
alerting:
  alertmanagers:
    - static_configs:
        - targets:
            - alertmanager:9093
rule_files:
  - rules/hybridlab.yml
scrape_configs:
  - job_name: blackbox-http_2xx
    metrics_path: /probe
    params:
      module:
        - http_2xx
    static_configs:
      - targets:
          - https://example.com/login/index.php
          - https://grafana.example.com/api/health
    relabel_configs:
      - source_labels:
          - __address__
        target_label: __param_target
      - source_labels:
          - __param_target
        target_label: instance
      - target_label: __address__
        replacement: blackbox:9115
  - job_name: caddy
    static_configs: []
  - job_name: node
    static_configs:
      - targets:
          - 100.64.0.1:9100
        labels:
          node: hub
      - targets:
          - 100.64.0.2:9100
        labels:
          app: "yes"
          node: spoke
  - job_name: spark
    metrics_path: /metrics/master/prometheus/
    static_configs:
      - targets:
          - 100.64.0.3:8080
`);
  });

  it("quotes strings YAML 1.1 would read as booleans, so go-yaml keeps them strings", () => {
    const config = asRecord(parseStrictYaml(renderPrometheusConfig(input)), "prometheus.yml");
    const node = asList(config.scrape_configs, "scrape_configs").map((job) => asRecord(job, "job")).find((job) => job.job_name === "node");
    expect(asList(node?.static_configs, "static_configs")[1]).toEqual({ targets: ["100.64.0.2:9100"], labels: { app: "yes", node: "spoke" } });
  });

  it("omits the probe job when there are no probes, and bounds the scrape timeout by a short interval", () => {
    const config = asRecord(parseStrictYaml(renderPrometheusConfig({ ...input, probes: [], scrapeIntervalSeconds: 5 })), "prometheus.yml");
    expect(config.global).toEqual({ scrape_interval: "5s", scrape_timeout: "5s", evaluation_interval: "5s" });
    expect(asList(config.scrape_configs, "scrape_configs").map((job) => asRecord(job, "job").job_name)).toEqual(["caddy", "node", "spark"]);
  });

  it("is the same for any order of jobs, targets, probes and labels", () => {
    const shuffled: PrometheusConfigInput = {
      ...input,
      scrapeJobs: [...input.scrapeJobs].reverse().map((job) => ({ ...job, targets: [...job.targets].reverse() })),
      probes: [...input.probes].reverse(),
    };
    expect(renderPrometheusConfig(shuffled)).toBe(renderPrometheusConfig(input));
  });

  it.each<[string, Partial<PrometheusConfigInput>, string]>([
    ["the interval is too short", { scrapeIntervalSeconds: 1 }, "renderPrometheusConfig: scrapeIntervalSeconds must be an integer from 5 to 3600, got 1"],
    ["the blackbox address has no port", { blackboxAddress: "blackbox" }, 'renderPrometheusConfig: blackboxAddress must be a "host:port" address, got "blackbox"'],
    ["the alertmanager address is a URL", { alertmanagerAddress: "http://am:9093" }, 'renderPrometheusConfig: alertmanagerAddress must be a "host:port" address, got "http://am:9093"'],
    ["two jobs share a name", { scrapeJobs: [{ job: "node", targets: [] }, { job: "node", targets: [] }] }, 'renderPrometheusConfig: scrapeJobs[1].job must be unique (blackbox-<module> is taken by probes), got "node" twice'],
    ["a job takes the probe job's name", { scrapeJobs: [{ job: "blackbox-http_2xx", targets: [] }] }, 'renderPrometheusConfig: scrapeJobs[0].job must be unique (blackbox-<module> is taken by probes), got "blackbox-http_2xx" twice'],
    ["a job name has spaces", { scrapeJobs: [{ job: "my job", targets: [] }] }, `renderPrometheusConfig: scrapeJobs[0].job must be letters, digits, '_', '.' or '-', got "my job"`],
    ["a metrics path is relative", { scrapeJobs: [{ job: "a", metricsPath: "metrics", targets: [] }] }, 'renderPrometheusConfig: scrapeJobs[0].metricsPath must be an absolute path such as "/metrics", got "metrics"'],
    ["a target repeats", { scrapeJobs: [{ job: "a", targets: [{ address: "a:1" }, { address: "a:1" }] }] }, 'renderPrometheusConfig: scrapeJobs[0].targets[1].address must be unique within its job, got "a:1" twice'],
    ["a label is reserved", { scrapeJobs: [{ job: "a", targets: [{ address: "a:1", labels: { __name__: "x" } }] }] }, 'renderPrometheusConfig: scrapeJobs[0].targets[0].labels must be Prometheus label names not starting with "__", got "__name__"'],
    ["a probe URL is not absolute", { probes: [{ url: "grafana.example.com", module: "http_2xx" }] }, 'renderPrometheusConfig: probes[0].url must be an absolute http(s) URL, got "grafana.example.com"'],
    ["a target has no port and no exporter", { scrapeJobs: [{ job: "a", targets: [{ address: "pve.lan" }] }] }, 'renderPrometheusConfig: scrapeJobs[0].targets[0].address must be a "host:port" address, got "pve.lan"'],
    ["an exporter address has no port", { scrapeJobs: [{ job: "a", exporter: "devlab", targets: [] }] }, 'renderPrometheusConfig: scrapeJobs[0].exporter must be a "host:port" address, got "devlab"'],
    ["a parameter value has an ampersand", { scrapeJobs: [{ job: "a", params: { module: ["a&b"] }, targets: [] }] }, `renderPrometheusConfig: scrapeJobs[0].params.module[0] must be a value without spaces, '&' or '#', got "a&b"`],
  ])("fails when %s", (_name, change, message) => {
    expect(() => renderPrometheusConfig({ ...input, ...change })).toThrow(message);
  });

  it("scrapes a job's targets through its exporter, each target its `target` parameter and instance, and promtool accepts it", () => {
    const pve = { job: "pve-home", metricsPath: "/pve", params: { node: ["1"], module: ["default"] }, exporter: "devlab:9221", targets: [{ address: "192.168.1.10", labels: { site: "home" } }] };
    const config = renderPrometheusConfig({ ...input, scrapeJobs: [...input.scrapeJobs, pve] });
    const jobs = asList(asRecord(parseStrictYaml(config), "config").scrape_configs, "scrape_configs").map((job) => asRecord(job, "job"));
    expect(jobs.find((job) => job.job_name === "pve-home")).toEqual({
      job_name: "pve-home",
      metrics_path: "/pve",
      params: { module: ["default"], node: ["1"] },
      static_configs: [{ targets: ["192.168.1.10"], labels: { site: "home" } }],
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { source_labels: ["__param_target"], target_label: "instance" },
        { target_label: "__address__", replacement: "devlab:9221" },
      ],
    });
    expect(jobs.find((job) => job.job_name === "node")).not.toHaveProperty("relabel_configs");
    const result = checkConfig(config);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining("SUCCESS")]);
  });
});
