/**
 * Machines: cloud VMs (Hetzner, DigitalOcean, Azure) and Proxmox guests. References: Checkov's Azure VM checks,
 * the Proxmox VE admin guide.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { cloudCatalog, type CloudProvider } from "../../components/cloud/cloudSizes";
import { isRecord, resourceRule, stringList } from "./shared";

export const HCLOUD_SERVER = "hcloud:index/server:Server";
export const DROPLET = "digitalocean:index/droplet:Droplet";
export const AZURE_VM = "azure-native:compute:VirtualMachine";
export const PROXMOX_VM = "proxmoxve:index/vmLegacy:VmLegacy";
export const PROXMOX_LXC = "proxmoxve:index/containerLegacy:ContainerLegacy";
/** The provider's experimental VM resources (`proxmox.Vm`, `Vm2Legacy`) and its clone-only ones (`proxmox.cloned.*`). */
export const PROXMOX_VM_EXPERIMENTAL = "proxmoxve:index/vm:Vm";
export const PROXMOX_VM2_LEGACY = "proxmoxve:index/vm2Legacy:Vm2Legacy";
export const PROXMOX_CLONED_VM = "proxmoxve:cloned/vm:Vm";
export const PROXMOX_CLONED_VM_LEGACY = "proxmoxve:cloned/vmLegacy:VmLegacy";
/** Every resource type that is a Proxmox guest: what capacity, protection, backup and tag rules read. */
export const PROXMOX_GUESTS = [PROXMOX_VM, PROXMOX_VM_EXPERIMENTAL, PROXMOX_VM2_LEGACY, PROXMOX_CLONED_VM, PROXMOX_CLONED_VM_LEGACY, PROXMOX_LXC];

export interface HcloudServerProps {
  readonly serverType?: string;
  readonly location?: string;
  readonly datacenter?: string;
  readonly sshKeys?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}
export interface DropletProps {
  readonly size?: string;
  readonly region?: string;
  readonly sshKeys?: readonly string[];
  readonly tags?: readonly string[];
}
export interface AzureVmProps {
  readonly location?: string;
  readonly hardwareProfile?: { readonly vmSize?: string };
  readonly osProfile?: {
    readonly adminPassword?: string;
    readonly linuxConfiguration?: {
      readonly disablePasswordAuthentication?: boolean;
      readonly ssh?: { readonly publicKeys?: ReadonlyArray<{ readonly keyData?: string; readonly path?: string }> };
    };
  };
  readonly tags?: Readonly<Record<string, string>>;
}
export interface ProxmoxGuestProps {
  readonly nodeName?: string;
  readonly vmId?: number;
  readonly name?: string;
  readonly unprivileged?: boolean;
  readonly protection?: boolean;
  readonly agent?: { readonly enabled?: boolean };
  readonly cpu?: { readonly cores?: number; readonly sockets?: number };
  readonly memory?: { readonly dedicated?: number };
  /** VM disks, size in GiB. */
  readonly disks?: ReadonlyArray<{ readonly size?: number }>;
  /** LXC root disk, size in GiB. */
  readonly disk?: { readonly size?: number };
  /** LXC mount points, size as "100G". */
  readonly mountPoints?: ReadonlyArray<{ readonly size?: string; readonly path?: string }>;
  readonly initialization?: { readonly hostname?: string; readonly userAccount?: { readonly keys?: readonly string[] }; readonly userDataFileId?: string };
  readonly tags?: readonly string[];
}

/** A Proxmox guest's name for messages and allow-lists: its hostname or VM name, else its VMID, else `fallback`. */
export function guestName(props: ProxmoxGuestProps, fallback = "?"): string {
  return props.initialization?.hostname ?? props.name ?? (props.vmId !== undefined ? String(props.vmId) : fallback);
}

const azurePasswordAuthDisabled = resourceRule<AzureVmProps>({
  name: "azure-vm-password-auth-disabled",
  description: "Azure Linux VMs disable password authentication and have no admin password (Checkov CKV_AZURE_1).",
  enforcementLevel: "mandatory",
  types: [AZURE_VM],
  url: "https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed",
  validate: (props, _args, report) => {
    const linux = props.osProfile?.linuxConfiguration;
    if (linux?.disablePasswordAuthentication !== true) {
      report("osProfile.linuxConfiguration.disablePasswordAuthentication is not true: log in with SSH keys only");
    }
    if (props.osProfile?.adminPassword !== undefined) report("osProfile.adminPassword is set: remove it, operators log in with SSH keys");
  },
});

