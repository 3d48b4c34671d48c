import { createHash } from "node:crypto";

/**
 * A stable MAC address for a guest NIC, under Proxmox's own OUI (BC:24:11). Pinning it stops the phantom diff the
 * bpg provider reports when Proxmox assigns a random MAC, and keeps DHCP reservations valid across re-creation.
 */
export function guestMac(seed: string): string {
  const bytes = createHash("sha256").update(seed).digest().subarray(0, 3);
  return ["BC", "24", "11", ...[...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, "0"))].join(":");
}
