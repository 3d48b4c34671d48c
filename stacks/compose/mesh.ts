/**
 * The Tailscale mesh: the policy file derived from the estate, and one single-use auth key per node (Proxmox guests
 * included), each tagged with the node's tags and created after the policy that owns those tags.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tailscale from "@pulumi/tailscale";
import { TAILNET_ACL_IMPORT_ID, TailnetAcl } from "../../components/network/TailnetAcl";
import { TailnetKey } from "../../components/network/TailnetKey";
import { nodeTags, tailnetPolicy } from "../derive/tailnetAcl";
import type { Estate } from "../estate/schema";
import type { NodeGeneration } from "./generation";

export interface MeshOutputs {
  /** Each node's auth key (a secret), by node name; empty when the estate has no tailnet. */
  readonly authKeys: Record<string, pulumi.Output<string>>;
  /** Each node's tags without the "tag:" prefix, as cloud-init's `tailscale.tags` takes them, by node name. */
  readonly tags: Record<string, string[]>;
  /** The policy component; absent when the estate has no tailnet. */
  readonly acl?: TailnetAcl;
}

export function composeMesh(estate: Estate, stack: string, generations: Readonly<Record<string, NodeGeneration>>): MeshOutputs {
  const tailnet = estate.tailnet;
  if (!tailnet) return { authKeys: {}, tags: {} };
  // The tailnet the estate names, with the credentials from the provider's own config keys (an API key, or an
  // OAuth client); an explicit provider does not read `tailscale:*` by itself.
  const credentials = new pulumi.Config("tailscale");
  const provider = new tailscale.Provider("tailscale", {
    tailnet: tailnet.name,
    apiKey: credentials.getSecret("apiKey"),
    oauthClientId: credentials.get("oauthClientId"),
    oauthClientSecret: credentials.getSecret("oauthClientSecret"),
  });
  const acl = new TailnetAcl("tailnet", { policy: tailnetPolicy(estate), importId: tailnet.importAcl ? TAILNET_ACL_IMPORT_ID : undefined }, { provider });
  const authKeys: Record<string, pulumi.Output<string>> = {};
  const tags: Record<string, string[]> = {};
  for (const node of Object.keys(estate.nodes).sort()) {
    tags[node] = nodeTags(estate, node);
    const key = new TailnetKey(
      `${node}-tailnet`,
      {
        tags: tags[node],
        expiryDays: tailnet.keyExpiryDays,
        // The node's generation leads the description, so every rebuilt machine (moved to another cloud, or replaced
        // on purpose) gets a fresh single-use key (every input of a key replaces it): the used one would be refused
        // by the new machine's `tailscale up`.
        description: generations[node].hex.apply((hex) => `${hex} ${estate.nodes[node].kind} ${stack} ${node}`.slice(0, 50)),
      },
      // Tailscale refuses a key for tags that no policy owns yet.
      { dependsOn: [acl.acl], provider },
    );
    authKeys[node] = key.key;
  }
  return { authKeys, tags, acl };
}
