/**
 * Capacity: what the guests on a Proxmox node ask for (cores, memory, disk) fits the node's capacity times the
 * overcommit the user accepts. The same arithmetic as the estate rule `siteCapacity`, but read from the resources.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { guestName, type ProxmoxGuestProps } from "./machines";
import { isProxmoxGuest, readGuest, withTemplate, type Guest } from "./proxmoxGuests";
import { isRecord } from "./shared";

export interface NodeCapacity {
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** Ratios; each defaults as in the estate schema: cpu 4, memory 1, disk 1. */
  readonly overcommit?: { readonly cpu?: number; readonly memory?: number; readonly disk?: number };
}

export interface Demand {
  cores: number;
  memoryMiB: number;
  diskGiB: number;
}

/** What a guest asks of its node: cores x sockets, memory and every disk; a template only stores its disks. */
function demandOf(guest: Guest): Demand {
  const diskGiB = [...guest.disks.values()].reduce((sum, d) => sum + d, 0);
  if (guest.template) return { cores: 0, memoryMiB: 0, diskGiB };
  return { cores: (guest.cores ?? 1) * (guest.sockets ?? 1), memoryMiB: guest.memoryMiB ?? 0, diskGiB };
}

/** One guest's demand: cores x sockets, dedicated memory, and every disk and mount point. */
export function guestDemand(type: string, props: Record<string, unknown>): Demand {
  return demandOf(readGuest(type, props));
}

/** Demand per Proxmox node name, with the guests placed on it; clones count what they inherit from templates. */
export function nodeDemand(resources: readonly PolicyResource[]): Map<string, { demand: Demand; guests: string[] }> {
  const placed = resources.filter((r) => isProxmoxGuest(r.type)).map((r) => ({ r, guest: readGuest(r.type, r.props) }));
  const all = placed.map((p) => p.guest);
  const byNode = new Map<string, { demand: Demand; guests: string[] }>();
  for (const { r, guest } of placed) {
    const entry = byNode.get(guest.node) ?? { demand: { cores: 0, memoryMiB: 0, diskGiB: 0 }, guests: [] };
    const d = demandOf(withTemplate(guest, all));
    entry.demand.cores += d.cores;
    entry.demand.memoryMiB += d.memoryMiB;
    entry.demand.diskGiB += d.diskGiB;
    entry.guests.push(guestName(r.props as ProxmoxGuestProps, r.name));
    byNode.set(guest.node, entry);
  }
  return byNode;
}

const proxmoxNodeCapacity: StackValidationPolicy = {
  name: "proxmox-node-capacity",
  description: "The cores, memory and disk of the guests on each Proxmox node fit its capacity x overcommit (hybridlab:proxmox.<site>.capacity/overcommit).",
  enforcementLevel: "mandatory",
  url: "https://pve.proxmox.com/pve-docs/chapter-qm.html#qm_cpu",
  configSchema: {
    properties: {
      nodes: {
        type: "object",
        default: {},
        description: "Per PVE node name: {cores, memoryMiB, diskGiB, overcommit: {cpu, memory, disk}}; nodes not listed are not checked.",
      },
    },
  },
  validateStack: (args, report) => {
    const { nodes } = args.getConfig<{ nodes: Record<string, NodeCapacity> }>();
    if (!isRecord(nodes) || Object.keys(nodes).length === 0) return args.notApplicable("no node capacity configured");
    for (const [node, { demand, guests }] of [...nodeDemand(args.resources)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const capacity = nodes[node];
      if (!isRecord(capacity)) continue;
      const ratio = { cpu: 4, memory: 1, disk: 1, ...capacity.overcommit };
      const limits = [
        ["cores", demand.cores, capacity.cores, ratio.cpu],
        ["memoryMiB", demand.memoryMiB, capacity.memoryMiB, ratio.memory],
        ["diskGiB", demand.diskGiB, capacity.diskGiB, ratio.disk],
      ] as const;
      for (const [what, asked, has, factor] of limits) {
        const allowed = Math.floor(has * factor);
        if (asked > allowed) {
          report(`node ${node}: guests (${guests.join(", ")}) ask for ${asked} ${what} but the node allows ${allowed} (${has} x overcommit ${factor})`);
        }
      }
    }
  },
};

export const capacityPolicies: StackValidationPolicy[] = [proxmoxNodeCapacity];
