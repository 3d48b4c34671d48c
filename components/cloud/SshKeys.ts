import * as digitalocean from "@pulumi/digitalocean";
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import { requireNonEmpty } from "../validate";

export interface SshKeysArgs {
  /** Which provider's key store: Hetzner (per project) or DigitalOcean (per account). */
  readonly provider: "hetzner" | "digitalocean";
  /** OpenSSH public keys to upload, at least one. */
  readonly publicKeys: readonly string[];
  /** Ownership labels (Hetzner only; DigitalOcean keys have none); default none. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The operators' keys uploaded once to a provider. Hetzner and DigitalOcean refuse the same public key twice, so
 * every node of a stack on that provider shares these instead of uploading its own.
 */
export class SshKeys extends pulumi.ComponentResource {
  /** Provider key ids, in the order of `publicKeys`. */
  public readonly ids: pulumi.Output<string>[];

  constructor(name: string, args: SshKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:cloud:SshKeys", name, {}, opts);
    requireNonEmpty(`SshKeys ${name}`, "publicKeys", args.publicKeys);
    this.ids = args.publicKeys.map((publicKey, i) =>
      args.provider === "hetzner"
        ? new hcloud.SshKey(`${name}-${i}`, { publicKey, labels: { ...args.labels } }, { parent: this }).id
        : new digitalocean.SshKey(`${name}-${i}`, { publicKey }, { parent: this }).id,
    );
    this.registerOutputs({ ids: this.ids });
  }
}
