import { AZURE_NSG, AZURE_SECURITY_RULE, DO_FIREWALL, HCLOUD_FIREWALL } from "../../policies/rules/network";
import { check, messages, resource } from "./support";

const spokeLabels = { "hybridlab-stack": "prod", "hybridlab-node": "spoke", "hybridlab-role": "spoke" };

const hcloud = (rules: object[], labels: object = spokeLabels) => resource(HCLOUD_FIREWALL, "fw", { rules, labels });
const inTcp = (port: string, sourceIps: string[]) => ({ direction: "in", protocol: "tcp", port, sourceIps });
const azureRule = (fields: object) => ({ direction: "Inbound", access: "Allow", protocol: "Tcp", ...fields });
const nsg = (securityRules: object[]) => resource(AZURE_NSG, "nsg", { securityRules });

describe("firewall rules", () => {
  // Violations come sorted by URN: azure-native before digitalocean before hcloud.
  test("no-ssh-from-internet fails SSH from anywhere in Hetzner, DigitalOcean and Azure rules", () => {
    const found = messages("no-ssh-from-internet", [
      hcloud([inTcp("22", ["0.0.0.0/0", "::/0"])]),
      resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "tcp", portRange: "1-1024", sourceAddresses: ["0.0.0.0/0"] }] }),
      nsg([azureRule({ destinationPortRange: "22", sourceAddressPrefix: "*", priority: 100 })]),
    ]);
    expect(found).toEqual([
      "SSH (port 22) is open to the internet (* in securityRules[0]): reach it over the tailnet or from an admin CIDR",
      "SSH (port 22) is open to the internet (0.0.0.0/0 in inboundRules[0]): reach it over the tailnet or from an admin CIDR",
      "SSH (port 22) is open to the internet (0.0.0.0/0 in rules[0], ::/0 in rules[0]): reach it over the tailnet or from an admin CIDR",
    ]);
  });

  test("no-ssh-from-internet fails prefixes that add up to the internet, in one rule or several", () => {
    expect(messages("no-ssh-from-internet", [hcloud([inTcp("22", ["0.0.0.0/1"]), inTcp("20-25", ["128.0.0.0/1"])])])).toEqual([
      "SSH (port 22) is open to the internet (0.0.0.0/1 in rules[0], 128.0.0.0/1 in rules[1]): reach it over the tailnet or from an admin CIDR",
    ]);
    // Every public IPv6 address (2000::/3) is the IPv6 internet; the private ranges add nothing.
    expect(messages("no-ssh-from-internet", [hcloud([inTcp("22", ["2000::/4", "3000::/4", "10.0.0.0/8"])])])).toEqual([
      "SSH (port 22) is open to the internet (2000::/4 in rules[0], 3000::/4 in rules[0]): reach it over the tailnet or from an admin CIDR",
    ]);
    expect(check("no-ssh-from-internet", [hcloud([inTcp("22", ["0.0.0.0/1"])])])).toEqual([]);
  });

  test("no-ssh-from-internet reads every port spelling: ranges, *, 0-65535 and DigitalOcean's 0", () => {
    const azure = nsg([azureRule({ destinationPortRanges: ["20-30"], sourceAddressPrefix: "Internet", priority: 100 }), azureRule({ destinationPortRange: "0-65535", sourceAddressPrefixes: ["::/0"], priority: 110 })]);
    expect(messages("no-ssh-from-internet", [azure])).toEqual([
      "SSH (port 22) is open to the internet (Internet in securityRules[0], ::/0 in securityRules[1]): reach it over the tailnet or from an admin CIDR",
    ]);
    const droplet = resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "tcp", portRange: "0", sourceAddresses: ["0.0.0.0/0"] }] });
    expect(messages("no-ssh-from-internet", [droplet])).toEqual([
      "SSH (port 22) is open to the internet (0.0.0.0/0 in inboundRules[0]): reach it over the tailnet or from an admin CIDR",
    ]);
  });

  test("no-ssh-from-internet accepts an admin CIDR, outbound rules, Azure deny rules and service tags", () => {
    const ok = [
      hcloud([inTcp("22", ["198.51.100.0/24"]), { direction: "out", protocol: "tcp", port: "22", destinationIps: ["0.0.0.0/0"] }]),
      resource(AZURE_SECURITY_RULE, "deny-ssh", { access: "Deny", direction: "Inbound", protocol: "*", destinationPortRange: "22", sourceAddressPrefix: "Internet" }),
      nsg([
        azureRule({ destinationPortRange: "22", sourceAddressPrefix: "VirtualNetwork", priority: 100 }),
        azureRule({ destinationPortRange: "*", sourceAddressPrefix: "AzureLoadBalancer", priority: 110 }),
      ]),
    ];
    expect(check("no-ssh-from-internet", ok)).toEqual([]);
  });

  test("an Azure deny rule closes what it covers only when its priority comes first", () => {
    const deny = azureRule({ access: "Deny", protocol: "*", destinationPortRange: "*", sourceAddressPrefix: "Internet" });
    const allow = azureRule({ destinationPortRange: "22", sourceAddressPrefix: "*" });
    expect(check("no-ssh-from-internet", [nsg([{ ...deny, priority: 100 }, { ...allow, priority: 200 }])])).toEqual([]);
    expect(messages("no-ssh-from-internet", [nsg([{ ...deny, priority: 300 }, { ...allow, priority: 200 }])])).toEqual([
      "SSH (port 22) is open to the internet (* in securityRules[1]): reach it over the tailnet or from an admin CIDR",
    ]);
    // A deny of half the internet leaves the other half open: no longer "the internet", but not admin networks.
    const half = nsg([{ ...deny, sourceAddressPrefix: "0.0.0.0/1", priority: 100 }, { ...allow, sourceAddressPrefix: "0.0.0.0/0", priority: 200 }]);
    expect(check("no-ssh-from-internet", [half])).toEqual([]);
    expect(messages("ssh-only-from-admin-cidrs", [half])).toEqual(["SSH is open to 0.0.0.0/0 in securityRules[1], outside the admin CIDRs (none: SSH only over the tailnet)"]);
  });

  test("a rule without a port field opens every port, as each provider reads it; one without sources opens nothing", () => {
    const found = messages("no-all-ports-from-internet", [
      hcloud([{ direction: "in", protocol: "tcp", sourceIps: ["0.0.0.0/0"] }]),
      resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "udp", sourceAddresses: ["0.0.0.0/0"] }] }),
      nsg([azureRule({ sourceAddressPrefix: "Internet", priority: 100 })]),
    ]);
    expect(found).toEqual([
      "all ports are open to the internet (Internet in securityRules[0]): open only the ports a node serves",
      "all ports are open to the internet (0.0.0.0/0 in inboundRules[0]): open only the ports a node serves",
      "all ports are open to the internet (0.0.0.0/0 in rules[0]): open only the ports a node serves",
    ]);
    expect(check("no-all-ports-from-internet", [hcloud([{ direction: "in", protocol: "tcp", port: "any" }]), nsg([azureRule({ priority: 100 })])])).toEqual([]);
  });

  test("no-rdp-from-internet fails RDP open to the world on a standalone Azure rule", () => {
    const rule = resource(AZURE_SECURITY_RULE, "rdp", { access: "Allow", direction: "Inbound", protocol: "Tcp", destinationPortRanges: ["3389"], sourceAddressPrefix: "Internet" });
    expect(messages("no-rdp-from-internet", [rule])).toEqual([
      "RDP (port 3389) is open to the internet (Internet in the rule): reach it over the tailnet or from an admin CIDR",
    ]);
    expect(check("no-rdp-from-internet", [hcloud([inTcp("3389", ["10.0.0.0/8"])])])).toEqual([]);
  });

  test("no-database-ports-from-internet fails PostgreSQL open to the world and follows configured ports", () => {
    const fw = hcloud([inTcp("5432", ["0.0.0.0/0"]), inTcp("9000", ["0.0.0.0/0"])]);
    expect(messages("no-database-ports-from-internet", [fw])).toEqual([
      "database port 5432 is open to the internet (0.0.0.0/0 in rules[0]): databases are reached over the tailnet",
    ]);
    expect(messages("no-database-ports-from-internet", [fw], { config: { "no-database-ports-from-internet": { ports: [9000] } } })).toEqual([
      "database port 9000 is open to the internet (0.0.0.0/0 in rules[1]): databases are reached over the tailnet",
    ]);
  });

  test("ssh-only-from-admin-cidrs fails public sources outside the admin CIDRs, compared as address sets", () => {
    const fw = hcloud([inTcp("22", ["198.51.100.7/32", "203.0.113.0/24", "100.64.0.0/10", "0.0.0.0/0"])]);
    const config = { "ssh-only-from-admin-cidrs": { adminCidrs: ["198.51.100.0/24"] } };
    expect(messages("ssh-only-from-admin-cidrs", [fw], { config })).toEqual([
      "SSH is open to 203.0.113.0/24 in rules[0], outside the admin CIDRs (198.51.100.0/24)",
    ]);
    expect(messages("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.7/32"])])])).toEqual([
      "SSH is open to 198.51.100.7/32 in rules[0], outside the admin CIDRs (none: SSH only over the tailnet)",
    ]);
    expect(check("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.7/32"])])], { config })).toEqual([]);
    // Two admin networks that together hold a wider source, and an IPv6 one.
    const split = { "ssh-only-from-admin-cidrs": { adminCidrs: ["198.51.100.0/25", "198.51.100.128/25", "2001:db8::/32"] } };
    expect(check("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.0/24", "2001:db8:1::/48"])])], { config: split })).toEqual([]);
    expect(messages("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.0/23"])])], { config: split })).toEqual([
      "SSH is open to 198.51.100.0/23 in rules[0], outside the admin CIDRs (198.51.100.0/25, 198.51.100.128/25, 2001:db8::/32)",
    ]);
  });

  test("no-all-ports-from-internet fails any/all/0-65535 and ranges that add up to every port, not ICMP", () => {
    const fw = hcloud([{ direction: "in", protocol: "tcp", port: "any", sourceIps: ["0.0.0.0/0"] }, { direction: "in", protocol: "icmp", sourceIps: ["0.0.0.0/0"] }]);
    const droplet = resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "udp", portRange: "all", sourceAddresses: ["::/0"] }] });
    const azure = nsg([
      azureRule({ destinationPortRanges: ["1-32767"], sourceAddressPrefix: "*", priority: 100 }),
      azureRule({ destinationPortRange: "32768-65535", sourceAddressPrefix: "Internet", priority: 110 }),
    ]);
    expect(messages("no-all-ports-from-internet", [fw, droplet, azure])).toEqual([
      "all ports are open to the internet (* in securityRules[0], Internet in securityRules[1]): open only the ports a node serves",
      "all ports are open to the internet (::/0 in inboundRules[0]): open only the ports a node serves",
      "all ports are open to the internet (0.0.0.0/0 in rules[0]): open only the ports a node serves",
    ]);
    expect(check("no-all-ports-from-internet", [hcloud([inTcp("443", ["0.0.0.0/0"]), inTcp("1-65535", ["10.0.0.0/8"])])])).toEqual([]);
  });
});
