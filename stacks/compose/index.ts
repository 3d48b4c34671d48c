/**
 * Wires components for a validated estate: the mesh first (every node's tailnet key), then the machines (Proxmox
 * guests and cloud nodes), public DNS at the hub, and the container platform on every node that runs apps.
 * Outputs are what an operator needs after `pulumi up`; only `adminLogins` is a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { tailnetHost } from "../derive/addressing";
import { hostForwarding, publicEdge, type HostForwarding } from "../derive/edge";
import { isProxmoxGuest, type Estate } from "../estate/schema";
import { composeApps, type AppHostMachine, type AppOutputs } from "./apps";
import { composeCloud, type CloudNodeComponent } from "./cloud";
import { composeDns } from "./dns";
import { composeGenerations } from "./generation";
import { composeMesh } from "./mesh";
import { composeProxmox } from "./proxmox";

export interface GuestSummary {
  vmId: pulumi.Output<number>;
  address: pulumi.Output<string>;
  sshTarget: pulumi.Output<string>;
  /** The guest's MagicDNS name (the way the hub and the Docker provider reach it); absent without a tailnet. */
  tailnetHost?: string;
}

export interface CloudNodeSummary {
  publicIpv4: pulumi.Output<string>;
  tailnetHost: pulumi.Output<string | undefined>;
  sshTarget: pulumi.Output<string>;
}

export interface EstateOutputs {
  /** dev or prod, as the stack states it. */
  environment: string;
  /** Public URL of every app that has a hostname, by app name. */
  publicUrls: Record<string, string>;
  /** Each Proxmox guest's VMID, address and SSH target, by node name. */
  proxmoxGuests: Record<string, GuestSummary>;
  /** Each cloud node's public IPv4, MagicDNS name and SSH target, by node name. */
  cloudNodes: Record<string, CloudNodeSummary>;
  /** Docker endpoint (ssh://user@host) of every node that runs apps. */
  dockerHosts: Record<string, pulumi.Output<string>>;
  /** Where each app runs and how to reach it. */
  apps: Record<string, AppOutputs>;
  /** Each generated administrator login (user, password), by app: secret, `pulumi stack output adminLogins --show-secrets`. */
  adminLogins: Record<string, pulumi.Output<{ user: string; password: string }>>;
  /**
   * Only for a hub that is a Proxmox guest reached through its host's public address: what the operator forwards
   * (DNAT) on the Proxmox host, which the program does not manage.
   */
  hostForwarding?: HostForwarding;
}

export function composeEstate(estate: Estate, stack: string): EstateOutputs {
  const generations = composeGenerations(estate);
  const mesh = composeMesh(estate, stack, generations);
  const guests = composeProxmox(estate, stack, mesh, generations);
  const cloud = composeCloud(estate, stack, mesh, generations);
  const hub = hubAddresses(estate, cloud);
  // AAAA records exactly when the edge serves IPv6 (edge.ts), so DNS and the proxy's bindings agree.
  const edgeIpv6 = publicEdge(estate)?.families.includes("ipv6") === true;
  if (edgeIpv6 && hub && hub.ipv6 === undefined) throw new Error(`composeEstate: internal: the edge serves IPv6 but nodes.${hub.node} has no public IPv6 address`);
  const dns = hub && composeDns(estate, stack, hub.ipv4, edgeIpv6 ? hub.ipv6 : undefined);
  const forwarding = hostForwarding(estate);

  const hosts: Record<string, AppHostMachine> = {};
  for (const [name, guest] of Object.entries(guests)) {
    const kind = estate.nodes[name].kind;
    // An LXC template has no cloud-init: its bootstrap script joins the tailnet itself.
    const authKey = mesh.authKeys[name];
    const tailscale = kind === "proxmox-lxc" && authKey ? { tailscale: { authKey, tags: mesh.tags[name] ?? [] } } : {};
    hosts[name] = { dependsOn: guest, kind, machineId: guest.machineId, generation: generations[name].hex, ...tailscale };
  }
  for (const [name, node] of Object.entries(cloud)) {
    hosts[name] = { dependsOn: node, kind: estate.nodes[name].kind, machineId: node.machineId, generation: generations[name].hex, publicIpv4: node.publicIpv4 };
  }
  const platform = composeApps(estate, stack, hosts, dns);

  return {
    environment: estate.environment,
    publicUrls: Object.fromEntries(Object.entries(platform.apps).flatMap(([name, app]) => (app.url ? [[name, app.url]] : []))),
    proxmoxGuests: Object.fromEntries(Object.entries(guests).map(([name, g]) => [name, { vmId: g.vmId, address: g.address, sshTarget: g.sshTarget, ...(estate.tailnet ? { tailnetHost: tailnetHost(estate, name) } : {}) }])),
    cloudNodes: Object.fromEntries(Object.entries(cloud).map(([name, n]) => [name, { publicIpv4: n.publicIpv4, tailnetHost: n.tailnetHost, sshTarget: n.sshTarget }])),
    dockerHosts: platform.dockerHosts,
    apps: platform.apps,
    adminLogins: platform.adminLogins,
    ...(forwarding ? { hostForwarding: forwarding } : {}),
  };
}

/**
 * The hub's public addresses, which DNS points at: a cloud hub's as its provider reports them, a Proxmox guest's as
 * the estate states them (Proxmox cannot report an address the host forwards). Undefined without a hub.
 */
function hubAddresses(estate: Estate, cloud: Readonly<Record<string, CloudNodeComponent>>): { node: string; ipv4: pulumi.Output<string>; ipv6?: pulumi.Output<string | undefined> } | undefined {
  const node = Object.keys(estate.nodes).find((name) => estate.nodes[name].role === "hub");
  if (node === undefined) return undefined;
  const spec = estate.nodes[node];
  if (isProxmoxGuest(spec)) {
    const stated = spec.publicAddress;
    if (stated === undefined) return undefined;
    return { node, ipv4: pulumi.output(stated.ipv4), ...(stated.ipv6 === undefined ? {} : { ipv6: pulumi.output(stated.ipv6) }) };
  }
  const machine = cloud[node];
  return { node, ipv4: machine.publicIpv4, ...("publicIpv6" in machine ? { ipv6: machine.publicIpv6 } : {}) };
}
