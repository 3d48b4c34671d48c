import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderAlertRules } from "../../stacks/render/alertRules";
import { asList, asRecord, parseStrictYaml } from "../support/strictYaml";
import { runValidator, withTempFile } from "../support/validators";

/**
 * promtool unit tests (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/): series go
 * in, the alerts that must (and must not) fire at given times come out, so each expression is proven, not only parsed.
 */
/** airflow places 3 Celery workers (one on its node, two on spoke), etl 1, pipelines 1 that Flower has never seen. */
const WATCHED = [
  { app: "airflow", workers: ["celery@airflow-worker-1", "celery@airflow-worker-spoke-1", "celery@airflow-worker-spoke-2"] },
  { app: "etl", workers: ["celery@etl-worker-1"] },
  { app: "pipelines", workers: ["celery@pipelines-worker-1"] },
];

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
  - interval: 1m
    input_series:
      # Moodle's database stops answering at minute 2; MLflow's stays up with 85 of 100 connections in use.
      - series: 'pg_up{job="moodle-db-metrics",instance="devlab:9187",app="moodle"}'
        values: '1 1 0x20'
      - series: 'pg_up{job="mlflow-db-metrics",instance="devlab:9189",app="mlflow"}'
        values: '1x20'
      - series: 'pg_stat_activity_count{job="mlflow-db-metrics",instance="devlab:9189",app="mlflow",datname="mlflow",state="active"}'
        values: '60x20'
      - series: 'pg_stat_activity_count{job="mlflow-db-metrics",instance="devlab:9189",app="mlflow",datname="mlflow",state="idle"}'
        values: '25x20'
      - series: 'pg_settings_max_connections{job="mlflow-db-metrics",instance="devlab:9189",app="mlflow"}'
        values: '100x20'
      - series: 'pg_stat_activity_count{job="moodle-db-metrics",instance="devlab:9187",app="moodle",datname="moodle",state="active"}'
        values: '10x20'
      - series: 'pg_settings_max_connections{job="moodle-db-metrics",instance="devlab:9187",app="moodle"}'
        values: '100x20'
    alert_rule_test:
      - eval_time: 6m
        alertname: DatabaseDown
        exp_alerts: []
      - eval_time: 7m
        alertname: DatabaseDown
        exp_alerts:
          - exp_labels: {severity: critical, job: moodle-db-metrics, instance: "devlab:9187", app: moodle}
            exp_annotations:
              summary: "The database of moodle is down"
              description: "The PostgreSQL exporter at devlab:9187 has not been able to query the database of moodle for 5 minutes."
      - eval_time: 16m
        alertname: DatabaseConnectionsNearLimit
        exp_alerts:
          - exp_labels: {severity: warning, job: mlflow-db-metrics, instance: "devlab:9189", app: mlflow}
            exp_annotations:
              summary: "The database of mlflow is near its connection limit"
              description: "The database of mlflow has used 85% of max_connections for 15 minutes."
  - interval: 1m
    input_series:
      # The host and VM 100 (on boot) go down at minute 2; VM 101 is stopped on purpose (not on boot).
      - series: 'pve_up{job="pve-home",instance="192.168.1.10",site="home",id="node/pve"}'
        values: '1 1 0x20'
      - series: 'pve_up{job="pve-home",instance="192.168.1.10",site="home",id="qemu/100"}'
        values: '1 1 0x20'
      - series: 'pve_onboot_status{job="pve-home",instance="192.168.1.10",site="home",id="qemu/100",node="pve",type="qemu"}'
        values: '1x20'
      - series: 'pve_up{job="pve-home",instance="192.168.1.10",site="home",id="qemu/101"}'
        values: '0x20'
      - series: 'pve_onboot_status{job="pve-home",instance="192.168.1.10",site="home",id="qemu/101",node="pve",type="qemu"}'
        values: '0x20'
      # local-lvm is 95% full, local 50%.
      - series: 'pve_disk_usage_bytes{job="pve-home",instance="192.168.1.10",site="home",id="storage/pve/local-lvm"}'
        values: '950x20'
      - series: 'pve_disk_size_bytes{job="pve-home",instance="192.168.1.10",site="home",id="storage/pve/local-lvm"}'
        values: '1000x20'
      - series: 'pve_disk_usage_bytes{job="pve-home",instance="192.168.1.10",site="home",id="storage/pve/local"}'
        values: '500x20'
      - series: 'pve_disk_size_bytes{job="pve-home",instance="192.168.1.10",site="home",id="storage/pve/local"}'
        values: '1000x20'
    alert_rule_test:
      - eval_time: 7m
        alertname: ProxmoxHostDown
        exp_alerts:
          - exp_labels: {severity: critical, job: pve-home, instance: "192.168.1.10", site: home, id: node/pve}
            exp_annotations:
              summary: "Proxmox host node/pve of site home is down"
              description: "The Proxmox API of site home reports node/pve offline for 5 minutes."
      - eval_time: 7m
        alertname: ProxmoxGuestDown
        exp_alerts:
          - exp_labels: {severity: critical, job: pve-home, instance: "192.168.1.10", site: home, id: qemu/100}
            exp_annotations:
              summary: "Guest qemu/100 of site home is not running"
              description: "Guest qemu/100 starts on boot but has not been running for 5 minutes."
      - eval_time: 16m
        alertname: ProxmoxStorageFilling
        exp_alerts:
          - exp_labels: {severity: warning, job: pve-home, instance: "192.168.1.10", site: home, id: storage/pve/local-lvm}
            exp_annotations:
              summary: "Proxmox storage storage/pve/local-lvm of site home is filling up"
              description: "Proxmox storage storage/pve/local-lvm is 95.0% full."
  - interval: 1m
    input_series:
      # Of airflow's 3 workers, worker-1 shuts down at minute 2, worker-spoke-1 stays, worker-spoke-2 never came up;
      # worker-2 was removed from the estate (its series stays at 0 until Flower restarts). etl's one worker is up.
      - series: 'flower_worker_online{job="airflow-flower",instance="airflow-flower:5555",app="airflow",worker="celery@airflow-worker-1"}'
        values: '1 1 0x20'
      - series: 'flower_worker_online{job="airflow-flower",instance="airflow-flower:5555",app="airflow",worker="celery@airflow-worker-spoke-1"}'
        values: '1x20'
      - series: 'flower_worker_online{job="airflow-flower",instance="airflow-flower:5555",app="airflow",worker="celery@airflow-worker-2"}'
        values: '0x20'
      - series: 'flower_worker_online{job="etl-flower",instance="hub:5555",app="etl",worker="celery@etl-worker-1"}'
        values: '1x20'
    alert_rule_test:
      - eval_time: 4m
        alertname: AirflowWorkerOffline
        exp_alerts: []
      - eval_time: 6m
        alertname: AirflowWorkerOffline
        exp_alerts:
          - exp_labels: {severity: critical, app: airflow}
            exp_annotations:
              summary: "airflow has fewer Celery workers online than it places"
              description: "Flower sees 1 of the 3 Celery workers of airflow online, for 5 minutes."
          - exp_labels: {severity: critical, app: pipelines}
            exp_annotations:
              summary: "pipelines has fewer Celery workers online than it places"
              description: "Flower sees 0 of the 1 Celery workers of pipelines online, for 5 minutes."
      - eval_time: 7m
        alertname: AirflowWorkerOffline
        exp_alerts:
          - exp_labels: {severity: critical, job: airflow-flower, instance: "airflow-flower:5555", app: airflow, worker: "celery@airflow-worker-1"}
            exp_annotations:
              summary: "Celery worker celery@airflow-worker-1 of airflow is offline"
              description: "Flower has seen celery@airflow-worker-1 (airflow) shut down and not come back for 5 minutes."
          - exp_labels: {severity: critical, app: airflow}
            exp_annotations:
              summary: "airflow has fewer Celery workers online than it places"
              description: "Flower sees 1 of the 3 Celery workers of airflow online, for 5 minutes."
          - exp_labels: {severity: critical, app: pipelines}
            exp_annotations:
              summary: "pipelines has fewer Celery workers online than it places"
              description: "Flower sees 0 of the 1 Celery workers of pipelines online, for 5 minutes."
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
    const result = promtool({ "alerts.yml": renderAlertRules(WATCHED) }, (dir) => ["check", "rules", join(dir, "alerts.yml")]);
    expect(result.output).toContain("SUCCESS: 16 rules found");
    expect(result.status).toBe(0);
  });

  it("fires exactly the expected alerts under promtool test rules", () => {
    const result = promtool({ "alerts.yml": renderAlertRules(WATCHED), "alerts.test.yml": UNIT_TESTS }, (dir) => ["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
  });

  it("fails promtool test rules when an expectation is wrong (the unit test is real)", () => {
    const wrong = UNIT_TESTS.replace("      - eval_time: 6m\n        alertname: TargetDown\n        exp_alerts: []", "      - eval_time: 8m\n        alertname: TargetDown\n        exp_alerts: []");
    expect(wrong).not.toBe(UNIT_TESTS);
    const result = promtool({ "alerts.yml": renderAlertRules(WATCHED), "alerts.test.yml": wrong }, (dir) => ["test", "rules", join(dir, "alerts.test.yml")]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("alertname: TargetDown");
  });

  it("has the required alerts, each with a severity Alertmanager's inhibit rule knows", () => {
    const groups = asList(asRecord(parseStrictYaml(renderAlertRules(WATCHED)), "rules").groups, "groups").map((group) => asRecord(group, "group"));
    const rules = groups.flatMap((group) => asList(group.rules, "rules").map((rule) => asRecord(rule, "rule")));
    expect(rules.map((rule) => [rule.alert, asRecord(rule.labels, "labels").severity])).toEqual([
      ["TargetDown", "critical"],
      ["ProbeFailure", "critical"],
      ["CertificateExpiry", "warning"],
      ["DiskFilling", "warning"],
      ["DiskAlmostFull", "critical"],
      ["MemoryPressure", "warning"],
      ["ContainerRestarting", "warning"],
      ["DatabaseDown", "critical"],
      ["DatabaseConnectionsNearLimit", "warning"],
      ["ProxmoxHostDown", "critical"],
      ["ProxmoxGuestDown", "critical"],
      ["ProxmoxStorageFilling", "warning"],
      ["AirflowWorkerOffline", "critical"],
      ["AirflowWorkerOffline", "critical"],
      ["AirflowWorkerOffline", "critical"],
      ["AirflowWorkerOffline", "critical"],
    ]);
    expect(renderAlertRules(WATCHED)).toBe(renderAlertRules(WATCHED));
  });

  it("has no worker rules for an estate without Celery workers", () => {
    const rules = renderAlertRules([]);
    expect(rules).not.toContain("AirflowWorkerOffline");
    expect(rules).not.toContain("hybridlab-workers");
  });

  it("holds each app to the workers it places, by name", () => {
    const exprs = asList(asRecord(parseStrictYaml(renderAlertRules(WATCHED)), "rules").groups, "groups")
      .map((group) => asRecord(group, "group"))
      .filter((group) => group.name === "hybridlab-workers")
      .flatMap((group) => asList(group.rules, "rules").map((rule) => asRecord(rule, "rule").expr));
    expect(exprs).toEqual([
      'flower_worker_online{worker=~"celery@airflow-worker-1|celery@airflow-worker-spoke-1|celery@airflow-worker-spoke-2|celery@etl-worker-1|celery@pipelines-worker-1"} == 0',
      '(count by (app) (flower_worker_online{app="airflow",worker=~"celery@airflow-worker-1|celery@airflow-worker-spoke-1|celery@airflow-worker-spoke-2"} == 1) or label_replace(vector(0), "app", "airflow", "", "")) < 3',
      '(count by (app) (flower_worker_online{app="etl",worker=~"celery@etl-worker-1"} == 1) or label_replace(vector(0), "app", "etl", "", "")) < 1',
      '(count by (app) (flower_worker_online{app="pipelines",worker=~"celery@pipelines-worker-1"} == 1) or label_replace(vector(0), "app", "pipelines", "", "")) < 1',
    ]);
  });
});
