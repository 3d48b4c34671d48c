/** What each node's first boot installs, derived from the estate: the same for a Proxmox guest and a cloud VPS. */
import type { BootstrapOptions } from "../bootstrap/cloudInit";
import { isProxmoxGuest, type Estate } from "../estate/schema";
import { dockerHosts } from "./proxmox";

/** Bootstrap options for a node, short of its tailnet key (a secret added where the key exists). */
export function nodeBootstrap(estate: Pick<Estate, "nodes" | "apps" | "operators">, nodeName: string): Omit<BootstrapOptions, "tailscale"> {
  const node = estate.nodes[nodeName];
  return {
    hostname: nodeName,
    os: node.kind === "proxmox-lxc" ? node.template : node.image,
    operators: estate.operators,
    // Proxmox VMs run with the QEMU agent on; without the agent in the guest, Proxmox waits and times out.
    qemuGuestAgent: isProxmoxGuest(node) && node.kind === "proxmox-vm",
    docker: dockerHosts(estate).has(nodeName),
  };
}
