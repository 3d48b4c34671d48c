/**
 * The one contract the three cloud components share (HetznerServer, DigitalOceanDroplet, AzureVm): the same
 * arguments and the same outputs, so the estate moves a node between clouds by changing only its `kind`.
 */
import * as pulumi from "@pulumi/pulumi";
import { cloudCatalog, resolveCloudSize, type CloudProvider } from "./cloudSizes";
import * as ipaddr from "ipaddr.js";
import type { OsImage } from "../os";
import { LABEL_ROLE, roleTag } from "../labels";
import { requireIntInRange, requireMatch, requireNonEmpty } from "../validate";

export type CloudRole = "hub" | "spoke" | "lab";

/** One inbound allow rule; everything not allowed is dropped. Outbound traffic is not restricted. */
export interface FirewallRule {
  readonly protocol: "tcp" | "udp";
  /** Destination port on the node (1-65535). */
  readonly port: number;
  /** Source networks in CIDR form ("0.0.0.0/0" and "::/0" mean the whole internet). */
  readonly sources: readonly string[];
  /** Why the port is open; shown in the provider's console. */
  readonly description: string;
}

export interface CloudNodeArgs {
  /** hub, spoke or lab; becomes the `hybridlab-role` label (`role-<role>` tag on DigitalOcean). Required. */
  readonly role: CloudRole;
  /** Provider size (cx33, s-2vcpu-4gb, Standard_B2s) or a neutral class small | medium | large. Required. */
  readonly size: string;
  /** Provider region or location; default the size catalog's `defaultRegion` for the provider. */
  readonly region?: string;
  /** Operating system, mapped to the provider's image; default "ubuntu-24.04". */
  readonly image?: OsImage;
  /**
   * OpenSSH public keys the provider installs for first login (at least one): the deploy key, which never changes,
   * so the machine's keys never change either (operators are applied by the operator sync). Required, no default.
   */
  readonly sshPublicKeys: readonly string[];
  /**
   * Already-uploaded provider key ids (SshKeys) to install instead of uploading `sshPublicKeys` here; Hetzner and
   * DigitalOcean refuse a key uploaded twice, so a stack shares one upload per provider. Default: upload here.
   */
  readonly sshKeyIds?: readonly pulumi.Input<string>[];
  /** The account the `sshTarget` output logs in as (Azure's admin user too): the deploy account. Required, no default. */
  readonly sshUser: string;
  /**
   * The node's MagicDNS name on the tailnet, used for `sshTarget` because SSH is not public; default none (an estate
   * without a tailnet: SSH goes to the public IPv4, open to the admin networks only).
   */
  readonly tailnetHost?: string;
  /**
   * Cloud-init user data (#cloud-config), a Pulumi secret when it carries the Tailscale auth key. First boot only:
   * it must change only when the machine is to be rebuilt (a change replaces the machine on every cloud). Required.
   */
  readonly userData: pulumi.Input<string>;
  /** Inbound rules for the node's firewall; default none (nothing reachable from the internet). */
  readonly firewallRules?: readonly FirewallRule[];
  /** Key/value ownership labels (Hetzner labels, Azure tags); default none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Plain ownership tags (DigitalOcean tags); default none. */
  readonly tags?: readonly string[];
  /**
   * The node's private network; default "10.10.0.0/24" on Hetzner and Azure, and on DigitalOcean a /20 chosen by
   * DigitalOcean (its VPC ranges may not overlap anywhere in the account). A /16 to /24.
   */
  readonly privateNetworkCidr?: string;
  /** Protect the machine from deletion (in Pulumi and, where the provider has it, in the provider); default false. */
  readonly protect?: boolean;
  /**
   * Adopt an existing machine by its provider id (Hetzner server id, droplet id, Azure VM resource id) instead of
   * creating one; what it was created with (image, user data, keys, network) stays as it is. Default: create.
   */
  readonly importId?: string;
}

/** What every cloud node exposes, whichever cloud it runs on. */
export interface CloudNodeOutputs {
  /** The provider's id of the machine: a new one means a new machine (rebuilt or moved). */
  readonly machineId: pulumi.Output<string>;
  readonly publicIpv4: pulumi.Output<string>;
  /** Absent where the node has no public IPv6 (Azure). */
  readonly publicIpv6?: pulumi.Output<string>;
  /** The node's address on its private network. */
  readonly privateAddress: pulumi.Output<string>;
  /** The node's MagicDNS name; undefined without a tailnet. */
  readonly tailnetHost: pulumi.Output<string | undefined>;
  /** `<operator>@<MagicDNS name>`: SSH goes over the tailnet (without one, `<operator>@<public IPv4>`). */
  readonly sshTarget: pulumi.Output<string>;
}

