/**
 * The Proxmox privileges this program's API calls need, for a least-privilege role instead of an administrator
 * token. Grouped by what uses them, so removing a feature shows which privileges go with it.
 */
export const proxmoxPrivileges: Readonly<Record<string, readonly string[]>> = {
  // Reading nodes, storages and tasks.
  inventory: ["Sys.Audit", "Datastore.Audit", "Pool.Audit"],
  // Downloading cloud images and LXC templates to a storage (download-url).
  images: ["Datastore.AllocateTemplate", "Sys.Modify"],
  // Creating and configuring VMs and LXC containers, their disks and NICs on bridges.
  guests: [
    "VM.Allocate",
    "VM.Audit",
    "VM.Config.CDROM",
    "VM.Config.CPU",
    "VM.Config.Cloudinit",
    "VM.Config.Disk",
    "VM.Config.HWType",
    "VM.Config.Memory",
    "VM.Config.Network",
    "VM.Config.Options",
    "VM.PowerMgmt",
    "VM.GuestAgent.Audit",
    "Datastore.AllocateSpace",
    "SDN.Use",
  ],
  // Scheduling vzdump backups.
  backups: ["VM.Backup", "Datastore.AllocateSpace", "Sys.Modify"],
};

/** The `pveum` command that creates the role. */
export function proxmoxRoleCommand(role = "HybridLab"): string {
  const privileges = [...new Set(Object.values(proxmoxPrivileges).flat())].sort();
  return `pveum role add ${role} -privs "${privileges.join(" ")}"`;
}
