/** Azure resource ids: what an adopted VM's id says about it (pure: the estate's checks use it too). */

/** `/subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>` */
export const AZURE_VM_ID = /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Compute\/virtualMachines\/([A-Za-z0-9][-\w.]{0,63})$/;

export interface AzureVmId {
  /** The VM's resource group's own id, which its import needs. */
  readonly groupId: string;
  readonly resourceGroupName: string;
  readonly vmName: string;
}

/** The parts of a VM's resource id; undefined when it is not one. */
export function parseAzureVmId(id: string): AzureVmId | undefined {
  const match = AZURE_VM_ID.exec(id);
  if (!match) return undefined;
  const [, subscription, resourceGroupName, vmName] = match;
  return { groupId: `/subscriptions/${subscription}/resourceGroups/${resourceGroupName}`, resourceGroupName, vmName };
}

/** `{group, name}` of any `/subscriptions/.../resourceGroups/<group>/providers/<ns>/<type>/<name>` id. */
export function groupAndName(id: string): { resourceGroupName: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  if (!match) throw new Error(`not an Azure resource id: "${id}"`);
  return { resourceGroupName: match[1], name: match[2] };
}
