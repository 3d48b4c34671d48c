/**
 * What a change does, per resource type this program registers: the input paths whose change makes the provider
 * replace the resource (delete and create: a new machine, a new password), and whether the resource holds data or
 * identity a user would lose to a replacement or deletion (`stateful`).
 *
 * Path notation: `a.b` is a nested input, `a[]` any item of a list. A path covers everything under it, so
 * `sshKeys` also covers `sshKeys[2]`, and an added or removed parent (`initialization`) covers the paths under it.
 *
 * Sources (the program never reads them at run time; this table is the project's copy):
 * - the providers' published schema.json, inputs marked `willReplaceOnChanges`, as extracted at these commits:
 *   pulumi/pulumi-digitalocean c52e0a381c523576bfd0c2fc587b7d644bd390f6, pulumi/pulumi-docker
 *   237b7899bb513613a7645e74d6981c12d054dcc7, pulumi/pulumi-hcloud c3608de6fa9cc3f6e63cc4f9fd9d03bc3eb4d823,
 *   muhlba91/pulumi-proxmoxve 53937ed1fb2fb9ca681f3dd3f65bd3a1e804d9e4 (command, random and tailscale mark none);
 *   a list whose parent path is listed is shortened to the parent;
 * - provider code that forces more than its schema says, each marked "custom" below with where it comes from.
 */

export interface ChangeRule {
  /** Input paths whose change replaces the resource. */
  readonly replaceOn: readonly string[];
  /** Replacing or deleting it loses data or an identity (a disk, a generated password, a public address). */
  readonly stateful: boolean;
}

const stateless = (replaceOn: readonly string[] = []): ChangeRule => ({ replaceOn, stateful: false });
const stateful = (replaceOn: readonly string[]): ChangeRule => ({ replaceOn, stateful: true });

/** Azure Resource Manager puts a resource's name and group in its URL and refuses to move it: azure-native replaces. */
const azureIdentity = (nameInput: string, located = true): string[] => ["resourceGroupName", nameInput, ...(located ? ["location"] : [])];

