/**
 * Every node is bootstrapped, gets its operators and runs the host agents, so the program and the other nodes must
 * reach each one at an address known before it exists: its MagicDNS name on a tailnet, else a Proxmox guest's
 * static LAN address. What cannot be reached that way is refused here, with what to set, instead of waiting at
 * deploy time for a name that never resolves.
 */
import { knownHost } from "../../derive/addressing";
import { appSpecOf, exposureOf } from "../../catalog/apps";
import { crossHostConnections } from "../../derive/connections";
import { isCloudNode } from "../schema";
import type { EstateProblem, Rule } from "./problem";

/** An LXC template has no cloud-init: its bootstrap runs over SSH at its LAN address, tailnet or not. */
const lxcStaticAddress: Rule = (estate) =>
  Object.entries(estate.nodes).flatMap(([name, node]): EstateProblem[] =>
    node.kind === "proxmox-lxc" && node.networks.every((nic) => nic.address === "dhcp")
      ? [{ path: ["nodes", name, "networks"], message: "an LXC is bootstrapped over SSH at its LAN address (its template has no cloud-init), and with DHCP that address is unknown: give networks[0] a static address such as 192.168.1.50/24" }]
      : [],
  );

/**
 * Without a tailnet, names are addresses: a guest needs a static one, and a cloud node is reached only over SSH at a
 * public address known after it is created, so it must keep to itself: its apps, and the monitoring app watching
 * them, all on it (a single-VPS estate), talking over its Docker network.
 */
const reachableWithoutTailnet: Rule = (estate) => {
  // Spokes without a tailnet are already refused (topology.ts): one problem, not several.
  if (estate.tailnet || Object.values(estate.nodes).some((n) => n.role === "spoke")) return [];
  const problems: EstateProblem[] = [];
  const talksWith = new Map<string, string>();
  for (const c of crossHostConnections(estate)) {
    for (const node of [c.toNode, c.fromNode]) if (!talksWith.has(node)) talksWith.set(node, c.purpose);
  }
  for (const [name, node] of Object.entries(estate.nodes)) {
    if (node.kind === "proxmox-lxc") continue;
    if (node.kind === "proxmox-vm") {
      if (knownHost(estate, name) === undefined) {
        problems.push({ path: ["nodes", name, "networks"], message: "without hybridlab:tailnet the program reaches a guest (bootstrap, operators, Docker) and other nodes reach its apps and agents at its static LAN address, and with DHCP it has none: give networks[0] a static address such as 192.168.1.50/24, or set hybridlab:tailnet" });
      }
      continue;
    }
    if (isCloudNode(node) && estate.access.adminCidrs.length === 0) {
      problems.push({ path: ["nodes", name], message: "without hybridlab:tailnet the program reaches a cloud node over SSH at its public address, which its firewall opens only to access.adminCidrs, and none are set: set hybridlab:tailnet, or list your admin network in access.adminCidrs" });
    }
    const purpose = talksWith.get(name);
    if (purpose !== undefined) {
      problems.push({ path: ["nodes", name], message: `talks with other nodes (${purpose}), but without hybridlab:tailnet a cloud node has only a public address, known after it is created, its firewall opens no app or agent port and it cannot reach a LAN: set hybridlab:tailnet, or keep its apps and the apps they talk to (the proxy, the monitoring app) on it` });
    }
  }
  return problems;
};

/**
 * A catalog app's UI kept off the internet is reached over the tailnet; a cloud node without one opens no app port,
 * so nobody could reach it, and the app (Moodle, MLflow, Grafana) would be configured with a URL that does not exist.
 */
const privateUiWithoutTailnet: Rule = (estate) => {
  if (estate.tailnet) return [];
  return Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    const node = estate.nodes[app.node];
    if (node === undefined || !isCloudNode(node) || app.kind === "container") return [];
    if (appSpecOf(app).upstream === undefined || exposureOf(app) !== "tailnet") return [];
    return [{ path: ["apps", name], message: `its UI is kept off the internet, but nodes.${app.node} is a cloud node without hybridlab:tailnet, whose firewall opens no app port, so nobody could reach it: give it a hostname (with exposure sso, or public if it has its own login), or set hybridlab:tailnet` }];
  });
};

export const reachabilityRules: readonly Rule[] = [lxcStaticAddress, reachableWithoutTailnet, privateUiWithoutTailnet];
