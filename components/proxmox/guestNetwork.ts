import { requireMatch, requireNonEmpty } from "../validate";
import { guestMac } from "./mac";

/** One guest NIC on a Proxmox bridge. */
export interface GuestNic {
  /** Bridge name (vmbr0). */
  readonly bridge: string;
  /** Static address with prefix (192.168.1.100/24), or "dhcp". */
  readonly address: string;
  /** Gateway for a static address; none leaves the guest without a default route on this NIC. */
  readonly gateway?: string;
  /** 802.1Q VLAN tag. */
  readonly vlan?: number;
}

export function validateNics(where: string, nics: readonly GuestNic[]): void {
  requireNonEmpty(where, "networks", nics);
  nics.forEach((nic, i) => requireMatch(where, `networks[${i}].address`, nic.address, /^(dhcp|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})$/, 'an address with prefix or "dhcp"'));
}

/** The cloud-init/LXC ip config for each NIC, in order. */
export function ipConfigs(nics: readonly GuestNic[]): Array<{ ipv4: { address: string; gateway?: string } }> {
  return nics.map((nic) => ({ ipv4: nic.address === "dhcp" ? { address: "dhcp" } : { address: nic.address, ...(nic.gateway ? { gateway: nic.gateway } : {}) } }));
}

/**
 * Each NIC's pinned MAC, seeded from the stack and the guest's name so it survives re-creation, and so two stacks
 * sharing a host and a bridge (dev and prod both with a `devlab`) never get the same MAC.
 */
export function nicMacs(stack: string, guestName: string, nics: readonly GuestNic[]): string[] {
  return nics.map((_, i) => guestMac(`${stack}/${guestName}/net${i}`));
}

/** Proxmox stores tags sorted and lowercased; passing them that way avoids a perpetual diff. */
export function proxmoxTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort();
}

/** The guest's first static address without its prefix (its SSH address), if it has one. */
export function primaryAddress(nics: readonly GuestNic[]): string | undefined {
  return nics.find((nic) => nic.address !== "dhcp")?.address.split("/")[0];
}
