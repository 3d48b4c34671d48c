// Submodules only: the package root loads every Azure namespace (~330 ms against ~8 ms).
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../os";
import { adoptedAddresses } from "./azureAdopted";
import { parseAzureVmId, type AzureVmId } from "./azureIds";
import { DEFAULT_PRIVATE_CIDR, hostAddress, resolvedPlacement, roleLabels, sshTarget, validateCloudNodeArgs, type CloudNodeArgs, type CloudNodeOutputs } from "./cloudNode";

export type AzureVmArgs = CloudNodeArgs;

/** Marketplace images (Hyper-V Gen2, which every size in the catalog supports), always the latest build. */
export const azureImages: Readonly<Record<OsImage, { publisher: string; offer: string; sku: string; version: string }>> = {
  "ubuntu-22.04": { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" },
  "ubuntu-24.04": { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
  "debian-12": { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" },
};

/**
 * What an adopted VM keeps as it is: its OS profile (admin user, keys: Azure refuses changes after creation), its
 * disks, its NICs, its user data and its tags. Its size and location stay managed.
 */
export const adoptedAzureVmUnmanaged = ["osProfile", "storageProfile", "networkProfile", "userData", "tags"];

/**
 * An Azure Linux VM in its own resource group, with a virtual network and subnet, a network security group on its
 * NIC, a static public IPv4 and key-only SSH.
 */
export class AzureVm extends pulumi.ComponentResource implements CloudNodeOutputs {
  public readonly machineId: pulumi.Output<string>;
  public readonly publicIpv4: pulumi.Output<string>;
  public readonly privateAddress: pulumi.Output<string>;
  public readonly tailnetHost: pulumi.Output<string | undefined>;
  public readonly sshTarget: pulumi.Output<string>;

  constructor(name: string, args: AzureVmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:cloud:AzureVm", name, {}, opts);
    validateCloudNodeArgs("AzureVm", name, "azure", args);
    const { size, region: location, image } = resolvedPlacement("azure", args);
    const { privateNetworkCidr = DEFAULT_PRIVATE_CIDR, protect = false, firewallRules = [] } = args;
    const tags = roleLabels(args);
    this.tailnetHost = pulumi.output(args.tailnetHost);
    if (args.importId !== undefined) {
      const adopted = parseAzureVmId(args.importId);
      if (!adopted) throw new Error(`AzureVm ${name}: importId must be a VM resource id /subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>, got "${args.importId}"`);
      const addresses = this.adopt(name, args, adopted, { size, location, tags, protect });
      this.publicIpv4 = addresses.publicIpv4;
      this.privateAddress = addresses.privateAddress;
      // An adopted VM's id is the resource id it was imported by.
      this.machineId = pulumi.output(args.importId);
      this.sshTarget = sshTarget(args, this.publicIpv4);
      this.registerOutputs({ machineId: this.machineId, publicIpv4: this.publicIpv4, privateAddress: this.privateAddress, tailnetHost: this.tailnetHost, sshTarget: this.sshTarget });
      return;
    }

    // Physical names are left to Pulumi's auto-naming (a random suffix), so stacks can share a subscription.
    const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, { parent: this, protect });
    const resourceGroupName = group.name;
    const keys = args.sshPublicKeys.map(
      (publicKey, i) => new compute.SshPublicKey(`${name}-ssh-${i}`, { resourceGroupName, location, publicKey, tags }, { parent: this }),
    );
    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      // No inline subnets: the subnet is its own resource, and mixing both makes each update fight the other.
      { resourceGroupName, location, addressSpace: { addressPrefixes: [privateNetworkCidr] }, tags },
      { parent: this },
    );
    const subnet = new network.Subnet(
      `${name}-subnet`,
      { resourceGroupName, virtualNetworkName: vnet.name, addressPrefix: privateNetworkCidr },
      { parent: this },
    );
    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg`,
      {
        resourceGroupName,
        location,
        // Azure's default rules deny all other inbound internet traffic (DenyAllInBound, priority 65500).
        // The VM has no public IPv6, so only IPv4 sources apply; a rule left with none (SSH from IPv6 admin
        // networks only) opens nothing here.
        securityRules: firewallRules
          .map((rule) => ({ ...rule, sources: rule.sources.filter((source) => !source.includes(":")) }))
          .filter((rule) => rule.sources.length > 0)
          .map((rule, i) => ({
            name: `allow-${rule.protocol}-${rule.port}`,
            description: rule.description,
            priority: 100 + 10 * i,
            direction: "Inbound",
            access: "Allow",
            protocol: rule.protocol === "tcp" ? "Tcp" : "Udp",
            sourcePortRange: "*",
            sourceAddressPrefixes: rule.sources,
            destinationAddressPrefix: "*",
            destinationPortRange: String(rule.port),
          })),
        tags,
      },
      { parent: this },
    );
    const publicIp = new network.PublicIPAddress(
      `${name}-ip`,
      { resourceGroupName, location, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4", tags },
      { parent: this, protect },
    );
    // Azure reserves the first four addresses of every subnet.
    const privateIp = hostAddress(privateNetworkCidr, 4);
    const nic = new network.NetworkInterface(
      `${name}-nic`,
      {
        resourceGroupName,
        location,
        networkSecurityGroup: { id: nsg.id },
        ipConfigurations: [
          { name: "primary", primary: true, subnet: { id: subnet.id }, privateIPAllocationMethod: "Static", privateIPAddress: privateIp, publicIPAddress: { id: publicIp.id } },
        ],
        tags,
      },
      { parent: this },
    );
    const vm = new compute.VirtualMachine(
      name,
      {
        resourceGroupName,
        location,
        vmName: name,
        hardwareProfile: { vmSize: size },
        storageProfile: {
          imageReference: azureImages[image],
          osDisk: { createOption: "FromImage", caching: compute.CachingTypes.ReadWrite, managedDisk: { storageAccountType: "StandardSSD_LRS" }, deleteOption: "Delete" },
        },
        osProfile: {
          computerName: name,
          adminUsername: args.sshUser,
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: keys.map((key, i) => ({ path: `/home/${args.sshUser}/.ssh/authorized_keys`, keyData: key.publicKey.apply((k) => k ?? args.sshPublicKeys[i]) })) },
          },
        },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        // Top-level user data, not osProfile.customData (which Azure refuses to change): cloud-init's Azure datasource
        // reads it from the instance metadata service when no custom data is given.
        userData: pulumi.output(args.userData).apply((text) => Buffer.from(text, "utf8").toString("base64")),
        tags,
      },
      // Azure would update user data in place, but cloud-init reads it only at first boot: as on the other clouds,
      // a change (a new generation and tailnet key) rebuilds the VM so it takes effect.
      { parent: this, protect, replaceOnChanges: ["userData"] },
    );

    this.publicIpv4 = publicIp.ipAddress.apply((ip) => {
      if (ip === undefined) throw new Error(`AzureVm ${name}: the static public IP ${name}-ip has no address`);
      return ip;
    });
    this.machineId = vm.id;
    this.privateAddress = pulumi.output(privateIp);
    this.sshTarget = sshTarget(args, this.publicIpv4);
    this.registerOutputs({ machineId: this.machineId, publicIpv4: this.publicIpv4, privateAddress: this.privateAddress, tailnetHost: this.tailnetHost, sshTarget: this.sshTarget });
  }

  /**
   * Adopts an existing VM and its resource group (its id names the group). The VM keeps the network, disks, admin
   * user and keys it has; its addresses are read from Azure.
   */
  private adopt(name: string, args: AzureVmArgs, id: AzureVmId, placed: { size: string; location: string; tags: Record<string, string>; protect: boolean }): pulumi.Output<{ publicIpv4: string; privateAddress: string }> {
    const { size, location, tags, protect } = placed;
    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: id.resourceGroupName, location, tags },
      { parent: this, protect, import: id.groupId, ignoreChanges: ["tags"] },
    );
    const vm = new compute.VirtualMachine(
      name,
      {
        resourceGroupName: group.name,
        location,
        vmName: id.vmName,
        hardwareProfile: { vmSize: size },
        // Stated for the policies (key-only SSH), never applied: Azure cannot change osProfile after creation.
        osProfile: {
          adminUsername: args.sshUser,
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: args.sshPublicKeys.map((keyData) => ({ path: `/home/${args.sshUser}/.ssh/authorized_keys`, keyData })) },
          },
        },
        tags,
      },
      { parent: this, protect, import: args.importId, ignoreChanges: adoptedAzureVmUnmanaged },
    );
    const nicIds = vm.networkProfile.apply((profile) => (profile?.networkInterfaces ?? []).flatMap((nic) => (nic.id === undefined ? [] : [nic.id])));
    return adoptedAddresses(name, nicIds);
  }
}
