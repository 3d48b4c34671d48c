/**
 * Wires components for a validated estate. Each domain contributes its part; outputs are what an operator needs
 * after `pulumi up` (addresses, SSH targets, URLs).
 */
import { publicApps } from "../derive/hostnames";
import type { Estate } from "../estate/schema";
import { composeProxmox, type GuestOutputs } from "./proxmox";

export interface EstateOutputs {
  /** dev or prod, as the stack states it. */
  environment: string;
  /** Public URL of every app that has a hostname, by app name. */
  publicUrls: Record<string, string>;
  /** Each Proxmox guest's VMID, address and SSH target, by node name. */
  proxmoxGuests: Record<string, GuestOutputs>;
}

export function composeEstate(estate: Estate, stack: string): EstateOutputs {
  return {
    environment: estate.environment,
    publicUrls: Object.fromEntries(publicApps(estate).map((p) => [p.app, p.url])),
    proxmoxGuests: composeProxmox(estate, stack),
  };
}
