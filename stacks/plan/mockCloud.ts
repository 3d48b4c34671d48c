/** Mocked outputs and invokes of the cloud, DNS and mesh providers (Hetzner, DigitalOcean, Azure, Cloudflare, Tailscale). */
import { createHash } from "node:crypto";
import type { MockCallResult } from "@pulumi/pulumi/runtime/mocks";
import type { StateFn } from "./mockState";

// Not mockProviders' stableNumber: that module imports this one, and a value import back would be circular.
function stableNumber(seed: string, range: number): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0) % range;
}

/** A stable host in an RFC 5737 documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). */
function docIpv4(range: "192.0.2" | "198.51.100" | "203.0.113", seed: string): string {
  return `${range}.${1 + stableNumber(seed, 254)}`;
}

/** A stable address in the RFC 3849 IPv6 documentation prefix. */
function docIpv6(seed: string): string {
  return `2001:db8:${stableNumber(seed, 0xffff).toString(16)}::1`;
}

export const cloudOutputs: Readonly<Record<string, StateFn>> = {
  "hcloud:index/server:Server": (_inputs, name) => ({ ipv4Address: docIpv4("203.0.113", `hcloud/${name}`), ipv6Address: docIpv6(`hcloud/${name}`) }),
  "digitalocean:index/droplet:Droplet": (_inputs, name) => ({
    ipv4Address: docIpv4("198.51.100", `do/${name}`),
    ipv6Address: docIpv6(`do/${name}`),
    ipv4AddressPrivate: `10.110.${stableNumber(`do/${name}`, 16)}.${2 + stableNumber(`do-host/${name}`, 250)}`,
  }),
  "azure-native:network:PublicIPAddress": (_inputs, name) => ({ ipAddress: docIpv4("192.0.2", `azure/${name}`) }),
  // azure-native auto-names resources from the Pulumi name; children reference the group and network by it.
  "azure-native:resources:ResourceGroup": (inputs, name) => ({ name: inputs.resourceGroupName ?? name }),
  "azure-native:network:VirtualNetwork": (inputs, name) => ({ name: inputs.virtualNetworkName ?? name }),
  "azure-native:compute:SshPublicKey": (inputs) => ({ publicKey: inputs.publicKey }),
  // An adopted VM keeps the NIC it has; Azure reports it in the VM's network profile.
  "azure-native:compute:VirtualMachine": (inputs, name) =>
    inputs.networkProfile ? {} : { networkProfile: { networkInterfaces: [{ id: `${azureGroupId(String(inputs.resourceGroupName))}/providers/Microsoft.Network/networkInterfaces/${name}-nic` }] } },
  "tailscale:index/tailnetKey:TailnetKey": (_inputs, name) => ({ key: `tskey-auth-mock${stableNumber(name, 1_000_000)}` }),
};

const MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

function azureGroupId(group: string): string {
  return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${group}`;
}

export const cloudCalls: Readonly<Record<string, (inputs: Record<string, unknown>) => MockCallResult>> = {
  "azure-native:network:getNetworkInterface": (inputs) => {
    const group = String(inputs.resourceGroupName);
    const nic = String(inputs.networkInterfaceName);
    return {
      name: nic,
      ipConfigurations: [{ privateIPAddress: "10.0.0.4", publicIPAddress: { id: `${azureGroupId(group)}/providers/Microsoft.Network/publicIPAddresses/${nic}-ip` } }],
    };
  },
  "azure-native:network:getPublicIPAddress": (inputs) => ({ ipAddress: docIpv4("192.0.2", `azure/${String(inputs.publicIpAddressName)}`) }),
  "cloudflare:index/getZone:getZone": (inputs) => {
    const filter = (inputs.filter ?? {}) as { name?: string };
    const name = filter.name ?? "example.com";
    const id = stableNumber(`zone/${name}`, 2 ** 31).toString(16).padStart(32, "0");
    return { id, zoneId: id, name, status: "active" };
  },
};
