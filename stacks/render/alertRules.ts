/**
 * The estate's Prometheus alert rules. Every alert carries `severity` ("critical" pages, "warning" can wait) and
 * keeps the target's `instance`, which Alertmanager's inhibit rule uses to silence warnings about a host while a
 * critical alert about it is firing.
 */
import { stringify } from "yaml";
import { GO_YAML } from "./prometheus";

interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  /** `app` only where one rule per app would otherwise repeat the same alert (promtool refuses duplicate rules). */
  readonly labels: { readonly severity: "critical" | "warning"; readonly app?: string };
  readonly annotations: { readonly summary: string; readonly description: string };
}

// Filesystems worth alerting on: node-exporter already drops pseudo filesystems; memory-backed ones refill on boot.
const FS = 'fstype!="",fstype!~"tmpfs|ramfs"';

const groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly AlertRule[] }> = [
  {
    name: "hybridlab-availability",
    rules: [
      {
        alert: "TargetDown",
        expr: "up == 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
          description: "Prometheus has not been able to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 5 minutes.",
        },
      },
      {
        alert: "ProbeFailure",
        expr: "probe_success == 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "{{ $labels.instance }} fails its probe",
          description: "The blackbox probe of {{ $labels.instance }} has failed for 5 minutes.",
        },
      },
      {
        // Caddy renews 30 days before expiry (a third of a 90-day certificate's life), so 14 days left means
        // renewal has been failing for two weeks.
        alert: "CertificateExpiry",
        expr: "probe_ssl_earliest_cert_expiry - time() < 14 * 86400",
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "The certificate of {{ $labels.instance }} expires soon",
          description: "The certificate served at {{ $labels.instance }} expires in {{ $value | humanizeDuration }}; ACME renewal is failing.",
        },
      },
    ],
  },
  {
    // Thresholds after the node-exporter mixin's NodeFilesystemSpaceFillingUp / AlmostOutOfSpace
    // (https://github.com/prometheus/node_exporter/blob/master/docs/node-mixin/alerts/alerts.libsonnet).
    name: "hybridlab-hosts",
    rules: [
      {
        alert: "DiskFilling",
        expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 10 and predict_linear(node_filesystem_avail_bytes{${FS}}[6h], 24 * 3600) < 0 and node_filesystem_readonly{${FS}} == 0)`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "{{ $labels.mountpoint }} on {{ $labels.instance }} is filling up",
          description: "{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | printf \"%.1f\" }}% free and is predicted to fill within 24 hours.",
        },
      },
      {
        alert: "DiskAlmostFull",
        expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 5 and node_filesystem_readonly{${FS}} == 0)`,
        for: "15m",
        labels: { severity: "critical" },
        annotations: {
          summary: "{{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
          description: "{{ $labels.mountpoint }} on {{ $labels.instance }} has only {{ $value | printf \"%.1f\" }}% free.",
        },
      },
      {
        alert: "MemoryPressure",
        expr: "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < 10",
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "{{ $labels.instance }} is running out of memory",
          description: "{{ $labels.instance }} has had only {{ $value | printf \"%.1f\" }}% of its memory available for 15 minutes.",
        },
      },
    ],
  },
  {
    name: "hybridlab-containers",
    rules: [
      {
        // cAdvisor has no restart counter; a restart shows as a new start time of the same container.
        alert: "ContainerRestarting",
        expr: 'changes(container_start_time_seconds{container_label_hybridlab_app!=""}[15m]) > 2',
        labels: { severity: "warning" },
        annotations: {
          summary: "{{ $labels.name }} ({{ $labels.container_label_hybridlab_app }}) on {{ $labels.instance }} keeps restarting",
          description: "Container {{ $labels.name }} on {{ $labels.instance }} restarted {{ $value }} times in 15 minutes.",
        },
      },
    ],
  },
  {
    // postgres_exporter (https://github.com/prometheus-community/postgres_exporter): pg_up is 0 while the exporter
    // cannot query its database; the job's `app` label names the app it belongs to.
    name: "hybridlab-databases",
    rules: [
      {
        alert: "DatabaseDown",
        expr: "pg_up == 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "The database of {{ $labels.app }} is down",
          description: "The PostgreSQL exporter at {{ $labels.instance }} has not been able to query the database of {{ $labels.app }} for 5 minutes.",
        },
      },
      {
        // New connections fail at max_connections; 80% leaves time to find the leak or raise the limit.
        alert: "DatabaseConnectionsNearLimit",
        expr: "sum by (job, instance, app) (pg_stat_activity_count) / max by (job, instance, app) (pg_settings_max_connections) * 100 > 80",
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "The database of {{ $labels.app }} is near its connection limit",
          description: "The database of {{ $labels.app }} has used {{ $value | printf \"%.0f\" }}% of max_connections for 15 minutes.",
        },
      },
    ],
  },
  {
    // prometheus-pve-exporter (https://github.com/prometheus-pve/prometheus-pve-exporter): `id` is node/<name>,
    // qemu/<vmid>, lxc/<vmid> or storage/<node>/<name>; the job's `site` label names the Proxmox site.
    name: "hybridlab-proxmox",
    rules: [
      {
        alert: "ProxmoxHostDown",
        expr: 'pve_up{id=~"node/.+"} == 0',
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "Proxmox host {{ $labels.id }} of site {{ $labels.site }} is down",
          description: "The Proxmox API of site {{ $labels.site }} reports {{ $labels.id }} offline for 5 minutes.",
        },
      },
      {
        // A guest set to start on boot is meant to run; one an operator stopped on purpose has onboot 0 or is ignored.
        alert: "ProxmoxGuestDown",
        expr: 'pve_up{id=~"(qemu|lxc)/.+"} == 0 and on (id, instance) pve_onboot_status == 1',
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "Guest {{ $labels.id }} of site {{ $labels.site }} is not running",
          description: "Guest {{ $labels.id }} starts on boot but has not been running for 5 minutes.",
        },
      },
      {
        // Thin pools and backup storages stop writes when full; guests on them freeze.
        alert: "ProxmoxStorageFilling",
        expr: 'pve_disk_usage_bytes{id=~"storage/.+"} / pve_disk_size_bytes{id=~"storage/.+"} * 100 > 90',
        for: "15m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Proxmox storage {{ $labels.id }} of site {{ $labels.site }} is filling up",
          description: "Proxmox storage {{ $labels.id }} is {{ $value | printf \"%.1f\" }}% full.",
        },
      },
    ],
  },
];

