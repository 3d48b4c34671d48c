/** Estate checks that compare addresses by arithmetic: admin networks as sets, bridges, gateways, the host's address. */
import { parseEstate } from "../stacks/estate/load";
import { validEstate, withValues } from "./fixtures/estate";

function problemsOf(changes: Array<readonly [string, unknown]>): string[] {
  const result = parseEstate(withValues(validEstate(), changes));
  return result.ok ? [] : result.problems;
}

const prod = ["environment", "prod"] as const;
const admin = (cidrs: string[]) => ["access.adminCidrs", cidrs] as const;

describe("admin networks as address sets", () => {
  it("fails when prefixes that together cover the IPv4 internet open SSH to everyone in prod", () => {
    expect(problemsOf([prod, admin(["0.0.0.0/1", "128.0.0.0/1"])])).toEqual([
      "hybridlab:access.adminCidrs: together 0.0.0.0/1, 128.0.0.0/1 cover the whole IPv4 internet, which opens SSH to everyone; in prod list your admin networks, or none to use the tailnet only",
    ]);
  });

  it("fails when the public ranges alone add up to the internet, private ranges left out", () => {
    // Everything but 10.0.0.0/8 and 192.168.0.0/16 is still every public address.
    const publicOnly = ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/9", "192.128.0.0/11", "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14", "192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4", "224.0.0.0/3"];
    expect(problemsOf([prod, admin(publicOnly)])).toEqual([expect.stringMatching(/^hybridlab:access\.adminCidrs: together 0\.0\.0\.0\/5, .* cover the whole IPv4 internet/)]);
  });

  it("fails ::/0 and a split IPv6 internet in prod", () => {
    expect(problemsOf([prod, admin(["2001:db8::/48", "::/0"])])).toEqual([
      "hybridlab:access.adminCidrs[1]: ::/0 opens SSH to the whole internet; in prod list your admin networks, or none to use the tailnet only",
    ]);
    expect(problemsOf([prod, admin(["2000::/4", "3000::/4"])])).toEqual([
      "hybridlab:access.adminCidrs: together 2000::/4, 3000::/4 cover the whole IPv6 internet, which opens SSH to everyone; in prod list your admin networks, or none to use the tailnet only",
    ]);
  });

  it("accepts IPv6 admin networks and several public prefixes that leave most of the internet out", () => {
    expect(problemsOf([prod, admin(["198.51.100.0/24", "203.0.113.0/25", "2001:db8:1234::/48"])])).toEqual([]);
  });

  it("lets dev open SSH to the world but still refuses host bits", () => {
    expect(problemsOf([admin(["0.0.0.0/0"])])).toEqual([]);
    expect(problemsOf([admin(["198.51.100.7/24", "2001:db8::1/64"])])).toEqual([
      "hybridlab:access.adminCidrs[0]: 198.51.100.7/24 has host bits set: write 198.51.100.0/24 for the network, or 198.51.100.7/32 for one address",
      "hybridlab:access.adminCidrs[1]: 2001:db8::1/64 has host bits set: write 2001:db8::/64 for the network, or 2001:db8::1/128 for one address",
    ]);
  });

  it("fails what is not a network, naming both families", () => {
    expect(problemsOf([admin(["198.51.100.0/33"])])).toEqual([
      'hybridlab:access.adminCidrs[0]: must be an IPv4 or IPv6 network with prefix such as 198.51.100.0/24 or 2001:db8::/48 (got "198.51.100.0/33")',
    ]);
  });
});

describe("bridges, gateways and the host", () => {
  it("fails bridges whose subnets overlap", () => {
    expect(problemsOf([["proxmox.home.bridges.vmbr1", { cidr: "192.168.0.0/16" }]])).toEqual([
      "hybridlab:proxmox.home.bridges.vmbr1.cidr: 192.168.0.0/16 overlaps vmbr0's subnet 192.168.1.0/24; each bridge needs a subnet of its own",
    ]);
    expect(problemsOf([["proxmox.home.bridges.vmbr1", { cidr: "192.168.2.0/24" }]])).toEqual([]);
  });

  it("fails a bridge gateway outside its subnet, or at its network or broadcast address", () => {
    expect(problemsOf([["proxmox.home.bridges.vmbr0.gateway", "192.168.2.1"]])).toEqual([
      "hybridlab:proxmox.home.bridges.vmbr0.gateway: 192.168.2.1 is not a usable host address in vmbr0's subnet 192.168.1.0/24",
    ]);
    expect(problemsOf([["proxmox.home.bridges.vmbr0.gateway", "192.168.1.255"]])).toEqual([
      "hybridlab:proxmox.home.bridges.vmbr0.gateway: 192.168.1.255 is not a usable host address in vmbr0's subnet 192.168.1.0/24",
    ]);
  });

  it("fails a guest that takes its Proxmox host's address", () => {
    expect(problemsOf([["nodes.minio.networks.0.address", "192.168.1.10/24"]])).toEqual([
      "hybridlab:nodes.minio.networks[0].address: 192.168.1.10 is the Proxmox host's own address (hybridlab:proxmox.home.endpoint https://192.168.1.10:8006/); pick another address",
    ]);
    expect(problemsOf([["proxmox.home.endpoint", "https://pve.lan:8006/"], ["nodes.minio.networks.0.address", "192.168.1.10/24"]])).toEqual([]);
    // A bridge written as the host's interface address names the host's address on that bridge.
    expect(problemsOf([["proxmox.home.endpoint", "https://pve.lan:8006/"], ["proxmox.home.bridges.vmbr0.cidr", "192.168.1.2/24"], ["nodes.minio.networks.0.address", "192.168.1.2/24"]])).toEqual([
      "hybridlab:nodes.minio.networks[0].address: 192.168.1.2 is the Proxmox host's own address on vmbr0 (hybridlab:proxmox.home.bridges.vmbr0.cidr 192.168.1.2/24); pick another address",
    ]);
  });
});
