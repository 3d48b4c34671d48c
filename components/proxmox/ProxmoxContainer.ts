import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../os";
import { requireIntInRange, requireMatch, requireNonEmpty } from "../validate";
import { ipConfigs, nicMacs, primaryAddress, proxmoxTags, validateNics, type GuestNic } from "./guestNetwork";
import { adoptedContainerUnmanaged } from "./adoption";
import { lxcOsType } from "./images";

/** An extra volume mounted into the container. */
export interface ContainerMount {
  /** Mount path inside the container. */
  readonly path: string;
  /** Size in GiB. */
  readonly sizeGiB: number;
  /** Storage that holds it; defaults to the root disk's. */
  readonly datastore?: string;
}

export interface ProxmoxContainerArgs {
  /** Stack name: the MAC seed carries it, since stacks may share a host and a bridge. */
  readonly stack: string;
  /** PVE node the container runs on. */
  readonly nodeName: string;
  /** Proxmox VMID (100-999999999). */
  readonly vmId: number;
  /** Hostname inside the container. */
  readonly hostname: string;
  /** Virtual cores; default 1. */
  readonly cores?: number;
  /** Memory in MiB; default 512. */
  readonly memoryMiB?: number;
  /** Swap in MiB; default 512. */
  readonly swapMiB?: number;
  /** Root disk size in GiB; default 8. */
  readonly diskGiB?: number;
  /** Storage for the root disk (needs `rootdir` content); default "local-lvm". */
  readonly datastore?: string;
  /** Volume id of the LXC template (ProxmoxImage.fileId); required unless `importId`. */
  readonly templateFileId?: pulumi.Input<string>;
  /** The template's OS, for Proxmox's `ostype`. */
  readonly os: OsImage;
  /** NICs in order (eth0, eth1, ...). */
  readonly networks: readonly GuestNic[];
  /** DNS servers; default none (the host's). */
  readonly nameservers?: readonly string[];
  /**
   * Keys allowed to log in as root, for the first bootstrap (an LXC template has no cloud-init to create users): the
   * deploy key, which never changes (Proxmox replaces a container whose keys change). Required.
   */
  readonly sshPublicKeys: readonly string[];
  /** The user the `sshTarget` output logs in as once bootstrapped (an operator: the bootstrap disables root login). */
  readonly sshUser: string;
  /** Pass /dev/net/tun through, which Tailscale needs inside an LXC (root@pam only); default false. */
  readonly tun?: boolean;
  /** Unprivileged container (UIDs mapped away from the host's root); default true. */
  readonly unprivileged?: boolean;
  /** Will run Docker: switches on `nesting` and `keyctl`, which Proxmox lets only root@pam set; default false. */
  readonly docker?: boolean;
  /** Extra data volumes. */
  readonly mounts?: readonly ContainerMount[];
  /** Proxmox tags (sorted, lowercased). */
  readonly tags?: readonly string[];
  /** Shown in the Proxmox UI. */
  readonly description?: string;
  /** Boot order among the node's guests. */
  readonly startupOrder?: number;
  /** Protect from deletion, in Pulumi and in Proxmox; default false (true in prod). */
  readonly protect?: boolean;
  /**
   * Resources whose replacement rebuilds this container (the node's generation): an LXC has no user data whose
   * change would, unlike a VM. Default none.
   */
  readonly rebuildWith?: readonly pulumi.Resource[];
  /**
   * Adopt an existing container (`<PVE node>/<VMID>`) instead of creating one from the template; what it was
   * created with stays unmanaged (adoption.ts). Default: create a new container.
   */
  readonly importId?: string;
}