export const DEFAULT_PRIVATE_CIDR = "10.10.0.0/24";

const USER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** The size, region and image a node resolves to on `provider`. */
export function resolvedPlacement(provider: CloudProvider, args: CloudNodeArgs): { size: string; region: string; image: OsImage } {
  return { size: resolveCloudSize(provider, args.size), region: args.region ?? cloudCatalog[provider].defaultRegion, image: args.image ?? "ubuntu-24.04" };
}

/** Checks the shared arguments; throws "<Component> <name>: <field> must be ..., got ...". */
export function validateCloudNodeArgs(component: string, name: string, provider: CloudProvider, args: CloudNodeArgs): void {
  const where = `${component} ${name}`;
  const catalog = cloudCatalog[provider];
  const { size, region } = resolvedPlacement(provider, args);
  if (!Object.hasOwn(catalog.sizes, size)) {
    throw new Error(`${where}: size must be small, medium, large or one of ${Object.keys(catalog.sizes).join(", ")}, got "${args.size}"`);
  }
  if (!catalog.regions.includes(region)) throw new Error(`${where}: region must be one of ${catalog.regions.join(", ")}, got "${region}"`);
  requireNonEmpty(where, "sshPublicKeys", args.sshPublicKeys);
  requireMatch(where, "sshUser", args.sshUser, USER_NAME, "a Linux user name");
  if (args.tailnetHost !== undefined) requireMatch(where, "tailnetHost", args.tailnetHost, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "a MagicDNS name such as hub.tail1234.ts.net");
  (args.firewallRules ?? []).forEach((rule, i) => {
    requireIntInRange(where, `firewallRules[${i}].port`, rule.port, 1, 65535);
    requireNonEmpty(where, `firewallRules[${i}].sources`, rule.sources);
    rule.sources.forEach((source, j) => {
      if (!ipaddr.isValidCIDR(source)) {
        throw new Error(`${where}: firewallRules[${i}].sources[${j}] must be an IPv4 or IPv6 CIDR such as "198.51.100.0/24" or "::/0", got "${source}"`);
      }
    });
  });
  if (args.importId !== undefined && provider !== "azure") {
    requireMatch(where, "importId", args.importId, /^[1-9]\d{0,11}$/, `a numeric ${provider === "hetzner" ? "server" : "droplet"} id`);
  }
  if (args.privateNetworkCidr !== undefined) {
    const cidr = args.privateNetworkCidr;
    const parsed = ipv4Cidr(cidr);
    if (parsed === undefined || parsed.prefix < 16 || parsed.prefix > 24 || hostAddress(cidr, 0) !== parsed.address) {
      throw new Error(`${where}: privateNetworkCidr must be a network address with a /16 to /24 prefix such as "10.10.0.0/24", got "${cidr}"`);
    }
  }
}

/** The `n`th address of a CIDR (0 is the network address). */
export function hostAddress(cidr: string, n: number): string {
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
  const value = network + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** An IPv4 CIDR in dotted-quad form ("10.10.0.0/24"), split; undefined for anything else. */
function ipv4Cidr(cidr: string): { address: string; prefix: number } | undefined {
  const [address, prefix, ...rest] = cidr.split("/");
  if (rest.length > 0 || prefix === undefined || !/^(3[0-2]|[12]?\d)$/.test(prefix) || !ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  return { address, prefix: Number(prefix) };
}

/** Ownership labels plus the role label, as key/value pairs. */
export function roleLabels(args: Pick<CloudNodeArgs, "labels" | "role">): Record<string, string> {
  return { ...args.labels, [LABEL_ROLE]: args.role };
}

/** Ownership tags plus `role-<role>`, for providers with plain tags. */
export function roleTags(args: Pick<CloudNodeArgs, "tags" | "role">): string[] {
  return [...new Set([...(args.tags ?? []), roleTag(args.role)])];
}

export function sshTarget(args: Pick<CloudNodeArgs, "sshUser" | "tailnetHost">, publicIpv4: pulumi.Output<string>): pulumi.Output<string> {
  return args.tailnetHost === undefined ? pulumi.interpolate`${args.sshUser}@${publicIpv4}` : pulumi.output(`${args.sshUser}@${args.tailnetHost}`);
}
