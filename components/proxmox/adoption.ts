/**
 * What an adopted (imported) Proxmox guest leaves alone. Pulumi refuses an import whose inputs differ from the
 * object it reads back ("inputs to import do not match the existing resource"), and these settings were chosen
 * when the guest was built, by someone else: the program cannot know them, and most cannot change without
 * rebuilding the guest. They stay as they are, for good (`ignoreChanges`), each for the reason given.
 */

/** Paths of `proxmoxve:index/vmLegacy:VmLegacy` an adopted VM never manages, with the reason. */
export const adoptedVmUnmanaged: Readonly<Record<string, string>> = {
  disks: "its disks hold its data; their storage, size and source image are what they are",
  initialization: "its cloud-init drive (or none) was set up when it was built; cloud-init runs only on a fresh guest anyway",
  networkDevices: "its NICs keep their MAC addresses, models and bridges: the guest's network configuration matches them",
  "cpu.type": "a CPU model change can stop a guest from booting",
  scsiHardware: "the disk controller its OS boots from",
  serialDevices: "a serial console is added when built from a cloud image, not otherwise",
  operatingSystem: "the OS type Proxmox was told at creation",
  agent: "whether the QEMU guest agent is installed is the guest's business",
  tags: "its existing tags (ownership tags are for guests the program builds)",
  description: "its existing notes in the Proxmox UI",
};

/** Paths of `proxmoxve:index/containerLegacy:ContainerLegacy` an adopted LXC never manages, with the reason. */
export const adoptedContainerUnmanaged: Readonly<Record<string, string>> = {
  disk: "its root volume holds its data",
  mountPoints: "its mount points hold data; a changed mount point replaces the container",
  operatingSystem: "the template it was created from (a changed template replaces the container)",
  initialization: "hostname, addresses and root keys were set at creation; a changed key replaces the container",
  networkInterfaces: "its NICs keep their MAC addresses and bridges",
  tags: "its existing tags (ownership tags are for guests the program builds)",
  description: "its existing notes in the Proxmox UI",
};