/** An app whose Celery workers Flower watches, with the node name of each worker the estate places (every node). */
export interface WatchedWorkers {
  readonly app: string;
  /** Celery node names (`celery@<host>`), in the estate's order. */
  readonly workers: readonly string[];
}

const quoted = (value: string): string => JSON.stringify(value);

// Worker names are built from app and component names ([a-z0-9-]), so they need no regex escaping.
const placed = (workers: readonly string[]): string => `worker=~${quoted(workers.join("|"))}`;

/**
 * Flower (https://flower.readthedocs.io/en/latest/prometheus-integration.html) sets `flower_worker_online` to 1 on
 * a worker's online or heartbeat event and to 0 on its offline event (a clean shutdown), labelled with its `worker`
 * (celery@<container>) and the scrape job's `app`. Only the workers the estate places count: one removed from it
 * stays at 0 until Flower restarts. A worker that never came up has no series, so the count online is also held
 * to what the estate places (with no series, or Flower unreachable, that count is 0).
 */
function workerRules(watched: readonly WatchedWorkers[]): AlertRule[] {
  if (watched.length === 0) return [];
  const offline: AlertRule = {
    alert: "AirflowWorkerOffline",
    expr: `flower_worker_online{${placed(watched.flatMap((w) => w.workers))}} == 0`,
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "Celery worker {{ $labels.worker }} of {{ $labels.app }} is offline",
      description: "Flower has seen {{ $labels.worker }} ({{ $labels.app }}) shut down and not come back for 5 minutes.",
    },
  };
  const fewer = watched.map(({ app, workers }): AlertRule => ({
    alert: "AirflowWorkerOffline",
    expr: `(count by (app) (flower_worker_online{app=${quoted(app)},${placed(workers)}} == 1) or label_replace(vector(0), "app", ${quoted(app)}, "", "")) < ${workers.length}`,
    for: "5m",
    labels: { severity: "critical", app },
    annotations: {
      summary: "{{ $labels.app }} has fewer Celery workers online than it places",
      description: `Flower sees {{ $value }} of the ${workers.length} Celery workers of {{ $labels.app }} online, for 5 minutes.`,
    },
  }));
  return [offline, ...fewer];
}

/**
 * Renders the rule file (Prometheus rule-file YAML) for the estate's watched workers (in the estate's order), the
 * same bytes on every call.
 */
export function renderAlertRules(watched: readonly WatchedWorkers[]): string {
  const workers = workerRules(watched);
  return stringify({ groups: workers.length === 0 ? groups : [...groups, { name: "hybridlab-workers", rules: workers }] }, GO_YAML);
}
