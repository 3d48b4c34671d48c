/** Operating systems every platform can boot (a Proxmox cloud image and LXC template, and each cloud's image). */
export const osImages = ["ubuntu-22.04", "ubuntu-24.04", "debian-12"] as const;
export type OsImage = (typeof osImages)[number];
