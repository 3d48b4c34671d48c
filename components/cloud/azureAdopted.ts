/** How an adopted Azure VM's addresses are found: it keeps its own network, so they are read, not created. */
// Submodules only: the package root loads every Azure namespace.
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { groupAndName } from "./azureIds";

/**
 * The addresses of an adopted VM, read from Azure: its first NIC's private address and its public address. The VM
 * keeps the network it has, so they are looked up rather than created.
 */
export function adoptedAddresses(vmName: string, nicIds: pulumi.Output<string[]>): pulumi.Output<{ publicIpv4: string; privateAddress: string }> {
  return nicIds.apply((ids) => {
    if (ids.length === 0) throw new Error(`AzureVm ${vmName}: the adopted VM has no network interface`);
    const nic = groupAndName(ids[0]);
    return network.getNetworkInterfaceOutput({ resourceGroupName: nic.resourceGroupName, networkInterfaceName: nic.name }).apply((found) => {
      const config = found.ipConfigurations?.find((c) => c.publicIPAddress?.id !== undefined);
      const ipId = config?.publicIPAddress?.id;
      if (ipId === undefined || config?.privateIPAddress === undefined) throw new Error(`AzureVm ${vmName}: the adopted VM's network interface has no public IP address`);
      const privateAddress = config.privateIPAddress;
      const ip = groupAndName(ipId);
      return network.getPublicIPAddressOutput({ resourceGroupName: ip.resourceGroupName, publicIpAddressName: ip.name }).apply((address) => {
        if (address.ipAddress === undefined) throw new Error(`AzureVm ${vmName}: the adopted VM's public IP ${ip.name} has no address`);
        return { publicIpv4: address.ipAddress, privateAddress };
      });
    });
  });
}
