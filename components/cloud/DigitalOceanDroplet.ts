import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../os";
import { SshKeys } from "./SshKeys";
import { resolvedPlacement, roleTags, sshTarget, validateCloudNodeArgs, type CloudNodeArgs, type CloudNodeOutputs } from "./cloudNode";

export type DigitalOceanDropletArgs = CloudNodeArgs;

/** DigitalOcean's distribution image slugs. */
export const dropletImages: Readonly<Record<OsImage, string>> = {
  "ubuntu-22.04": "ubuntu-22-04-x64",
  "ubuntu-24.04": "ubuntu-24-04-x64",
  "debian-12": "debian-12-x64",
};

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/**
 * What an adopted droplet keeps as it is: set at creation (image, region, VPC, user data, keys, IPv6, the
 * monitoring agent) or its own (tags). The firewall attaches to it by id as to any droplet.
 */
export const adoptedDropletUnmanaged = ["image", "region", "vpcUuid", "userData", "sshKeys", "ipv6", "monitoring", "tags"];

/** A DigitalOcean droplet with its own SSH keys, VPC and cloud firewall. */
export class DigitalOceanDroplet extends pulumi.ComponentResource implements CloudNodeOutputs {
  public readonly machineId: pulumi.Output<string>;
  public readonly publicIpv4: pulumi.Output<string>;
  public readonly publicIpv6: pulumi.Output<string>;
  public readonly privateAddress: pulumi.Output<string>;
  public readonly tailnetHost: pulumi.Output<string | undefined>;
  public readonly sshTarget: pulumi.Output<string>;

  constructor(name: string, args: DigitalOceanDropletArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:cloud:DigitalOceanDroplet", name, {}, opts);
    validateCloudNodeArgs("DigitalOceanDroplet", name, "digitalocean", args);
    const { size, region, image } = resolvedPlacement("digitalocean", args);
    const { protect = false, firewallRules = [] } = args;

    // Physical names are left to Pulumi's auto-naming (a random suffix): VPC names are unique per account, and dev
    // and prod may share one.
    const keyIds = args.sshKeyIds ?? new SshKeys(`${name}-ssh`, { provider: "digitalocean", publicKeys: args.sshPublicKeys }, { parent: this }).ids;
    // An adopted droplet stays in the VPC it was created in (a droplet cannot move).
    const vpc =
      args.importId === undefined
        ? new digitalocean.Vpc(
            `${name}-vpc`,
            // Without ipRange DigitalOcean picks a /20 that overlaps none of the account's other VPCs, which it requires.
            { region, ipRange: args.privateNetworkCidr, description: `hybridlab node ${name}` },
            { parent: this },
          )
        : undefined;
    const droplet = new digitalocean.Droplet(
      name,
      {
        image: dropletImages[image],
        size,
        region,
        vpcUuid: vpc?.id,
        sshKeys: [...keyIds],
        ipv6: true,
        monitoring: true,
        userData: args.userData,
        tags: roleTags(args),
      },
      {
        parent: this,
        protect,
        // No ignoreChanges on userData or sshKeys: both hold only what never changes for a running machine (the
        // deploy key, the node's generation and tailnet key), so a change means a rebuild, which must take effect.
        // An adopted droplet keeps what it was built with (see adoptedDropletUnmanaged).
        ignoreChanges: args.importId === undefined ? [] : adoptedDropletUnmanaged,
        import: args.importId,
      },
    );
    new digitalocean.Firewall(
      `${name}-firewall`,
      {
        // By id, not by tag: the ownership tags are shared by every droplet of the stack.
        dropletIds: [droplet.id.apply(Number)],
        inboundRules: firewallRules.map((rule) => ({ protocol: rule.protocol, portRange: String(rule.port), sourceAddresses: [...rule.sources] })),
        // A DigitalOcean firewall drops all outbound traffic it does not allow; updates, images and Tailscale need it.
        outboundRules: [
          { protocol: "tcp", portRange: "1-65535", destinationAddresses: ANYWHERE },
          { protocol: "udp", portRange: "1-65535", destinationAddresses: ANYWHERE },
          { protocol: "icmp", destinationAddresses: ANYWHERE },
        ],
      },
      { parent: this },
    );

    this.machineId = droplet.id;
    this.publicIpv4 = droplet.ipv4Address;
    this.publicIpv6 = droplet.ipv6Address;
    this.privateAddress = droplet.ipv4AddressPrivate;
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
