import * as pulumi from "@pulumi/pulumi";
import * as tailscale from "@pulumi/tailscale";
import { renderTailnetAcl, type TailnetPolicy } from "./tailnetPolicy";

/** The Tailscale provider's import id for a tailnet's policy file: the tailnet comes from the provider, the id is fixed. */
export const TAILNET_ACL_IMPORT_ID = "acl";

export interface TailnetAclArgs {
  /** The whole policy (tag owners, ACLs, tests); required, no default. It replaces the tailnet's policy file. */
  readonly policy: TailnetPolicy;
  /** Put Tailscale's default (allow-all) policy back when this resource is destroyed; default false. */
  readonly resetOnDestroy?: boolean;
  /**
   * Adopt the tailnet's existing policy file (TAILNET_ACL_IMPORT_ID) and leave its content as it is, so
   * the import matches; without it the first `pulumi up` overwrites the policy. Default: overwrite.
   */
  readonly importId?: string;
}

export function validateTailnetAclArgs(name: string, args: TailnetAclArgs): void {
  const where = `TailnetAcl ${name}`;
  args.policy.acls.forEach((rule, i) => {
    const wide = [...rule.src, ...rule.dst].find((entry) => entry === "*" || entry.startsWith("*:"));
    if (wide !== undefined) throw new Error(`${where}: acls[${i}] must name tags, groups or hosts, got "${wide}"; the estate never allows everything`);
    if (rule.dst.length === 0) throw new Error(`${where}: acls[${i}].dst must list at least one entry`);
  });
  const owned = new Set(Object.keys(args.policy.tagOwners));
  for (const rule of args.policy.acls) {
    for (const entry of [...rule.src, ...rule.dst]) {
      const tagName = /^(tag:[^:]+)/.exec(entry)?.[1];
      if (tagName !== undefined && !owned.has(tagName)) throw new Error(`${where}: tagOwners must own every tag the ACLs use, got "${tagName}" without an owner`);
    }
  }
}

/** The tailnet's policy file, managed whole from the estate. */
export class TailnetAcl extends pulumi.ComponentResource {
  /** The policy file as applied (JSON). */
  public readonly policyText: pulumi.Output<string>;
  /** The policy resource: auth keys that request tags must wait for it, since it defines who owns those tags. */
  public readonly acl: tailscale.Acl;

  constructor(name: string, args: TailnetAclArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:network:TailnetAcl", name, {}, opts);
    validateTailnetAclArgs(name, args);
    const text = renderTailnetAcl(args.policy);
    this.acl = new tailscale.Acl(
      name,
      // The estate owns the whole policy file; without this the provider refuses to replace a policy it did not import.
      { acl: text, overwriteExistingContent: args.importId === undefined, resetAclOnDestroy: args.resetOnDestroy ?? false },
      // An adopted policy keeps its content until the estate stops importing it (README, Lifecycle): the import must
      // match the policy as it is, and the derived one replaces it on the next `pulumi up`.
      { parent: this, import: args.importId, ignoreChanges: args.importId === undefined ? undefined : ["acl"] },
    );
    this.policyText = this.acl.acl;
    this.registerOutputs({ policyText: this.policyText });
  }
}
