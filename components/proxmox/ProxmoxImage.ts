import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../os";
import { cloudImages, lxcTemplates } from "./images";

export interface ProxmoxImageArgs {
  /**
   * Stack name, prefixed to the file name: stacks sharing a host each own their copy, so neither's first `up` finds
   * the other's file in the way and neither's destroy removes an image the other's guests came from.
   */
  readonly stack: string;
  /** PVE node that stores the file. */
  readonly nodeName: string;
  /** Storage that receives it: needs `iso` content for cloud images, `vztmpl` for LXC templates. */
  readonly datastore: string;
  /** `cloud-image` (VM disks are imported from it) or `lxc-template`. */
  readonly kind: "cloud-image" | "lxc-template";
  /** Which OS. */
  readonly os: OsImage;
}

/** One OS image downloaded once to a node's storage and shared by every guest built from it. */
export class ProxmoxImage extends pulumi.ComponentResource {
  /** The volume id guests reference (`local:iso/ubuntu-24.04-server-cloudimg-amd64.img`). */
  public readonly fileId: pulumi.Output<string>;

  constructor(name: string, args: ProxmoxImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:proxmox:ProxmoxImage", name, {}, opts);
    const source = args.kind === "cloud-image" ? cloudImages[args.os] : lxcTemplates[args.os];
    const file = new proxmox.download.File(
      name,
      {
        nodeName: args.nodeName,
        datastoreId: args.datastore,
        contentType: args.kind === "cloud-image" ? "iso" : "vztmpl",
        url: source.url,
        fileName: `${args.stack}-${source.fileName}`,
        // A newer upstream build must not re-download and churn every plan: guests created later pick it up.
        overwrite: false,
        uploadTimeout: 1800,
      },
      { parent: this },
    );
    this.fileId = file.id;
    this.registerOutputs({ fileId: this.fileId });
  }
}
