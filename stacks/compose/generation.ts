/**
 * Each node's generation: a random id kept in state that changes exactly when the node's machine is rebuilt, by a
 * change of what it is built from (a move to another cloud, a new region or image) or on purpose
 * (`pulumi up --replace <its URN>`). The node's tailnet key, first-boot user data, bootstrap, operator sync and
 * containers all follow it, so a rebuilt machine joins with a fresh key and gets everything again.
 */
import * as random from "@pulumi/random";
import type * as pulumi from "@pulumi/pulumi";
import { machineIdentity } from "../derive/bootstrap";
import type { Estate } from "../estate/schema";

export interface NodeGeneration {
  /** The resource, for machines that must be rebuilt with it (`replaceWith`). */
  readonly resource: random.RandomId;
  /** Eight hex digits. */
  readonly hex: pulumi.Output<string>;
}

/** The generation resource's name for a node (its URN ends in `::<node>-generation`). */
export function generationName(node: string): string {
  return `${node}-generation`;
}

export function composeGenerations(estate: Pick<Estate, "nodes">): Record<string, NodeGeneration> {
  return Object.fromEntries(
    Object.keys(estate.nodes)
      .sort()
      .map((node) => {
        const resource = new random.RandomId(generationName(node), { byteLength: 4, keepers: machineIdentity(estate, node) });
        return [node, { resource, hex: resource.hex }];
      }),
  );
}
