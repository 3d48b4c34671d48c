/** The hosts dashboard: node-exporter's CPU, memory, disk and network per host. */
import { renderDashboard } from "./panels";

const HOST = 'instance=~"$instance"';
// As in the DiskFilling alert: memory-backed filesystems are not disks.
const FS = `${HOST},fstype!="",fstype!~"tmpfs|ramfs"`;
// Physical and tailnet interfaces; Docker's bridges and veth pairs would double-count container traffic.
const NIC = `${HOST},device!~"lo|docker.*|br-.*|veth.*"`;

/** Renders dashboards/node.json (uid "hybridlab-node"). */
export function renderNodeDashboard(): string {
  return renderDashboard({
    uid: "hybridlab-node",
    title: "hybridlab / Hosts",
    description: "node-exporter metrics of every Docker host in the estate.",
    variables: [{ name: "instance", label: "Host", query: "label_values(node_uname_info, instance)", allValue: ".+" }],
    panels: [
      {
        title: "CPU busy",
        description: "Share of CPU time not idle, averaged over the host's cores.",
        unit: "percent",
        range: [0, 100],
        queries: [{ expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle",${HOST}}[$__rate_interval])))`, legend: "{{instance}}" }],
      },
      {
        title: "Memory used",
        description: "Share of memory not available to new work (MemAvailable, which counts reclaimable cache as free).",
        unit: "percent",
        range: [0, 100],
        queries: [{ expr: `100 * (1 - node_memory_MemAvailable_bytes{${HOST}} / node_memory_MemTotal_bytes{${HOST}})`, legend: "{{instance}}" }],
      },
      {
        title: "Disk used",
        description: "Share of each filesystem in use, as unprivileged processes see it.",
        unit: "percent",
        range: [0, 100],
        queries: [{ expr: `100 * (1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}})`, legend: "{{instance}} {{mountpoint}}" }],
      },
      {
        title: "Network traffic",
        description: "Bytes per second received and sent per interface.",
        unit: "Bps",
        queries: [
          { expr: `rate(node_network_receive_bytes_total{${NIC}}[$__rate_interval])`, legend: "{{instance}} {{device}} in" },
          { expr: `rate(node_network_transmit_bytes_total{${NIC}}[$__rate_interval])`, legend: "{{instance}} {{device}} out" },
        ],
      },
    ],
  });
}
