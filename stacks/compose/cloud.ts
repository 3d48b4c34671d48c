/**
 * Cloud nodes: each hub, spoke or lab VPS built by its provider's component from the one node contract, bootstrapped
 * by the shared cloud-init (Docker when it runs apps, Tailscale with its own auth key) and firewalled from the estate.
 */
import { AzureVm } from "../../components/cloud/AzureVm";
import type { CloudNodeArgs } from "../../components/cloud/cloudNode";
import { DigitalOceanDroplet } from "../../components/cloud/DigitalOceanDroplet";
import { HetznerServer } from "../../components/cloud/HetznerServer";
import { SshKeys } from "../../components/cloud/SshKeys";
import { tailnetHost } from "../derive/addressing";
import { firewallRules } from "../derive/firewall";
import { LABEL_STACK, ownerLabels, ownerTags } from "../../components/labels";
import { isCloudNode, type CloudNode, type Estate } from "../estate/schema";
import { DEPLOY_USER } from "../bootstrap/deployUser";
import type { NodeGeneration } from "./generation";
import type { MeshOutputs } from "./mesh";
import { nodeUserData } from "./userData";

/** Cloud nodes by name, in name order. */
export function cloudNodes(estate: Pick<Estate, "nodes">): Array<[string, CloudNode]> {
  return Object.entries(estate.nodes)
    .filter((entry): entry is [string, CloudNode] => isCloudNode(entry[1]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The node's component arguments: the same for every cloud, so `kind` alone decides where the node runs. */
export function cloudNodeArgs(
  estate: Estate,
  stack: string,
  name: string,
  node: CloudNode,
  mesh: Pick<MeshOutputs, "authKeys" | "tags">,
  generation: NodeGeneration,
): CloudNodeArgs {
  return {
    role: node.role,
    size: node.size,
    region: node.region,
    image: node.image,
    sshPublicKeys: [estate.access.deployKey],
    sshUser: DEPLOY_USER,
    tailnetHost: estate.tailnet ? tailnetHost(estate, name) : undefined,
    userData: nodeUserData(estate, name, mesh, generation),
    firewallRules: firewallRules(estate, name),
    labels: ownerLabels(stack, { node: name }),
    tags: [...ownerTags(stack, { node: name }), ...node.tags],
    protect: estate.environment === "prod",
    importId: node.import,
  };
}

/** A cloud node's component: a resource to depend on, with the shared outputs. */
export type CloudNodeComponent = HetznerServer | DigitalOceanDroplet | AzureVm;

export function composeCloud(
  estate: Estate,
  stack: string,
  mesh: Pick<MeshOutputs, "authKeys" | "tags">,
  generations: Readonly<Record<string, NodeGeneration>>,
): Record<string, CloudNodeComponent> {
  const outputs: Record<string, CloudNodeComponent> = {};
  const uploads = new Map<"hetzner" | "digitalocean", SshKeys>();
  // One upload of the deploy key per provider, shared by the stack's nodes there (a key may exist only once).
  const sharedKeys = (provider: CloudNode["kind"]): CloudNodeArgs["sshKeyIds"] => {
    if (provider === "azure") return undefined;
    const keys =
      uploads.get(provider) ??
      new SshKeys(`${provider}-ssh`, { provider, publicKeys: [estate.access.deployKey], labels: { [LABEL_STACK]: stack } });
    uploads.set(provider, keys);
    return keys.ids;
  };
  for (const [name, node] of cloudNodes(estate)) {
    const args = { ...cloudNodeArgs(estate, stack, name, node, mesh, generations[name]), sshKeyIds: sharedKeys(node.kind) };
    outputs[name] = component(name, node.kind, args);
  }
  return outputs;
}

function component(name: string, kind: CloudNode["kind"], args: CloudNodeArgs): CloudNodeComponent {
  switch (kind) {
    case "hetzner":
      return new HetznerServer(name, args);
    case "digitalocean":
      return new DigitalOceanDroplet(name, args);
    case "azure":
      return new AzureVm(name, args);
  }
}