export function validateProxmoxContainerArgs(name: string, args: ProxmoxContainerArgs): void {
  const where = `ProxmoxContainer ${name}`;
  requireIntInRange(where, "vmId", args.vmId, 100, 999_999_999);
  requireIntInRange(where, "cores", args.cores ?? 1, 1, 128);
  requireIntInRange(where, "memoryMiB", args.memoryMiB ?? 512, 64, 4_194_304);
  requireIntInRange(where, "diskGiB", args.diskGiB ?? 8, 1, 65_536);
  requireMatch(where, "hostname", args.hostname, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label");
  requireNonEmpty(where, "sshPublicKeys", args.sshPublicKeys);
  validateNics(where, args.networks);
  (args.mounts ?? []).forEach((m, i) => requireMatch(where, `mounts[${i}].path`, m.path, /^\/\S+$/, "an absolute path"));
  if (args.importId !== undefined && args.importId !== `${args.nodeName}/${args.vmId}`) {
    throw new Error(`${where}: importId must be "${args.nodeName}/${args.vmId}" (nodeName/vmId), got "${args.importId}"`);
  }
  if (args.importId === undefined && args.templateFileId === undefined) {
    throw new Error(`${where}: templateFileId must be given for a new container (or importId to adopt one), got nothing`);
  }
}

/** An LXC container from a shared template, unprivileged unless told otherwise. */
export class ProxmoxContainer extends pulumi.ComponentResource {
  public readonly vmId: pulumi.Output<number>;
  /** The provider's id of the container. */
  public readonly machineId: pulumi.Output<string>;
  /** First static address, or "dhcp". */
  public readonly address: pulumi.Output<string>;
  /** `<operator>@address`, valid once the bootstrap created the operators. */
  public readonly sshTarget: pulumi.Output<string>;

  constructor(name: string, args: ProxmoxContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:proxmox:ProxmoxContainer", name, {}, opts);
    validateProxmoxContainerArgs(name, args);
    const { cores = 1, memoryMiB = 512, swapMiB = 512, diskGiB = 8, datastore = "local-lvm", unprivileged = true, docker = false, tun = false, protect = false } = args;
    const macs = nicMacs(args.stack, name, args.networks);

    // The settings it owns whether created or adopted; an adopted container must already have them.
    const owned = {
      nodeName: args.nodeName,
      vmId: args.vmId,
      unprivileged,
      // Docker inside LXC needs nested namespaces (nesting) and per-container keyrings (keyctl).
      features: docker ? { nesting: true, keyctl: true } : undefined,
      // https://tailscale.com/kb/1130/lxc-unprivileged : tailscaled needs the TUN device in the container.
      devicePassthroughs: tun ? [{ path: "/dev/net/tun", mode: "0666" }] : undefined,
      cpu: { cores },
      memory: { dedicated: memoryMiB, swap: swapMiB },
      startOnBoot: true,
      started: true,
      startup: args.startupOrder === undefined ? undefined : { order: args.startupOrder, upDelay: 15, downDelay: 30 },
      protection: protect,
    };
    // Validation guarantees a template for every container that is not adopted.
    const template = args.importId === undefined ? args.templateFileId : undefined;
    const container =
      template === undefined
        ? new proxmox.ContainerLegacy(name, owned, { parent: this, protect, import: args.importId, ignoreChanges: Object.keys(adoptedContainerUnmanaged) })
        : new proxmox.ContainerLegacy(
            name,
            {
              ...owned,
              description: args.description,
              tags: proxmoxTags(args.tags ?? []),
              disk: { datastoreId: datastore, size: diskGiB },
              mountPoints: (args.mounts ?? []).map((m) => ({ volume: m.datastore ?? datastore, size: `${m.sizeGiB}G`, path: m.path, backup: true })),
              networkInterfaces: args.networks.map((nic, i) => ({ name: `eth${i}`, bridge: nic.bridge, macAddress: macs[i], vlanId: nic.vlan })),
              initialization: {
                hostname: args.hostname,
                ipConfigs: ipConfigs(args.networks),
                dns: args.nameservers && args.nameservers.length > 0 ? { servers: [...args.nameservers] } : undefined,
                userAccount: { keys: [...args.sshPublicKeys] },
              },
              operatingSystem: { templateFileId: template, type: lxcOsType(args.os) },
            },
            {
              parent: this,
              protect,
              // A newer template must not replace a container that holds data; the root filesystem came from it once.
              ignoreChanges: ["operatingSystem.templateFileId"],
              // A rebuilt container keeps its VMID, which Proxmox lets only one guest hold at a time.
              deleteBeforeReplace: true,
              replaceWith: args.rebuildWith === undefined ? undefined : [...args.rebuildWith],
            },
          );

    const address = primaryAddress(args.networks) ?? "dhcp";
    this.vmId = container.vmId;
    this.machineId = container.id;
    this.address = pulumi.output(address);
    this.sshTarget = pulumi.output(`${args.sshUser}@${address}`);
    this.registerOutputs({ vmId: this.vmId, machineId: this.machineId, address: this.address, sshTarget: this.sshTarget });
  }
}
