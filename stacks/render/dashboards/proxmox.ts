/**
 * The Proxmox dashboard: prometheus-pve-exporter's view of each site's host, guests and storage. Metric names and
 * `id` values ("node/<name>", "qemu/<vmid>", "lxc/<vmid>", "storage/<node>/<name>") per the exporter's README.
 */
import { renderDashboard } from "./panels";

const SITE = 'site=~"$site"';
const GUESTS = `${SITE},id=~"(qemu|lxc)/.+"`;
const HOSTS = `${SITE},id=~"node/.+"`;
const STORAGE = `${SITE},id=~"storage/.+"`;
// Guest names come from pve_guest_info, joined on id.
const NAMED = "* on (id, instance) group_left (name) pve_guest_info";

/** Renders dashboards/proxmox.json (uid "hybridlab-proxmox"). */
export function renderProxmoxDashboard(): string {
  return renderDashboard({
    uid: "hybridlab-proxmox",
    title: "hybridlab / Proxmox",
    description: "Proxmox VE exporter metrics of each site's host, guests and storage.",
    variables: [{ name: "site", label: "Site", query: "label_values(pve_up, site)", allValue: ".+" }],
    panels: [
      {
        title: "Host CPU and memory",
        description: "Share of the host's CPU busy and of its memory used.",
        unit: "percent",
        range: [0, 100],
        queries: [
          { expr: `100 * pve_cpu_usage_ratio{${HOSTS}}`, legend: "{{site}} {{id}} CPU" },
          { expr: `100 * pve_memory_usage_bytes{${HOSTS}} / pve_memory_size_bytes{${HOSTS}}`, legend: "{{site}} {{id}} memory" },
        ],
      },
      {
        title: "Storage used",
        description: "Share of each Proxmox storage in use.",
        unit: "percent",
        range: [0, 100],
        queries: [{ expr: `100 * pve_disk_usage_bytes{${STORAGE}} / pve_disk_size_bytes{${STORAGE}}`, legend: "{{site}} {{id}}" }],
      },
      {
        title: "Guests running",
        description: "1 while a VM or container runs, 0 while it is stopped.",
        unit: "short",
        range: [0, 1],
        queries: [{ expr: `pve_up{${GUESTS}} ${NAMED}`, legend: "{{site}} {{name}} ({{id}})" }],
      },
      {
        title: "Guest CPU",
        description: "Each guest's CPU use, in cores.",
        unit: "short",
        queries: [{ expr: `pve_cpu_usage_ratio{${GUESTS}} * pve_cpu_usage_limit{${GUESTS}} ${NAMED}`, legend: "{{site}} {{name}} ({{id}})" }],
      },
    ],
  });
}
