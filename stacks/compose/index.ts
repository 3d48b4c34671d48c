/**
 * Wires components for a validated estate: the mesh first (every node's tailnet key), then the machines (Proxmox
 * guests and cloud nodes), then public DNS at the hub. Outputs are what an operator needs after `pulumi up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { publicApps } from "../derive/hostnames";
import type { Estate } from "../estate/schema";
import { composeCloud } from "./cloud";
import { composeDns } from "./dns";
import { composeMesh } from "./mesh";
import { composeProxmox, type GuestOutputs } from "./proxmox";

export interface CloudNodeSummary {
  publicIpv4: pulumi.Output<string>;
  tailnetHost: pulumi.Output<string>;
  sshTarget: pulumi.Output<string>;
}

export interface EstateOutputs {
  /** dev or prod, as the stack states it. */
  environment: string;
  /** Public URL of every app that has a hostname, by app name. */
  publicUrls: Record<string, string>;
  /** Each Proxmox guest's VMID, address and SSH target, by node name. */
  proxmoxGuests: Record<string, GuestOutputs>;
  /** Each cloud node's public IPv4, MagicDNS name and SSH target, by node name. */
  cloudNodes: Record<string, CloudNodeSummary>;
}

export function composeEstate(estate: Estate, stack: string): EstateOutputs {
  const mesh = composeMesh(estate, stack);
  const proxmoxGuests = composeProxmox(estate, stack, mesh);
  const cloud = composeCloud(estate, stack, mesh);
  const hub = Object.keys(cloud).find((name) => estate.nodes[name].role === "hub");
  if (hub) composeDns(estate, stack, cloud[hub].publicIpv4, cloud[hub].publicIpv6);
  return {
    environment: estate.environment,
    publicUrls: Object.fromEntries(publicApps(estate).map((p) => [p.app, p.url])),
    proxmoxGuests,
    cloudNodes: Object.fromEntries(
      Object.entries(cloud).map(([name, node]) => [name, { publicIpv4: node.publicIpv4, tailnetHost: node.tailnetHost, sshTarget: node.sshTarget }]),
    ),
  };
}