const sshKeysSet = resourceRule<HcloudServerProps & DropletProps & AzureVmProps & ProxmoxGuestProps>({
  name: "vm-ssh-keys-set",
  description: "Every VM gets the operators' SSH keys (Hetzner/DigitalOcean sshKeys, Azure ssh.publicKeys, Proxmox userAccount.keys or a cloud-init snippet).",
  enforcementLevel: "mandatory",
  types: [HCLOUD_SERVER, DROPLET, AZURE_VM, PROXMOX_VM, PROXMOX_LXC],
  url: "https://cloudinit.readthedocs.io/en/latest/reference/modules.html#ssh",
  validate: (props, args, report) => {
    // An adopted Proxmox guest keeps the logins it has: its initialization is deliberately unmanaged (ignoreChanges).
    if ((args.type === PROXMOX_VM || args.type === PROXMOX_LXC) && args.opts.ignoreChanges.includes("initialization")) return;
    const userKeys = stringList(props.initialization?.userAccount?.keys);
    const azureKeys = Array.isArray(props.osProfile?.linuxConfiguration?.ssh?.publicKeys) ? props.osProfile.linuxConfiguration.ssh.publicKeys : [];
    const has: Record<string, boolean> = {
      [HCLOUD_SERVER]: stringList(props.sshKeys).length > 0,
      [DROPLET]: stringList(props.sshKeys).length > 0,
      [AZURE_VM]: azureKeys.some((k) => typeof k.keyData === "string" && k.keyData !== ""),
      // A VM's cloud-init snippet (userDataFileId) carries its users and keys; the API field then stays empty.
      [PROXMOX_VM]: userKeys.length > 0 || typeof props.initialization?.userDataFileId === "string",
      [PROXMOX_LXC]: userKeys.length > 0,
    };
    if (!has[args.type]) report(`${args.name} has no SSH public key: operators could only log in with a password or a console`);
  },
});

type Regions = Record<CloudProvider, string[]>;

const catalogRegions: Regions = {
  hetzner: [...cloudCatalog.hetzner.regions],
  digitalocean: [...cloudCatalog.digitalocean.regions],
  azure: [...cloudCatalog.azure.regions],
};

const regionOf: Record<string, [CloudProvider, (p: HcloudServerProps & DropletProps & AzureVmProps) => string | undefined]> = {
  // `datacenter` (deprecated, e.g. fsn1-dc14) names a datacenter within a location.
  [HCLOUD_SERVER]: ["hetzner", (p) => p.location ?? p.datacenter?.replace(/-dc\d+$/i, "")],
  [DROPLET]: ["digitalocean", (p) => p.region],
  [AZURE_VM]: ["azure", (p) => p.location],
};

/** One spelling per region: Azure takes "West Europe" for westeurope, and every provider ignores case. */
export function regionKey(region: string): string {
  return region.toLowerCase().replace(/[\s_-]+/g, "");
}

const cloudRegionAllowed = resourceRule<HcloudServerProps & DropletProps & AzureVmProps, { regions: Regions }>({
  name: "cloud-region-allowed",
  description: "Cloud machines run only in allowed regions (default: the regions of the size catalog, components/cloud/cloudSizes.ts).",
  enforcementLevel: "mandatory",
  types: Object.keys(regionOf),
  url: "https://docs.hetzner.com/cloud/general/locations/",
  configSchema: {
    properties: {
      regions: {
        type: "object",
        default: catalogRegions,
        description: "Allowed regions per provider: {hetzner: [...], digitalocean: [...], azure: [...]}.",
      },
    },
  },
  validate: (props, args, report, { regions }) => {
    const [provider, read] = regionOf[args.type];
    const region = read(props);
    const allowed = isRecord(regions) ? stringList(regions[provider]) : [];
    if (region === undefined) report(`${args.name} names no region, so ${provider} picks one: set it to one of ${allowed.join(", ")}`);
    else if (!allowed.some((a) => regionKey(a) === regionKey(region))) report(`${args.name} is in ${provider} region "${region}", not one of the allowed ${allowed.join(", ") || "(none)"}`);
  },
});

const lxcUnprivileged = resourceRule<ProxmoxGuestProps, { allowed: string[] }>({
  name: "proxmox-lxc-unprivileged",
  description: "Proxmox LXC containers are unprivileged unless allow-listed (Proxmox VE guide, 'Security Considerations' for containers).",
  enforcementLevel: "mandatory",
  types: [PROXMOX_LXC],
  url: "https://pve.proxmox.com/pve-docs/chapter-pct.html#pct_container_security",
  configSchema: {
    properties: { allowed: { type: "array", items: { type: "string" }, default: [], description: "Guests (hostname or VMID) that may run privileged." } },
  },
  validate: (props, _args, report, { allowed }) => {
    const name = guestName(props);
    // The provider's default is privileged: only an explicit `unprivileged: true` is safe.
    if (props.unprivileged !== true && !allowed.includes(name) && !allowed.includes(String(props.vmId))) {
      report(`LXC ${name} is privileged: root in the container is root on the host; set unprivileged: true`);
    }
  },
});

const vmQemuAgent = resourceRule<ProxmoxGuestProps>({
  name: "proxmox-vm-qemu-agent",
  description: "Proxmox VMs enable the QEMU guest agent (clean shutdowns, consistent backups, reported addresses).",
  enforcementLevel: "advisory",
  types: [PROXMOX_VM],
  url: "https://pve.proxmox.com/wiki/Qemu-guest-agent",
  validate: (props, _args, report) => {
    if (props.agent?.enabled !== true) report(`VM ${guestName(props)} has the QEMU guest agent off: set agent.enabled and install qemu-guest-agent`);
  },
});

export const machinePolicies: ResourceValidationPolicy[] = [azurePasswordAuthDisabled, sshKeysSet, cloudRegionAllowed, lxcUnprivileged, vmQemuAgent];
