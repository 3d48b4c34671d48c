/**
 * The tailnet policy file, derived from who talks to whom (connections.ts): each node may reach exactly the ports
 * its apps need on other nodes, admins may SSH to every node and reach every port an app publishes, and nothing
 * else is allowed. The policy carries its
 * own tests, so Tailscale rejects an update that would break a needed path or open an unneeded one.
 * https://tailscale.com/kb/1337/policy-syntax
 */
import type { TailnetAclRule, TailnetAclTest, TailnetPolicy } from "../../components/network/tailnetPolicy";
import type { Estate } from "../estate/schema";
import { appHostPorts, appSpecOf, exposureOf } from "../catalog/apps";
import { remoteWorkerGroups } from "../catalog/workers";
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

/**
 * `tag:node-<node>:<port>` for every host port an app publishes on the tailnet (not those bound to the LAN only),
 * its workers' on other nodes included.
 */
function appPorts(estate: Pick<Estate, "apps">): string[] {
  return Object.values(estate.apps).flatMap((app) => {
    const spec = appSpecOf(app);
    const lanOnly = spec.lanOnly ?? [];
    return [
      ...Object.entries(appHostPorts(app))
        .filter(([name]) => !lanOnly.includes(name))
        .map(([, port]) => `${nodeTag(app.node)}:${port}`),
      ...remoteWorkerGroups(app).flatMap((group) => Object.values(spec.remoteWorker?.ports ?? {}).map((port) => `${nodeTag(group.node)}:${port}`)),
    ];
  });
}

/** The people rules: one per tailnet app that `allow`s someone (its upstream port) and one per group with SSH. */
function peopleRules(estate: Pick<Estate, "nodes" | "apps" | "tailnet" | "proxmox">): Array<TailnetAclRule & { readonly denied: readonly string[] }> {
  const rules: Array<TailnetAclRule & { readonly denied: readonly string[] }> = [];
  for (const name of Object.keys(estate.apps).sort()) {
    const app = estate.apps[name];
    const upstream = appSpecOf(app).upstream;
    if (exposureOf(app) !== "tailnet" || app.allow.length === 0 || upstream === undefined) continue;
    // What a granted person still must not reach: SSH on the app's node, unless a group grants it.
    rules.push({ action: "accept", src: sorted(app.allow), dst: [`${nodeTag(app.node)}:${appHostPorts(app)[upstream]}`], denied: [`${nodeTag(app.node)}:22`] });
  }
  for (const [group, spec] of Object.entries(estate.tailnet?.groups ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (spec.ssh.length > 0) rules.push({ action: "accept", src: [`group:${group}`], dst: sorted(spec.ssh.map((node) => `${nodeTag(node)}:22`)), denied: [] });
  }
  return rules;
}

/**
 * The policy for the estate: groups, tag owners, one accept rule per source node, the people's rules and the admins'
 * rule, and tests. Tag owners let either kind of credential mint the nodes' keys: with an API key the key's user
 * (an admin) must own the tags; with an OAuth client, keys may carry only the client's own tags or tags those own
 * (https://tailscale.com/kb/1215/oauth-clients#registering-new-nodes-using-oauth-credentials). So `tag:hybridlab`
 * is owned by the admins and owns every other estate tag: create the OAuth client with the tag `tag:hybridlab`.
 */
export function tailnetPolicy(estate: Pick<Estate, "nodes" | "apps" | "tailnet" | "proxmox">): TailnetPolicy {
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

  const people = peopleRules(estate);
  const acls: TailnetAclRule[] = [
    ...sources.map((from) => ({ action: "accept" as const, src: [nodeTag(from)], dst: sorted(allowed.get(from) ?? []) })),
    ...people.map(({ action, src, dst }) => ({ action, src, dst })),
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

  const groups = estate.tailnet?.groups ?? {};
  const peopleTests = personTests(estate, people);
  return {
    ...(Object.keys(groups).length > 0 ? { groups: Object.fromEntries(Object.keys(groups).sort().map((g) => [`group:${g}`, sorted(groups[g].members)])) } : {}),
    tagOwners: Object.fromEntries(tags.map((t) => [t, t === tag(ESTATE_TAG) ? [ADMINS] : [ADMINS, tag(ESTATE_TAG)]])),
    acls,
    tests: [...tests, ...peopleTests],
  };
}

/**
 * One test per person (each named user, and each group member): what their rules grant must be reachable, and SSH to
 * an app's node they were not granted, and every tailnet app port nobody granted them, must not be.
 */
function personTests(estate: Pick<Estate, "apps" | "tailnet">, people: ReadonlyArray<TailnetAclRule & { readonly denied: readonly string[] }>): TailnetAclTest[] {
  const members = (principal: string): string[] =>
    principal.startsWith("group:") ? [...(estate.tailnet?.groups?.[principal.slice("group:".length)]?.members ?? [])] : [principal];
  const granted = new Map<string, Set<string>>();
  const guarded = new Set<string>();
  for (const rule of people) {
    for (const person of rule.src.flatMap(members)) {
      const set = granted.get(person) ?? new Set<string>();
      rule.dst.forEach((d) => set.add(d));
      granted.set(person, set);
    }
    [...rule.dst, ...rule.denied].forEach((d) => guarded.add(d));
  }
  return [...granted.keys()].sort().map((person) => {
    const accept = sorted(granted.get(person) ?? []);
    const deny = sorted([...guarded].filter((d) => !accept.includes(d)));
    return { src: person, accept, ...(deny.length > 0 ? { deny } : {}) };
  });
}
