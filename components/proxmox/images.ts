/**
 * Where each OS comes from on Proxmox: a cloud image for VMs and a container template for LXCs.
 * The `release` paths track each distribution's latest build of that release; a VM's disk is imported once and
 * never re-imported (see ProxmoxVm's ignoreChanges), so a newer build only affects guests created later.
 */
import type { OsImage } from "../os";

export interface ImageSource {
  /** Download URL. */
  readonly url: string;
  /** File name on the storage; Proxmox requires `.img` for cloud images stored as `iso` content. */
  readonly fileName: string;
}

export const cloudImages: Readonly<Record<OsImage, ImageSource>> = {
  "ubuntu-22.04": {
    url: "https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img",
    fileName: "ubuntu-22.04-server-cloudimg-amd64.img",
  },
  "ubuntu-24.04": {
    url: "https://cloud-images.ubuntu.com/releases/24.04/release/ubuntu-24.04-server-cloudimg-amd64.img",
    fileName: "ubuntu-24.04-server-cloudimg-amd64.img",
  },
  "debian-12": {
    url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
    fileName: "debian-12-genericcloud-amd64.img",
  },
};

/** Proxmox's own LXC templates (http://download.proxmox.com/images/system/, the `pveam available` list). */
export const lxcTemplates: Readonly<Record<OsImage, ImageSource>> = {
  "ubuntu-22.04": {
    url: "http://download.proxmox.com/images/system/ubuntu-22.04-standard_22.04-1_amd64.tar.zst",
    fileName: "ubuntu-22.04-standard_22.04-1_amd64.tar.zst",
  },
  "ubuntu-24.04": {
    url: "http://download.proxmox.com/images/system/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
    fileName: "ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
  },
  "debian-12": {
    url: "http://download.proxmox.com/images/system/debian-12-standard_12.12-1_amd64.tar.zst",
    fileName: "debian-12-standard_12.12-1_amd64.tar.zst",
  },
};

/** The `ostype` Proxmox uses for an LXC template's distribution. */
export function lxcOsType(os: OsImage): "ubuntu" | "debian" {
  return os.startsWith("ubuntu") ? "ubuntu" : "debian";
}
