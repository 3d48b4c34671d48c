/**
 * Every Proxmox guest resource type read into one shape: VmLegacy (cloned with `clone` or not), the experimental
 * Vm and Vm2Legacy, the clone-only cloned.Vm/cloned.VmLegacy, and ContainerLegacy. Their fields differ: VMID as
 * `vmId` or `resourceId` (or none: Proxmox assigns one), memory as `dedicated` or `size`, disks as a list, a map
 * by slot, or a root disk plus mount points. A clone inherits what it does not set from its template.
 */
import {
  PROXMOX_CLONED_VM,
  PROXMOX_CLONED_VM_LEGACY,
  PROXMOX_GUESTS,
  PROXMOX_LXC,
  PROXMOX_VM,
  PROXMOX_VM2_LEGACY,
  PROXMOX_VM_EXPERIMENTAL,
} from "./machines";
import { isRecord, sizeToGiB } from "./shared";

export interface Guest {
  readonly type: string;
  readonly node: string;
  /** Undefined when Proxmox assigns the VMID at creation. */
  readonly vmid?: number;
  readonly template: boolean;
  /** The VMID of the template a clone is made from. */
  readonly cloneOf?: number;
  readonly cores?: number;
  readonly sockets?: number;
  readonly memoryMiB?: number;
  /** GiB by disk slot (scsi0, rootfs, mp0, ...). */
  readonly disks: ReadonlyMap<string, number>;
  readonly poolId?: string;
  /** Whether the type has Proxmox's `protection` flag at all (the experimental and clone-only ones do not). */
  readonly hasProtectionField: boolean;
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined);
const rec = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function isProxmoxGuest(type: string): boolean {
  return PROXMOX_GUESTS.includes(type);
}

/** One guest as the rules see it; `props` are the resource's inputs. */
export function readGuest(type: string, props: Record<string, unknown>): Guest {
  const cpu = rec(props.cpu);
  const memory = rec(props.memory);
  const clone = rec(props.clone);
  const base = {
    type,
    node: String(props.nodeName),
    vmid: num(props.vmId) ?? num(props.resourceId),
    template: props.template === true,
    cores: num(cpu.cores),
    sockets: num(cpu.sockets),
    poolId: typeof props.poolId === "string" ? props.poolId : undefined,
    hasProtectionField: type === PROXMOX_VM || type === PROXMOX_LXC,
  };
  switch (type) {
    case PROXMOX_LXC:
      return {
        ...base,
        memoryMiB: num(memory.dedicated),
        disks: new Map([["rootfs", num(rec(props.disk).size) ?? 0], ...list(props.mountPoints).map((m, i): [string, number] => [`mp${i}`, sizeToGiB(rec(m).size) ?? 0])]),
      };
    case PROXMOX_CLONED_VM:
    case PROXMOX_CLONED_VM_LEGACY:
      return {
        ...base,
        cloneOf: num(clone.sourceVmId),
        memoryMiB: num(memory.size),
        disks: new Map(Object.entries(rec(props.disk)).map(([slot, d]): [string, number] => [slot, num(rec(d).sizeGb) ?? 0])),
      };
    case PROXMOX_VM_EXPERIMENTAL:
    case PROXMOX_VM2_LEGACY:
      // No memory or disk inputs yet: what Proxmox gives them is not in the program.
      return { ...base, disks: new Map() };
    default:
      return {
        ...base,
        cloneOf: num(clone.vmId),
        memoryMiB: num(memory.dedicated),
        disks: new Map(list(props.disks).map((d, i): [string, number] => [String(rec(d).interface ?? `disk${i}`), num(rec(d).size) ?? 0])),
      };
  }
}

/** A clone with what it leaves unset taken from its template (same VMID among `guests`), else as it is. */
export function withTemplate(guest: Guest, guests: readonly Guest[]): Guest {
  if (guest.cloneOf === undefined) return guest;
  const template = guests.find((g) => g.vmid === guest.cloneOf && g !== guest);
  if (!template) return guest;
  return {
    ...guest,
    cores: guest.cores ?? template.cores,
    sockets: guest.sockets ?? template.sockets,
    memoryMiB: guest.memoryMiB ?? template.memoryMiB,
    // Disks the clone names replace the template's in the same slot; the rest are copied.
    disks: new Map([...template.disks, ...guest.disks]),
  };
}
