/**
 * Estates of any size for the scaling benchmark: one hub (reverse proxy and monitoring) and `nodes - 1` others that
 * cycle through Proxmox VMs and LXCs (40 guests per site, so large estates span several sites) and Hetzner,
 * DigitalOcean and Azure nodes, each running one app; the apps cycle through every kind but the hub's, MLflow
 * storing its artifacts in the MinIO app just before it, some apps public. Valid under the schema (a test checks).
 */
import { stringify } from "yaml";

const GUESTS_PER_SITE = 40;
const NODE_KINDS = ["proxmox-vm", "proxmox-lxc", "hetzner", "digitalocean", "azure"] as const;
const APP_KINDS = ["moodle", "minio", "mlflow", "spark", "airflow"] as const;
const OPERATOR_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqfmKXLpfzaDL3oW9PpLO7xvfeCauJOmdwKnp3hfdA5 ops@example.com";
/** The key automation logs in with (access.deployKey). */
const DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIOBCVsqHkuch7aueOqVXCv0WuC3CXWB2TMO2Cdczhwu deploy@example.com";

function site(index: number): Record<string, unknown> {
  return {
    endpoint: `https://10.${index}.0.2:8006/`,
    node: `pve${index}`,
    ssh: { username: "root" },
    rootAuth: true,
    datastores: { local: { content: ["iso", "vztmpl", "snippets", "backup"] }, "local-lvm": { content: ["images", "rootdir"] } },
    bridges: { vmbr0: { cidr: `10.${index}.0.0/16`, gateway: `10.${index}.0.1` } },
    capacity: { cores: 4 * GUESTS_PER_SITE, memoryMiB: 4096 * GUESTS_PER_SITE, diskGiB: 40 * GUESTS_PER_SITE },
  };
}

function app(kind: (typeof APP_KINDS)[number], node: string, index: number): Record<string, unknown> {
  switch (kind) {
    case "moodle":
      return { kind, node, hostname: `learn-${index}`, adminEmail: "ops@example.com" };
    case "minio":
      return { kind, node, buckets: ["backups", "mlflow"] };
    case "mlflow":
      return { kind, node, artifactStore: `app-${index - 1}` };
    case "spark":
      return { kind, node };
    case "airflow":
      return { kind, node, hostname: `airflow-${index}` };
  }
}

/** The `hybridlab:` config of an estate with `nodes` nodes (at least 2), keys without the namespace. */
export function generatedEstate(nodes: number, environment: "dev" | "prod" = "prod"): Record<string, unknown> {
  if (!Number.isInteger(nodes) || nodes < 2) throw new Error(`generatedEstate: nodes must be an integer >= 2, got ${nodes}`);
  const proxmox: Record<string, unknown> = {};
  const estateNodes: Record<string, unknown> = { hub: { kind: "hetzner", role: "hub", size: "small" } };
  const apps: Record<string, unknown> = {
    proxy: { kind: "reverse-proxy", node: "hub", acmeEmail: "ops@example.com" },
    monitoring: { kind: "monitoring", node: "hub", hostname: "grafana" },
  };
  let guests = 0;
  for (let i = 1; i < nodes; i++) {
    const name = `node-${String(i).padStart(3, "0")}`;
    const kind = NODE_KINDS[(i - 1) % NODE_KINDS.length];
    if (kind === "proxmox-vm" || kind === "proxmox-lxc") {
      const siteIndex = Math.floor(guests / GUESTS_PER_SITE);
      proxmox[`site-${siteIndex}`] ??= site(siteIndex);
      const slot = guests % GUESTS_PER_SITE;
      estateNodes[name] = {
        kind,
        role: "lab",
        site: `site-${siteIndex}`,
        vmid: 100 + guests,
        cores: 2,
        memoryMiB: 4096,
        diskGiB: 30,
        networks: [{ bridge: "vmbr0", address: `10.${siteIndex}.1.${10 + slot}/16` }],
      };
      guests++;
    } else {
      // Medium: Spark and Airflow, which land on DigitalOcean and Azure, need more than a small size's 4 GiB.
      estateNodes[name] = { kind, role: "spoke", size: "medium" };
    }
    apps[`app-${i}`] = app(APP_KINDS[(i - 1) % APP_KINDS.length], name, i);
  }
  return {
    environment,
    budget: { monthly: 100_000, currency: "EUR" },
    operators: [{ name: "ops", sshPublicKey: OPERATOR_KEY }],
    access: { deployKey: DEPLOY_KEY },
    dns: { zone: "example.com" },
    tailnet: { name: "example.com", magicDnsSuffix: "tail0000.ts.net" },
    proxmox,
    nodes: estateNodes,
    apps,
  };
}

/** The same estate as a stack file (`Pulumi.<stack>.yaml`). */
export function generatedStackFile(nodes: number, environment: "dev" | "prod" = "prod"): string {
  const estate = generatedEstate(nodes, environment);
  return stringify({ config: Object.fromEntries(Object.entries(estate).map(([key, value]) => [`hybridlab:${key}`, value])) });
}
