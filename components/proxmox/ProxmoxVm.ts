import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { requireIntInRange, requireMatch } from "../validate";
import { adoptedVmUnmanaged } from "./adoption";
import { ipConfigs, nicMacs, primaryAddress, proxmoxTags, validateNics, type GuestNic } from "./guestNetwork";

export interface ProxmoxVmArgs {
  /** Stack name: names on the Proxmox host (snippet file, MAC seed) carry it, since stacks may share a host. */
  readonly stack: string;
  /** PVE node the VM runs on. */
  readonly nodeName: string;
  /** Proxmox VMID (100-999999999), explicit so it never collides or drifts. */
  readonly vmId: number;
  /** Virtual cores; default 2. */
  readonly cores?: number;
  /** Memory in MiB; default 2048. */
  readonly memoryMiB?: number;
  /** Root disk size in GiB (the cloud image is grown to it); default 20. */
  readonly diskGiB?: number;
  /** Storage for the root disk and the cloud-init drive; default "local-lvm". */
  readonly datastore?: string;
  /** Volume id of the cloud image the root disk is imported from (ProxmoxImage.fileId); required unless `importId`. */
  readonly imageFileId?: pulumi.Input<string>;
  /** Storage with `snippets` content that holds the user-data file; default "local". */
  readonly snippetDatastore?: string;
  /** NICs in order; the first static address is the SSH address. */
  readonly networks: readonly GuestNic[];
  /** DNS servers; default none (DHCP or the image's resolver). */
  readonly nameservers?: readonly string[];
  /**
   * Cloud-init user data (a #cloud-config document), a secret when it carries keys. First boot only: a change
   * uploads a new snippet and rebuilds the VM (Proxmox replaces a VM whose user-data file changes), so it must
   * change only when the VM is to be rebuilt. Required unless `importId`.
   */
  readonly userData?: pulumi.Input<string>;
  /** Login user for the `sshTarget` output (an operator created by the user data). */
  readonly sshUser: string;
  /** Proxmox tags; sorted and lowercased as Proxmox stores them, so they do not diff. */
  readonly tags?: readonly string[];
  /** Shown in the Proxmox UI. */
  readonly description?: string;
  /** Boot order among the node's guests; default none (unordered). */
  readonly startupOrder?: number;
  /** How long Pulumi waits for the QEMU guest agent; default "3m" (the provider's 15m hides a missing agent). */
  readonly agentTimeout?: string;
  /** Protect the VM from deletion, in Pulumi and in Proxmox; default false (true in prod). */
  readonly protect?: boolean;
  /**
   * Adopt an existing VM (`<PVE node>/<VMID>`) instead of building one: no image, no user data; what it was built
   * with stays unmanaged (adoption.ts). Default: build a new VM.
   */
  readonly importId?: string;
}

export function validateProxmoxVmArgs(name: string, args: ProxmoxVmArgs): void {
  const where = `ProxmoxVm ${name}`;
  requireIntInRange(where, "vmId", args.vmId, 100, 999_999_999);
  requireIntInRange(where, "cores", args.cores ?? 2, 1, 128);
  requireIntInRange(where, "memoryMiB", args.memoryMiB ?? 2048, 256, 4_194_304);
  requireIntInRange(where, "diskGiB", args.diskGiB ?? 20, 4, 65_536);
  requireMatch(where, "agentTimeout", args.agentTimeout ?? "3m", /^\d+[sm]$/, 'a duration such as "3m"');
  validateNics(where, args.networks);
  if (args.importId !== undefined && args.importId !== `${args.nodeName}/${args.vmId}`) {
    throw new Error(`${where}: importId must be "${args.nodeName}/${args.vmId}" (nodeName/vmId), got "${args.importId}"`);
  }
  if (args.importId === undefined) buildSource(where, args);
}

/** What a new VM is built from; throws when either is missing. */
function buildSource(where: string, args: ProxmoxVmArgs): { imageFileId: pulumi.Input<string>; userData: pulumi.Input<string> } {
  if (args.imageFileId === undefined || args.userData === undefined) {
    throw new Error(`${where}: imageFileId and userData must be given for a new VM (or importId to adopt one), got ${args.imageFileId === undefined ? "no imageFileId" : "no userData"}`);
  }
  return { imageFileId: args.imageFileId, userData: args.userData };
}

/**
 * A VM whose root disk is imported from a shared cloud image and configured by cloud-init user data uploaded as a
 * snippet (over the provider's SSH connection: the Proxmox API cannot write snippets).
 */
