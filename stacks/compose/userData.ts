import type * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../bootstrap/cloudInit";
import { nodeBootstrap } from "../derive/bootstrap";
import type { Estate } from "../estate/schema";
import type { MeshOutputs } from "./mesh";

/**
 * A node's cloud-init user data: the shared bootstrap plus, when the estate has a tailnet, the node's auth key.
 * Rendered inside the key's `apply`, so the whole document stays a secret.
 */
export function nodeUserData(estate: Estate, node: string, mesh: Pick<MeshOutputs, "authKeys" | "tags">): pulumi.Input<string> {
  const base = nodeBootstrap(estate, node);
  const authKey = mesh.authKeys[node];
  return authKey ? authKey.apply((key) => renderCloudInit({ ...base, tailscale: { authKey: key, tags: mesh.tags[node] ?? [] } })) : renderCloudInit(base);
}