export const changeRules: Readonly<Record<string, ChangeRule>> = {
  // Components and providers: nothing a provider could replace. A component's children decide for themselves (a
  // replaced parent does not replace its children), and a changed provider configuration is an update.
  "pulumi:pulumi:Stack": stateless(),
  "pulumi:providers:docker": stateless(),
  "pulumi:providers:proxmoxve": stateless(),
  "pulumi:providers:tailscale": stateless(),

  // Proxmox. Schema paths as published; custom: muhlba91/pulumi-proxmoxve bridges bpg/terraform-provider-proxmox,
  // whose download_file resource plans a replacement on every field that names the file
  // (fwprovider/nodes/resource_download_file.go @ 08f9f9d10314db5fe1fc77f43732ab16fad201d8, RequiresReplace), and
  // whose backup job is addressed by its id.
  "proxmoxve:index/vmLegacy:VmLegacy": stateful([
    "amdSev",
    "clone.datastoreId",
    "clone.full",
    "clone.nodeName",
    "clone.retries",
    "clone.vmId",
    "disks[].fileId",
    "initialization.metaDataFileId",
    "initialization.networkDataFileId",
    "initialization.type",
    "initialization.userDataFileId",
    "initialization.vendorDataFileId",
  ]),
  "proxmoxve:index/containerLegacy:ContainerLegacy": stateful([
    "clone.datastoreId",
    "clone.full",
    "clone.nodeName",
    "clone.vmId",
    "disk.datastoreId",
    "initialization.userAccount",
    "mountPoints",
    "nodeName",
    "operatingSystem",
    "poolId",
    "template",
    "unprivileged",
  ]),
  "proxmoxve:index/fileLegacy:FileLegacy": stateless(["contentType", "datastoreId", "fileMode", "nodeName", "sourceFile", "sourceRaw"]),
  "proxmoxve:download/file:File": stateless(["checksum", "checksumAlgorithm", "contentType", "datastoreId", "decompressionAlgorithm", "fileName", "nodeName", "url"]),
  // The archives a job wrote stay on the backup storage when the job goes.
  "proxmoxve:backup/job:Job": stateless(["resourceId"]),

  // Hetzner and DigitalOcean, as published.
  "hcloud:index/server:Server": stateful(["datacenter", "image", "location", "sshKeys", "userData"]),
  "hcloud:index/firewall:Firewall": stateless(),
  "hcloud:index/network:Network": stateless(["ipRange"]),
  "hcloud:index/networkSubnet:NetworkSubnet": stateless(["ipRange", "networkId", "networkZone", "type", "vswitchId"]),
  "hcloud:index/sshKey:SshKey": stateless(),
  "digitalocean:index/droplet:Droplet": stateful(["dropletAgent", "image", "monitoring", "publicNetworking", "region", "sshKeys", "userData", "vpcUuid"]),
  "digitalocean:index/firewall:Firewall": stateless(),
  "digitalocean:index/sshKey:SshKey": stateless(["publicKey"]),
  "digitalocean:index/vpc:Vpc": stateless(["ipRange", "region"]),

  // Azure (custom: azure-native is not in the schema extract). Besides name, group and location, Azure answers
  // PropertyChangeNotAllowed to a changed `osProfile` (admin user, SSH keys, custom data) or image of an existing VM:
  // `pulumi preview` shows an update that `pulumi up` then fails, so the only way such a change lands is a new VM,
  // and the preview says so (a replacement), never a silent update.
  "azure-native:resources:ResourceGroup": stateful(["location", "resourceGroupName"]), // deleting it deletes all inside
  "azure-native:compute:SshPublicKey": stateless(azureIdentity("sshPublicKeyName")),
  "azure-native:compute:VirtualMachine": stateful([...azureIdentity("vmName"), "osProfile", "storageProfile.imageReference", "storageProfile.osDisk.createOption", "zones"]),
  "azure-native:network:NetworkInterface": stateless(azureIdentity("networkInterfaceName")),
  "azure-native:network:NetworkSecurityGroup": stateless(azureIdentity("networkSecurityGroupName")),
  "azure-native:network:PublicIPAddress": stateful([...azureIdentity("publicIpAddressName"), "zones"]), // the static address others allow-list
  "azure-native:network:Subnet": stateless(["resourceGroupName", "subnetName", "virtualNetworkName"]),
  "azure-native:network:VirtualNetwork": stateless(azureIdentity("virtualNetworkName")),

  // Cloudflare (custom: terraform-provider-cloudflare v5's dns_record requires replacement only for its zone).
  "cloudflare:index/dnsRecord:DnsRecord": stateless(["zoneId"]),

  // Tailscale (custom: terraform-provider-tailscale's tailnet_key has no update; every argument is ForceNew,
  // tailscale/resource_tailnet_key.go). A key is not stateful: it is spent at first boot, and a device's identity is
  // the node key on the machine, which a new auth key does not touch. The ACL is a whole policy file, updated.
  "tailscale:index/tailnetKey:TailnetKey": stateless(["description", "ephemeral", "expiry", "preauthorized", "reusable", "tags"]),
  "tailscale:index/acl:Acl": stateless(),

  // Docker, as published: nearly every container input replaces the container, which is why data lives in volumes.
  "docker:index/container:Container": stateless([
    "capabilities",
    "cgroupParent",
    "cgroupnsMode",
    "command",
    "cpus",
    "deviceRequests",
    "devices",
    "dns",
    "dnsOpts",
    "dnsSearches",
    "domainname",
    "entrypoints",
    "envs",
    "gpus",
    "groupAdds",
    "hostname",
    "hosts",
    "image",
    "ipcMode",
    "labels",
    "logDriver",
    "logOpts",
    "mounts",
    "name",
    "networkMode",
    "networksAdvanced",
    "pidMode",
    "platform",
    "ports",
    "privileged",
    "publishAllPorts",
    "readOnly",
    "runtime",
    "securityOpts",
    "shmSize",
    "stdinOpen",
    "stopSignal",
    "stopTimeout",
    "storageOpts",
    "sysctls",
    "tty",
    "ulimits",
    "uploads",
    "user",
    "usernsMode",
    "volumes",
    "workingDir",
  ]),
  "docker:index/volume:Volume": stateful(["cluster", "driver", "driverOpts", "labels", "name"]), // every cluster.* input is listed
  "docker:index/network:Network": stateless(["attachable", "driver", "ingress", "internal", "ipamConfigs", "ipamDriver", "ipamOptions", "ipv6", "labels", "name", "options"]),
  "docker:index/remoteImage:RemoteImage": stateless(["build", "name", "platform", "pullTriggers", "triggers"]), // every build.* input is listed

  // Remote commands (custom: pulumi-command documents `triggers` as "trigger a replacement on changes"; any other
  // change runs `update`, or `create` again when there is none, in place).
  "command:remote:Command": stateless(["triggers"]),

  // Random (custom: terraform-provider-random marks every argument RequiresReplace, since a result cannot be edited).
  // Stateful: a new password for an existing database locks its app out.
  "random:index/randomPassword:RandomPassword": stateful([
    "keepers",
    "length",
    "lower",
    "minLower",
    "minNumeric",
    "minSpecial",
    "minUpper",
    "number",
    "numeric",
    "overrideSpecial",
    "special",
    "upper",
  ]),
  "random:index/randomId:RandomId": stateful(["byteLength", "keepers", "prefix"]),
};

/** Components (`hybridlab:<domain>:<Name>`) register nothing a provider manages. */
const COMPONENT_RULE = stateless();

/** The rule for a type; undefined for a type nobody has looked up yet (a test lists them). */
export function changeRule(type: string): ChangeRule | undefined {
  return type.startsWith("hybridlab:") ? COMPONENT_RULE : changeRules[type];
}
