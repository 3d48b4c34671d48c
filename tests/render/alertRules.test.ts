import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderAlertRules } from "../../stacks/render/alertRules";
import { asList, asRecord, parseStrictYaml } from "../support/strictYaml";
import { runValidator, withTempFile } from "../support/validators";

/**
 * promtool unit tests (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/): series go
 * in, the alerts that must (and must not) fire at given times come out, so each expression is proven, not only parsed.
 */
const UNIT_TESTS = `rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      # Up twice, then down from minute 2.
      - series: 'up{job="node",instance="hub:9100"}'
        values: '1 1 0x20'
      - series: 'up{job="node",instance="spoke:9100"}'
        values: '1x20'
      - series: 'probe_success{job="blackbox-http_2xx",instance="https://grafana.example.com/api/health"}'
        values: '1 0x20'
      - series: 'probe_success{job="blackbox-http_2xx",instance="https://example.com/"}'
        values: '1x20'
    alert_rule_test:
      - eval_time: 6m
        alertname: TargetDown
        exp_alerts: []
      - eval_time: 7m
        alertname: TargetDown
        exp_alerts:
          - exp_labels: {severity: critical, job: node, instance: "hub:9100"}
            exp_annotations:
              summary: "node target hub:9100 is down"
              description: "Prometheus has not been able to scrape hub:9100 (job node) for 5 minutes."
      - eval_time: 5m
        alertname: ProbeFailure
        exp_alerts: []
      - eval_time: 6m
        alertname: ProbeFailure
        exp_alerts:
          - exp_labels: {severity: critical, job: blackbox-http_2xx, instance: "https://grafana.example.com/api/health"}
            exp_annotations:
              summary: "https://grafana.example.com/api/health fails its probe"
              description: "The blackbox probe of https://grafana.example.com/api/health has failed for 5 minutes."
  - interval: 1m
    input_series:
      # Expires 10 days after the epoch the test starts at, and 30 days for the other site.
      - series: 'probe_ssl_earliest_cert_expiry{instance="https://grafana.example.com/"}'
        values: '864000x90'
      - series: 'probe_ssl_earliest_cert_expiry{instance="https://example.com/"}'
        values: '2592000x90'
      - series: 'node_memory_MemAvailable_bytes{instance="hub:9100"}'
        values: '500x30'
      - series: 'node_memory_MemTotal_bytes{instance="hub:9100"}'
        values: '10000x30'
      - series: 'node_memory_MemAvailable_bytes{instance="spoke:9100"}'
        values: '5000x30'
      - series: 'node_memory_MemTotal_bytes{instance="spoke:9100"}'
        values: '10000x30'
    alert_rule_test:
      - eval_time: 61m
        alertname: CertificateExpiry
        exp_alerts:
          - exp_labels: {severity: warning, instance: "https://grafana.example.com/"}
            exp_annotations:
              summary: "The certificate of https://grafana.example.com/ expires soon"
              description: "The certificate served at https://grafana.example.com/ expires in 9d 22h 59m 0s; ACME renewal is failing."
      - eval_time: 16m
        alertname: MemoryPressure
        exp_alerts:
          - exp_labels: {severity: warning, instance: "hub:9100"}
            exp_annotations:
              summary: "hub:9100 is running out of memory"
              description: "hub:9100 has had only 5.0% of its memory available for 15 minutes."
  - interval: 1m
    input_series:
      # / loses 1 of 10000 bytes a minute from 9% free: full within a day. /data has 8% free but is steady.
      - series: 'node_filesystem_avail_bytes{instance="hub:9100",mountpoint="/",fstype="ext4"}'
        values: '900-1x120'
      - series: 'node_filesystem_size_bytes{instance="hub:9100",mountpoint="/",fstype="ext4"}'
        values: '10000x120'
      - series: 'node_filesystem_readonly{instance="hub:9100",mountpoint="/",fstype="ext4"}'
        values: '0x120'
      - series: 'node_filesystem_avail_bytes{instance="hub:9100",mountpoint="/data",fstype="ext4"}'
        values: '800x120'
      - series: 'node_filesystem_size_bytes{instance="hub:9100",mountpoint="/data",fstype="ext4"}'
        values: '10000x120'
      - series: 'node_filesystem_readonly{instance="hub:9100",mountpoint="/data",fstype="ext4"}'
        values: '0x120'
      # A tmpfs that is nearly full is not a disk.
      - series: 'node_filesystem_avail_bytes{instance="hub:9100",mountpoint="/run",fstype="tmpfs"}'
        values: '1x120'
      - series: 'node_filesystem_size_bytes{instance="hub:9100",mountpoint="/run",fstype="tmpfs"}'
        values: '10000x120'
      - series: 'node_filesystem_readonly{instance="hub:9100",mountpoint="/run",fstype="tmpfs"}'
        values: '0x120'
    alert_rule_test:
      - eval_time: 90m
        alertname: DiskFilling
        exp_alerts:
          - exp_labels: {severity: warning, instance: "hub:9100", mountpoint: "/", fstype: ext4}
            exp_annotations:
              summary: "/ on hub:9100 is filling up"
              description: "/ on hub:9100 has 8.1% free and is predicted to fill within 24 hours."
      - eval_time: 90m
        alertname: DiskAlmostFull
        exp_alerts: []
  - interval: 1m
    input_series:
      # Started four times in 15 minutes: a crash loop. The unlabelled container restarts too but is not ours.
      - series: 'container_start_time_seconds{instance="hub:9338",name="moodle",container_label_hybridlab_app="moodle"}'
        values: '100 200 300 400 400 400'
      - series: 'container_start_time_seconds{instance="hub:9338",name="other"}'
        values: '100 200 300 400 400 400'
      - series: 'container_start_time_seconds{instance="hub:9338",name="grafana",container_label_hybridlab_app="monitoring"}'
        values: '100x5'
    alert_rule_test:
      - eval_time: 5m
        alertname: ContainerRestarting
        exp_alerts:
          - exp_labels: {severity: warning, instance: "hub:9338", name: moodle, container_label_hybridlab_app: moodle}
            exp_annotations:
              summary: "moodle (moodle) on hub:9338 keeps restarting"
              description: "Container moodle on hub:9338 restarted 3 times in 15 minutes."
`;

