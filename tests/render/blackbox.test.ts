import { renderBlackboxConfig } from "../../stacks/render/blackbox";
import { renderPrometheusConfig } from "../../stacks/render/prometheus";
import { asList, asRecord, parseStrictYaml } from "../support/strictYaml";
import { runValidator, withTempFile } from "../support/validators";

// Fields per https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md; the file is also checked by
// the exporter itself (Debian's prometheus-blackbox-exporter, `--config.check`).
describe("renderBlackboxConfig", () => {
  it("renders the http_2xx module: IPv4 only, certificates verified", () => {
    expect(renderBlackboxConfig()).toBe(`modules:
  http_2xx:
    prober: http
    timeout: 10s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      tls_config:
        insecure_skip_verify: false
`);
  });

  it("parses strictly and defines every module the Prometheus probe jobs name", () => {
    const modules = asRecord(asRecord(parseStrictYaml(renderBlackboxConfig()), "blackbox.yml").modules, "modules");
    const config = asRecord(
      parseStrictYaml(renderPrometheusConfig({ scrapeJobs: [], probes: [{ url: "https://a.example.com/", module: "http_2xx" }], blackboxAddress: "b:9115", alertmanagerAddress: "a:9093", ruleFiles: [] })),
      "prometheus.yml",
    );
    const named = asList(config.scrape_configs, "scrape_configs").flatMap((job) => asList(asRecord(asRecord(job, "job").params, "params").module, "module"));
    expect(named).toEqual(["http_2xx"]);
    for (const module of named) expect(asRecord(modules[String(module)], String(module)).prober).toBe("http");
  });

  it("passes the exporter's own --config.check, which rejects unknown fields", () => {
    const check = (text: string) => withTempFile("blackbox.yml", text, (file) => runValidator("prometheus-blackbox-exporter", "prometheus-blackbox-exporter", ["--config.check", `--config.file=${file}`]));
    const good = check(renderBlackboxConfig());
    expect(good.status).toBe(0);
    expect(check(renderBlackboxConfig().replace("prober: http", "prober: http\n    bogus_field: 1")).status).not.toBe(0);
  });
});
