import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../os";
import { SshKeys } from "./SshKeys";
import { DEFAULT_PRIVATE_CIDR, hostAddress, resolvedPlacement, roleLabels, sshTarget, validateCloudNodeArgs, type CloudNodeArgs, type CloudNodeOutputs } from "./cloudNode";

export type HetznerServerArgs = CloudNodeArgs;

/** Hetzner's system image names. */
export const hcloudImages: Readonly<Record<OsImage, string>> = {
  "ubuntu-22.04": "ubuntu-22.04",
  "ubuntu-24.04": "ubuntu-24.04",
  "debian-12": "debian-12",
};

/** A network subnet must sit in the network zone of the servers attached to it. */
const networkZones: Readonly<Record<string, string>> = {
  fsn1: "eu-central",
  nbg1: "eu-central",
  hel1: "eu-central",
  ash: "us-east",
  hil: "us-west",
  sin: "ap-southeast",
};

/**
 * What an adopted server keeps as it is: set at creation (image, location, user data, keys, public addresses), or
 * attached here by the firewall and network resources instead of the server's own lists (the existing server's
 * lists name other firewalls and networks, and an import must match what it reads back).
 */
export const adoptedServerUnmanaged = ["image", "location", "userData", "sshKeys", "publicNets", "networks", "firewallIds", "labels"];

/** A Hetzner Cloud server with its own SSH keys, private network and firewall. */
export class HetznerServer extends pulumi.ComponentResource implements CloudNodeOutputs {
  public readonly machineId: pulumi.Output<string>;
  public readonly publicIpv4: pulumi.Output<string>;
  public readonly publicIpv6: pulumi.Output<string>;
  public readonly privateAddress: pulumi.Output<string>;
  public readonly tailnetHost: pulumi.Output<string | undefined>;
  public readonly sshTarget: pulumi.Output<string>;

  constructor(name: string, args: HetznerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:cloud:HetznerServer", name, {}, opts);
    validateCloudNodeArgs("HetznerServer", name, "hetzner", args);
    const { size, region, image } = resolvedPlacement("hetzner", args);
    const { privateNetworkCidr = DEFAULT_PRIVATE_CIDR, protect = false, firewallRules = [] } = args;
    const labels = roleLabels(args);

    // Physical names are left to Pulumi's auto-naming (a random suffix): Hetzner wants them unique per project,
    // and dev and prod may share one.
    const keyIds = args.sshKeyIds ?? new SshKeys(`${name}-ssh`, { provider: "hetzner", publicKeys: args.sshPublicKeys, labels }, { parent: this }).ids;
    const network = new hcloud.Network(`${name}-network`, { ipRange: privateNetworkCidr, labels, deleteProtection: protect }, { parent: this });
    const subnet = new hcloud.NetworkSubnet(
      `${name}-subnet`,
      { networkId: network.id.apply(Number), type: "cloud", networkZone: networkZones[region], ipRange: privateNetworkCidr },
      { parent: this },
    );
    const firewall = new hcloud.Firewall(
      `${name}-firewall`,
      {
        labels,
        // An adopted server's own firewall list is unmanaged, so the firewall attaches itself to the server.
        applyTos: args.importId === undefined ? undefined : [{ server: Number(args.importId) }],
        // Only inbound rules: with none for a port, Hetzner drops it; outbound stays open (no "out" rules).
        rules: firewallRules.map((rule) => ({ direction: "in", protocol: rule.protocol, port: String(rule.port), sourceIps: [...rule.sources], description: rule.description })),
      },
      { parent: this },
    );

    // Hetzner reserves the network's first host address for its gateway.
    const privateIp = hostAddress(privateNetworkCidr, 2);
    const server = new hcloud.Server(
      name,
      {
        serverType: size,
        image: hcloudImages[image],
        location: region,
        sshKeys: [...keyIds],
        firewallIds: args.importId === undefined ? [firewall.id.apply(Number)] : undefined,
        networks: args.importId === undefined ? [{ networkId: network.id.apply(Number), ip: privateIp }] : undefined,
        publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
        userData: args.userData,
        labels,
        deleteProtection: protect,
        rebuildProtection: protect,
      },
      {
        parent: this,
        protect,
        // Attaching to a network whose subnet does not exist yet fails; the subnet is not an input, so wait for it.
        dependsOn: [subnet],
        // No ignoreChanges on userData or sshKeys: both hold only what never changes for a running machine (the
        // deploy key, the node's generation and tailnet key), so a change means a rebuild, which must take effect.
        // An adopted server keeps what it was built with (see adoptedServerUnmanaged).
        ignoreChanges: args.importId === undefined ? [] : adoptedServerUnmanaged,
        import: args.importId,
      },
    );
    if (args.importId !== undefined) {
      new hcloud.ServerNetwork(
        `${name}-private`,
        { serverId: Number(args.importId), networkId: network.id.apply(Number), ip: privateIp },
        { parent: this, dependsOn: [subnet] },
      );
    }

    this.machineId = server.id;
    this.publicIpv4 = server.ipv4Address;
    this.publicIpv6 = server.ipv6Address;
    this.privateAddress = pulumi.output(privateIp);
    this.tailnetHost = pulumi.output(args.tailnetHost);
    this.sshTarget = sshTarget(args, this.publicIpv4);
    this.registerOutputs({
      machineId: this.machineId,
      publicIpv4: this.publicIpv4,
      publicIpv6: this.publicIpv6,
      privateAddress: this.privateAddress,
      tailnetHost: this.tailnetHost,
      sshTarget: this.sshTarget,
    });
  }
}