function promtool(files: Record<string, string>, args: (dir: string) => string[]): { status: number; output: string } {
  const [first, ...rest] = Object.entries(files);
  return withTempFile(first[0], first[1], (path) => {
    const dir = dirname(path);
    for (const [name, content] of rest) writeFileSync(join(dir, name), content);
    const result = runValidator("prometheus", "promtool", args(dir));
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  });
}

describe("renderAlertRules", () => {
  it("passes promtool check rules", () => {
    const result = promtool({ "alerts.yml": renderAlertRules() }, (dir) => ["check", "rules", join(dir, "alerts.yml")]);
    expect(result.output).toContain("SUCCESS: 7 rules found");
    expect(result.status).toBe(0);
  });

  it("fires exactly the expected alerts under promtool test rules", () => {
    const result = promtool({ "alerts.yml": renderAlertRules(), "alerts.test.yml": UNIT_TESTS }, (dir) => ["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
  });

  it("fails promtool test rules when an expectation is wrong (the unit test is real)", () => {
    const wrong = UNIT_TESTS.replace("      - eval_time: 6m\n        alertname: TargetDown\n        exp_alerts: []", "      - eval_time: 8m\n        alertname: TargetDown\n        exp_alerts: []");
    expect(wrong).not.toBe(UNIT_TESTS);
    const result = promtool({ "alerts.yml": renderAlertRules(), "alerts.test.yml": wrong }, (dir) => ["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("alertname: TargetDown");
  });

  it("has the required alerts, each with a severity Alertmanager's inhibit rule knows", () => {
    const groups = asList(asRecord(parseStrictYaml(renderAlertRules()), "rules").groups, "groups").map((group) => asRecord(group, "group"));
    const rules = groups.flatMap((group) => asList(group.rules, "rules").map((rule) => asRecord(rule, "rule")));
    expect(rules.map((rule) => [rule.alert, asRecord(rule.labels, "labels").severity])).toEqual([
      ["TargetDown", "critical"],
      ["ProbeFailure", "critical"],
      ["CertificateExpiry", "warning"],
      ["DiskFilling", "warning"],
      ["DiskAlmostFull", "critical"],
      ["MemoryPressure", "warning"],
      ["ContainerRestarting", "warning"],
    ]);
    expect(renderAlertRules()).toBe(renderAlertRules());
  });
});
