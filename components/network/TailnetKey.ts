import * as pulumi from "@pulumi/pulumi";
import * as tailscale from "@pulumi/tailscale";
import { requireIntInRange, requireMatch } from "../validate";

export interface TailnetKeyArgs {
  /** Tags the node joins with, bare ("hub", not "tag:hub"); required, at least one (a tagged node never expires). */
  readonly tags: readonly string[];
  /** Days until an unused key expires (1-90); default 90. */
  readonly expiryDays?: number;
  /**
   * Shown in the admin console; default the component name. Every input of a key replaces it, so a description that
   * carries the node's generation mints a fresh key for every rebuilt machine.
   */
  readonly description?: pulumi.Input<string>;
}

// tailcfg.CheckTag: after "tag:", a letter, then letters, digits or '-'.
const TAG = /^[A-Za-z][A-Za-z0-9-]*$/;

export function validateTailnetKeyArgs(name: string, args: TailnetKeyArgs): void {
  const where = `TailnetKey ${name}`;
  if (args.tags.length === 0) throw new Error(`${where}: tags must list at least one entry`);
  args.tags.forEach((t, i) => requireMatch(where, `tags[${i}]`, t, TAG, 'a bare tag name such as "hub" (a letter, then letters, digits or \'-\')'));
  requireIntInRange(where, "expiryDays", args.expiryDays ?? 90, 1, 90);
  if (typeof args.description !== "object") requireMatch(where, "description", args.description ?? name, /^[A-Za-z0-9 -]{1,50}$/, "1-50 letters, digits, spaces or '-'");
}

/**
 * A single-use, pre-authorized, tagged auth key for one node. Single use because the key sits in the node's user
 * data; pre-authorized because no one approves machines by hand; tagged so the node is governed by the ACL's tag
 * rules rather than by the key creator's identity.
 */
export class TailnetKey extends pulumi.ComponentResource {
  /** The auth key, a secret. */
  public readonly key: pulumi.Output<string>;

  constructor(name: string, args: TailnetKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:network:TailnetKey", name, {}, opts);
    validateTailnetKeyArgs(name, args);
    const key = new tailscale.TailnetKey(
      name,
      {
        reusable: false,
        ephemeral: false,
        preauthorized: true,
        expiry: (args.expiryDays ?? 90) * 86_400,
        tags: args.tags.map((t) => `tag:${t}`),
        description: args.description ?? name,
        // A used single-use key reads as invalid; recreating it would change the user data of a running machine.
        recreateIfInvalid: "never",
      },
      // A component's dependsOn does not reach its children: forward it, so the key waits for the policy owning its tags.
      { parent: this, dependsOn: opts?.dependsOn },
    );
    // The provider marks `key` secret itself, but wrapping makes it so under mocks too, where tests assert it.
    this.key = pulumi.secret(key.key);
    this.registerOutputs({ key: this.key });
  }
}
