/**
 * The tailnet policy file, derived from who talks to whom (connections.ts): each node may reach exactly the ports
 * its apps need on other nodes, admins may SSH to every node and reach every port an app publishes, and nothing
 * else is allowed. The policy carries its
 * own tests, so Tailscale rejects an update that would break a needed path or open an unneeded one.
 * https://tailscale.com/kb/1337/policy-syntax
 */
import type { TailnetAclRule, TailnetAclTest, TailnetPolicy } from "../../components/network/tailnetPolicy";
import type { Estate } from "../estate/schema";
import { appHostPorts } from "../catalog/apps";
import { crossHostConnections } from "./connections";

/** Tailnet admins (the people who run `pulumi up`): they own the tags and may SSH to every node. */
export const ADMINS = "autogroup:admin";
/** The tag every estate node carries. */
export const ESTATE_TAG = "hybridlab";

/** A node's tags without the "tag:" prefix (as `tailscale up --advertise-tags` and cloud-init take them). */
export function nodeTags(estate: Pick<Estate, "nodes">, node: string): string[] {
  const role = estate.nodes[node]?.role;
  if (role === undefined) throw new Error(`internal: unknown node "${node}"`);
  return [ESTATE_TAG, role, `node-${node}`];
}

const tag = (name: string): string => `tag:${name}`;
const nodeTag = (node: string): string => tag(`node-${node}`);
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** `tag:node-<node>:<port>` for every host port an app publishes. */
function appPorts(estate: Pick<Estate, "apps">): string[] {
  return Object.values(estate.apps).flatMap((app) => Object.values(appHostPorts(app)).map((port) => `${nodeTag(app.node)}:${port}`));
}

/** The policy for the estate: tag owners, one accept rule per source node plus the admins' rule, and tests. */
export function tailnetPolicy(estate: Pick<Estate, "nodes" | "apps">): TailnetPolicy {
  const nodes = Object.keys(estate.nodes).sort();
  const tags = sorted(nodes.flatMap((node) => nodeTags(estate, node)).map(tag));

  const allowed = new Map<string, Set<string>>();
  for (const edge of crossHostConnections(estate)) {
    const dsts = allowed.get(edge.fromNode) ?? new Set<string>();
    dsts.add(`${nodeTag(edge.toNode)}:${edge.port}`);
    allowed.set(edge.fromNode, dsts);
  }
  const isAllowed = (from: string, dst: string): boolean => allowed.get(from)?.has(dst) ?? false;
  const sources = [...allowed.keys()].sort();

  const acls: TailnetAclRule[] = [
    ...sources.map((from) => ({ action: "accept" as const, src: [nodeTag(from)], dst: sorted(allowed.get(from) ?? []) })),
    // Admins: SSH everywhere, and every port an app publishes (consoles and UIs without a public hostname).
    { action: "accept", src: [ADMINS], dst: sorted([`${tag(ESTATE_TAG)}:22`, ...appPorts(estate)]) },
  ];

  // Deny cases a needed rule could be widened into by mistake: the reverse of every edge, and SSH between nodes.
  const denied = new Map<string, Set<string>>();
  const deny = (from: string, dst: string) => {
    if (isAllowed(from, dst)) return;
    const set = denied.get(from) ?? new Set<string>();
    set.add(dst);
    denied.set(from, set);
  };
  for (const edge of crossHostConnections(estate)) {
    deny(edge.toNode, `${nodeTag(edge.fromNode)}:${edge.port}`);
    deny(edge.fromNode, `${nodeTag(edge.toNode)}:22`);
  }
  const tests: TailnetAclTest[] = sorted([...allowed.keys(), ...denied.keys()]).map((from) => {
    const accept = sorted(allowed.get(from) ?? []);
    const deny = sorted(denied.get(from) ?? []);
    return { src: nodeTag(from), ...(accept.length > 0 ? { accept } : {}), ...(deny.length > 0 ? { deny } : {}) };
  });

  return { tagOwners: Object.fromEntries(tags.map((t) => [t, [ADMINS]])), acls, tests };
}
