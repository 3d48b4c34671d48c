/**
 * What each node's first boot installs, derived from the estate: the same for a Proxmox guest and a cloud VPS.
 * First boot holds only what never changes for a running machine (the OS, the deploy account, Docker for the host
 * agents every node runs, the tailnet join), so changing operators or placing apps never touches it; operators are
 * applied by the operator sync instead.
 */
import type { BootstrapOperator, BootstrapOptions } from "../bootstrap/cloudInit";
import { DEPLOY_USER } from "../bootstrap/deployUser";
import { cloudCatalog } from "../../components/cloud/cloudSizes";
import type { Estate } from "../estate/schema";
import { DOCKER_METRICS_PORT } from "./hostAgents";

/** The account first boot creates: automation's, with the estate's deploy key. */
export function deployAccount(estate: Pick<Estate, "access">): BootstrapOperator {
  return { name: DEPLOY_USER, sshPublicKey: estate.access.deployKey };
}

/** Bootstrap options for a node, short of its tailnet key (a secret added where the key exists). */
export function nodeBootstrap(estate: Pick<Estate, "nodes" | "access">, nodeName: string): Omit<BootstrapOptions, "tailscale"> {
  const node = estate.nodes[nodeName];
  return {
    hostname: nodeName,
    os: node.kind === "proxmox-lxc" ? node.template : node.image,
    operators: [deployAccount(estate)],
    // Proxmox VMs run with the QEMU agent on; without the agent in the guest, Proxmox waits and times out.
    qemuGuestAgent: node.kind === "proxmox-vm",
    // Every node runs the host agents (node metrics) in Docker, whether or not apps are placed on it.
    docker: true,
    ...(node.dockerMetrics ? { dockerMetricsPort: DOCKER_METRICS_PORT } : {}),
  };
}

/**
 * The daemon's metrics are first-boot configuration (daemon.json), so turning them on rebuilds the machine, an LXC
 * included (its bootstrap script runs once). Absent when off, so the nodes that never set it keep their generation.
 */
function dockerMetricsKeeper(on: boolean): Record<string, string> {
  return on ? { dockerMetrics: "on" } : {};
}

/**
 * The facts whose change rebuilds a node's machine (the provider replaces it): where and from what it is built.
 * They key the node's generation, so a fresh tailnet key and a fresh bootstrap come with every rebuild.
 * A Proxmox guest's image is not one: its disk is imported once and later images are ignored.
 */
export function machineIdentity(estate: Pick<Estate, "nodes">, nodeName: string): Record<string, string> {
  const node = estate.nodes[nodeName];
  switch (node.kind) {
    case "proxmox-vm":
    case "proxmox-lxc":
      return { kind: node.kind, site: node.site, vmid: String(node.vmid), ...dockerMetricsKeeper(node.dockerMetrics) };
    default:
      return { kind: node.kind, image: node.image, region: node.region ?? cloudCatalog[node.kind].defaultRegion, ...dockerMetricsKeeper(node.dockerMetrics) };
  }
}
