/**
 * How the estate names objects that already exist, so the first `pulumi up` imports them (Pulumi's `import`
 * resource option) instead of creating new ones. Shape only: one id form per provider, each with an example;
 * how an id relates to the rest of the estate (its site, its VMID, its record) is checked in rules/adoption.ts.
 */
import { z } from "zod";
import { AZURE_VM_ID } from "../../components/cloud/azureIds";

/** Proxmox's import id for a guest: `<PVE node>/<VMID>`, as `pulumi import` takes it for VMs and LXCs. */
export const PROXMOX_IMPORT_ID = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\/([1-9]\d{2,8})$/;

/** Cloudflare zone and record ids: 32 lowercase hex digits (the dashboard's "Zone ID", the API's record `id`). */
const cloudflareId = z.string().regex(/^[0-9a-f]{32}$/, "must be a Cloudflare id: 32 hex digits such as 023e105f4ecef8ad9ca31a8372d0c353");

/** `import: pve/200` on a Proxmox VM: the PVE node and the VMID of the guest to adopt. */
export const proxmoxVmImport = z
  .string()
  .regex(PROXMOX_IMPORT_ID, "must be <PVE node>/<VMID> such as pve/200 (the node name from `pvesh get /nodes`, the guest's VMID)");

/**
 * An adopted LXC states what `pct config <vmid>` shows for `unprivileged`: changing it replaces the container
 * (its data goes with it), so the estate must agree with the container before it is imported.
 */
export const proxmoxLxcImport = z.strictObject({
  /** `<PVE node>/<VMID>`, e.g. pve/150. */
  id: proxmoxVmImport,
  /** true when `pct config <vmid>` shows `unprivileged: 1`, false when it does not. */
  unprivileged: z.boolean(),
});

/** A Hetzner Cloud server id (the number in the console's URL, or `hcloud server list`). */
export const hetznerImport = z.string().regex(/^[1-9]\d{0,11}$/, "must be a Hetzner server id: digits only, such as 48213977 (hcloud server list)");

/** A droplet id (`doctl compute droplet list`). */
export const digitalOceanImport = z.string().regex(/^[1-9]\d{0,11}$/, "must be a DigitalOcean droplet id: digits only, such as 100823 (doctl compute droplet list)");

/** An Azure VM's resource id (`az vm show -g <group> -n <name> --query id`). */
export const azureImport = z
  .string()
  .regex(AZURE_VM_ID, "must be an Azure VM resource id: /subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name> (az vm show --query id)");

/** Existing Cloudflare records to adopt, by FQDN and type. */
export const dnsImport = z.strictObject({
  /** The zone's id (Cloudflare dashboard, Overview): record imports are addressed `<zone id>/<record id>`. */
  zoneId: cloudflareId,
  /** Record ids by FQDN, then by type: `{ learn.example.com: { A: <id>, AAAA: <id> } }`. */
  records: z.record(z.string(), z.strictObject({ A: cloudflareId.optional(), AAAA: cloudflareId.optional() })),
});
