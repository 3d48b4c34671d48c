import * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../bootstrap/cloudInit";
import { nodeBootstrap } from "../derive/bootstrap";
import type { Estate } from "../estate/schema";
import type { NodeGeneration } from "./generation";
import type { MeshOutputs } from "./mesh";

/** Where first boot records the node's generation: proof on the machine of which build it is. */
export const GENERATION_FILE = "/etc/hybridlab/generation";

/**
 * A node's cloud-init user data: the shared first boot, the node's generation and, when the estate has a tailnet,
 * its auth key. It changes only with the generation (the key follows it), so only a rebuild changes it. Rendered
 * inside the key's `apply`, so the whole document stays a secret.
 */
export function nodeUserData(estate: Estate, node: string, mesh: Pick<MeshOutputs, "authKeys" | "tags">, generation: NodeGeneration): pulumi.Output<string> {
  const base = nodeBootstrap(estate, node);
  const authKey = mesh.authKeys[node];
  const withGeneration = (hex: string): typeof base => ({ ...base, writeFiles: [{ path: GENERATION_FILE, content: `${hex}\n` }] });
  return authKey
    ? pulumi.all([generation.hex, authKey]).apply(([hex, key]) => renderCloudInit({ ...withGeneration(hex), tailscale: { authKey: key, tags: mesh.tags[node] ?? [] } }))
    : generation.hex.apply((hex) => renderCloudInit(withGeneration(hex)));
}