export class ProxmoxVm extends pulumi.ComponentResource {
  public readonly vmId: pulumi.Output<number>;
  /** The provider's id of the VM. */
  public readonly machineId: pulumi.Output<string>;
  /** First static address, or "dhcp". */
  public readonly address: pulumi.Output<string>;
  /** `user@address` for SSH. */
  public readonly sshTarget: pulumi.Output<string>;

  constructor(name: string, args: ProxmoxVmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:proxmox:ProxmoxVm", name, {}, opts);
    validateProxmoxVmArgs(name, args);
    const { cores = 2, memoryMiB = 2048, diskGiB = 20, datastore = "local-lvm", snippetDatastore = "local", agentTimeout = "3m", protect = false } = args;

    // The settings it owns whether built or adopted; an adopted VM must already have them for the import to succeed.
    const owned = {
      nodeName: args.nodeName,
      vmId: args.vmId,
      name,
      onBoot: true,
      started: true,
      startup: args.startupOrder === undefined ? undefined : { order: args.startupOrder, upDelay: 30, downDelay: 60 },
      cpu: { cores },
      memory: { dedicated: memoryMiB },
      stopOnDestroy: true,
      protection: protect,
    };
    const vm =
      args.importId !== undefined
        ? new proxmox.VmLegacy(name, owned, { parent: this, protect, import: args.importId, ignoreChanges: Object.keys(adoptedVmUnmanaged) })
        : this.newVm(name, args, owned, { cores, diskGiB, datastore, snippetDatastore, agentTimeout, protect });

    const address = primaryAddress(args.networks) ?? "dhcp";
    this.vmId = vm.vmId;
    this.machineId = vm.id;
    this.address = pulumi.output(address);
    this.sshTarget = pulumi.output(`${args.sshUser}@${address}`);
    this.registerOutputs({ vmId: this.vmId, machineId: this.machineId, address: this.address, sshTarget: this.sshTarget });
  }

  /** A VM built from the cloud image, its user data uploaded as a snippet. */
  private newVm(
    name: string,
    args: ProxmoxVmArgs,
    owned: proxmox.VmLegacyArgs,
    settings: { cores: number; diskGiB: number; datastore: string; snippetDatastore: string; agentTimeout: string; protect: boolean },
  ): proxmox.VmLegacy {
    const { cores, diskGiB, datastore, snippetDatastore, agentTimeout, protect } = settings;
    const { imageFileId, userData } = buildSource(`ProxmoxVm ${name}`, args);
    const macs = nicMacs(args.stack, name, args.networks);
    const userDataFile = new proxmox.FileLegacy(
      `${name}-user-data`,
      {
        nodeName: args.nodeName,
        datastoreId: snippetDatastore,
        contentType: "snippets",
        sourceRaw: { fileName: `${args.stack}-${name}-user-data.yaml`, data: userData },
      },
      // The new snippet has the old one's volume id: created first, it would be removed by the old one's delete.
      { parent: this, deleteBeforeReplace: true },
    );
    return new proxmox.VmLegacy(
      name,
      {
        ...owned,
        description: args.description,
        tags: proxmoxTags(args.tags ?? []),
        // The agent reports addresses and lets Proxmox shut the guest down cleanly; cloud-init installs it, and a
        // bounded timeout turns an image without it into a quick, visible failure instead of a 15-minute hang.
        agent: { enabled: true, timeout: agentTimeout, trim: true },
        operatingSystem: { type: "l26" },
        cpu: { cores, type: "x86-64-v2-AES" },
        scsiHardware: "virtio-scsi-single",
        disks: [{ interface: "scsi0", datastoreId: datastore, fileId: imageFileId, size: diskGiB, discard: "on", iothread: true, ssd: true }],
        networkDevices: args.networks.map((nic, i) => ({ bridge: nic.bridge, model: "virtio", macAddress: macs[i], vlanId: nic.vlan })),
        // Ubuntu and Debian cloud images log to the serial console; without one their boot can stall.
        serialDevices: [{ device: "socket" }],
        initialization: {
          datastoreId: datastore,
          ipConfigs: ipConfigs(args.networks),
          dns: args.nameservers && args.nameservers.length > 0 ? { servers: [...args.nameservers] } : undefined,
          userDataFileId: userDataFile.id,
        },
      },
      {
        parent: this,
        protect,
        // The disk is imported from the image once; a newer image must never replace a VM that holds data.
        ignoreChanges: ["disks[0].fileId"],
        // A rebuilt VM keeps its VMID, which Proxmox lets only one guest hold at a time.
        deleteBeforeReplace: true,
      },
    );
  }
}
