/** The hub, recognised through every provider's way of attaching a firewall and an address to a machine. */
import {
  AZURE_NIC,
  AZURE_PUBLIC_IP,
  AZURE_SUBNET,
  DO_RESERVED_IP,
  DO_RESERVED_IP_ASSIGNMENT,
  HCLOUD_FIREWALL_ATTACHMENT,
  HCLOUD_FLOATING_IP,
  HCLOUD_PRIMARY_IP,
  matchesLabelSelector,
} from "../../policies/rules/attachments";
import { AZURE_VM, DROPLET, HCLOUD_SERVER } from "../../policies/rules/machines";
import { AZURE_NSG, AZURE_SECURITY_RULE, DNS_RECORD, DO_FIREWALL, HCLOUD_FIREWALL } from "../../policies/rules/network";
import { check, messages, resource } from "./support";

const labels = (role: string) => ({ "hybridlab-stack": "prod", "hybridlab-node": role, "hybridlab-role": role });
const hcloudServer = (name: string, role: string, propertyDependencies: Record<string, string[]> = {}) =>
  resource(HCLOUD_SERVER, name, { serverType: "cx23", labels: labels(role) }, { propertyDependencies });
const droplet = (name: string, role: string) => resource(DROPLET, name, { size: "s-1vcpu-1gb", tags: ["hybridlab", "stack-prod", `node-${name}`, `role-${role}`] });
const azureVm = (name: string, role: string, nic: string) => resource(AZURE_VM, name, { tags: labels(role) }, { propertyDependencies: { networkProfile: [nic] } });

const web = [
  { direction: "in", protocol: "tcp", port: "80", sourceIps: ["0.0.0.0/0"] },
  { direction: "in", protocol: "tcp", port: "443", sourceIps: ["0.0.0.0/0", "::/0"] },
];
const webMessage = (who: string, at = "rules") =>
  `${who} opens port 80 from 0.0.0.0/0 in ${at}[0], port 443 from 0.0.0.0/0 in ${at}[1], port 443 from ::/0 in ${at}[1]: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web`;

describe("web-ports-only-on-hub", () => {
  const fw = resource(HCLOUD_FIREWALL, "fw", { rules: web, labels: { "hybridlab-stack": "prod" } });

  test("follows a Hetzner server's firewallIds to the machine it protects", () => {
    expect(check("web-ports-only-on-hub", [fw, hcloudServer("hub", "hub", { firewallIds: [fw.urn] })])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [fw, hcloudServer("spoke", "spoke", { firewallIds: [fw.urn] })])).toEqual([webMessage("the firewall of spoke (not labelled as the hub)")]);
  });

  test("follows a Hetzner firewall's applyTos, by server and by label selector, and a FirewallAttachment", () => {
    const hub = hcloudServer("hub", "hub");
    const spoke = hcloudServer("spoke", "spoke");
    const bySelector = (selector: string) => resource(HCLOUD_FIREWALL, "fw", { rules: web, applyTos: [{ labelSelector: selector }] });
    expect(check("web-ports-only-on-hub", [bySelector("hybridlab-role=hub"), hub, spoke])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [bySelector("hybridlab-stack=prod"), hub, spoke])).toEqual([webMessage("the firewall of spoke (not labelled as the hub)")]);
    const byServer = resource(HCLOUD_FIREWALL, "fw", { rules: web, applyTos: [{ server: 1 }] }, { propertyDependencies: { applyTos: [spoke.urn] } });
    expect(messages("web-ports-only-on-hub", [byServer, hub, spoke])).toEqual([webMessage("the firewall of spoke (not labelled as the hub)")]);
    const attachment = resource(HCLOUD_FIREWALL_ATTACHMENT, "attach", { firewallId: 1, serverIds: [2] }, { propertyDependencies: { firewallId: [fw.urn], serverIds: [hub.urn] } });
    expect(check("web-ports-only-on-hub", [fw, attachment, hub, spoke])).toEqual([]);
  });

  test("follows a DigitalOcean firewall's dropletIds and tags", () => {
    const hub = droplet("hub", "hub");
    const spoke = droplet("spoke", "spoke");
    const byId = (target: string) => resource(DO_FIREWALL, "do-fw", { dropletIds: [1], inboundRules: web.map((r) => ({ protocol: "tcp", portRange: r.port, sourceAddresses: r.sourceIps })) }, { propertyDependencies: { dropletIds: [target] } });
    expect(check("web-ports-only-on-hub", [byId(hub.urn), hub, spoke])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [byId(spoke.urn), hub, spoke])).toEqual([webMessage("the firewall of spoke (not labelled as the hub)", "inboundRules")]);
    const byTags = (tags: string[]) => resource(DO_FIREWALL, "do-fw", { tags, inboundRules: [{ protocol: "tcp", portRange: "443", sourceAddresses: ["0.0.0.0/0"] }] });
    expect(check("web-ports-only-on-hub", [byTags(["role-hub"]), hub, spoke])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [byTags(["role-hub", "hybridlab"]), hub, spoke])).toEqual([
      "the firewall of spoke (not labelled as the hub) opens port 443 from 0.0.0.0/0 in inboundRules[0]: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web",
    ]);
  });

  test("follows an Azure NSG through its NIC or subnet to the VM, and a standalone rule to its NSG", () => {
    const azureWeb = [80, 443].map((port, i) => ({ direction: "Inbound", access: "Allow", protocol: "Tcp", destinationPortRange: String(port), sourceAddressPrefix: "Internet", priority: 100 + i }));
    const nsg = resource(AZURE_NSG, "nsg", { securityRules: azureWeb });
    const nic = resource(AZURE_NIC, "nic", {}, { propertyDependencies: { networkSecurityGroup: [nsg.urn] } });
    expect(check("web-ports-only-on-hub", [nsg, nic, azureVm("hub", "hub", nic.urn)])).toEqual([]);
    const subnet = resource(AZURE_SUBNET, "subnet", {}, { propertyDependencies: { networkSecurityGroup: [nsg.urn] } });
    const spokeNic = resource(AZURE_NIC, "spoke-nic", {}, { propertyDependencies: { ipConfigurations: [subnet.urn] } });
    expect(messages("web-ports-only-on-hub", [nsg, subnet, spokeNic, azureVm("spoke", "spoke", spokeNic.urn)])).toEqual([
      "the firewall of spoke (not labelled as the hub) opens port 80 from Internet in securityRules[0], port 443 from Internet in securityRules[1]: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web",
    ]);
    const rule = resource(AZURE_SECURITY_RULE, "https", { ...azureWeb[1], networkSecurityGroupName: "nsg" }, { propertyDependencies: { networkSecurityGroupName: [nsg.urn] } });
    expect(check("web-ports-only-on-hub", [nsg, rule, nic, azureVm("hub", "hub", nic.urn)])).toEqual([]);
  });

  test("judges a firewall attached to no machine of the stack by its own hub marker", () => {
    expect(check("web-ports-only-on-hub", [resource(HCLOUD_FIREWALL, "fw", { rules: web, labels: labels("hub") })])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [fw])).toEqual([webMessage("a firewall attached to no hub machine")]);
  });

  test("matches Hetzner label selectors as the API does", () => {
    const l = { "hybridlab-role": "hub", env: "prod" };
    expect(["hybridlab-role=hub", "hybridlab-role==hub,env", "env in (dev,prod)", "!legacy", "env!=dev", "env notin (dev)"].map((s) => matchesLabelSelector(s, l))).toEqual([true, true, true, true, true, true]);
    expect(["hybridlab-role=spoke", "legacy", "env in (dev)", "!env", ""].map((s) => matchesLabelSelector(s, l))).toEqual([false, false, false, false, false]);
  });
});

describe("dns-records-point-at-hub", () => {
  const record = (name: string, type: string, content: string, extras: { content?: string[]; dependsOn?: string[] } = {}) =>
    resource(DNS_RECORD, name, { name, type, content, ttl: 300, zoneId: "zone" }, { dependsOn: extras.dependsOn, propertyDependencies: extras.content ? { content: extras.content } : {} });

  test("accepts records whose content comes from the hub machine, and a CNAME to one", () => {
    const hub = hcloudServer("hub", "hub");
    const records = [record("learn.example.com", "A", "203.0.113.10", { content: [hub.urn] }), record("www.example.com", "CNAME", "learn.example.com.")];
    expect(check("dns-records-point-at-hub", [hub, ...records])).toEqual([]);
  });

  test("accepts the hub's reserved, primary, floating and public IPs, and fails one assigned to a spoke", () => {
    const hub = droplet("hub", "hub");
    const spoke = droplet("spoke", "spoke");
    const reserved = resource(DO_RESERVED_IP, "hub-ip", { region: "fra1" });
    const assignment = resource(DO_RESERVED_IP_ASSIGNMENT, "hub-ip-assignment", { ipAddress: "x", dropletId: 1 }, { propertyDependencies: { ipAddress: [reserved.urn], dropletId: [hub.urn] } });
    const spokeIp = resource(DO_RESERVED_IP, "spoke-ip", { region: "fra1", dropletId: 2 }, { propertyDependencies: { dropletId: [spoke.urn] } });
    const server = hcloudServer("hcloud-hub", "hub");
    const primary = resource(HCLOUD_PRIMARY_IP, "primary", { type: "ipv4", assigneeType: "server", assigneeId: 3 }, { propertyDependencies: { assigneeId: [server.urn] } });
    const floating = resource(HCLOUD_FLOATING_IP, "floating", { type: "ipv6", serverId: 3 }, { propertyDependencies: { serverId: [server.urn] } });
    const publicIp = resource(AZURE_PUBLIC_IP, "pip", {});
    const nic = resource(AZURE_NIC, "nic", {}, { propertyDependencies: { ipConfigurations: [publicIp.urn] } });
    const vm = azureVm("az-hub", "hub", nic.urn);
    const resources = [hub, spoke, reserved, assignment, spokeIp, server, primary, floating, publicIp, nic, vm];
    const records = [
      record("a.example.com", "A", "x", { content: [reserved.urn] }),
      record("b.example.com", "A", "x", { content: [primary.urn] }),
      record("c.example.com", "AAAA", "x", { content: [floating.urn] }),
      record("d.example.com", "A", "x", { content: [publicIp.urn] }),
    ];
    expect(check("dns-records-point-at-hub", [...resources, ...records])).toEqual([]);
    expect(messages("dns-records-point-at-hub", [...resources, record("e.example.com", "A", "x", { content: [spokeIp.urn] })])).toEqual([
      "A record e.example.com takes its address from spoke-ip, not from the hub (labelled hybridlab-role: hub) or an IP assigned to it",
    ]);
  });

  test("fails a typed-in address even when the record depends on the hub, unless it is the hub's known address", () => {
    const hub = resource(HCLOUD_SERVER, "hub", { serverType: "cx23", labels: labels("hub"), ipv4Address: "203.0.113.10" });
    const typed = record("typed.example.com", "A", "198.51.100.20", { dependsOn: [hub.urn] });
    expect(messages("dns-records-point-at-hub", [hub, typed])).toEqual([
      "A record typed.example.com holds 198.51.100.20, which is not an address of the hub (labelled hybridlab-role: hub, or stated as a Proxmox hub's publicAddress)",
    ]);
    expect(check("dns-records-point-at-hub", [hub, record("same.example.com", "A", "203.0.113.10")])).toEqual([]);
  });

  test("passes a typed-in address the estate states for a Proxmox hub, and only that one", () => {
    const config = { "dns-records-point-at-hub": { statedHubAddresses: ["203.0.113.20", "2001:db8::20"] } };
    const records = [record("a.example.com", "A", "203.0.113.20"), record("a.example.com", "AAAA", "2001:db8::20"), record("b.example.com", "A", "203.0.113.21")];
    expect(messages("dns-records-point-at-hub", records, { config })).toEqual([
      "A record b.example.com holds 203.0.113.21, which is not an address of the hub (labelled hybridlab-role: hub, or stated as a Proxmox hub's publicAddress)",
    ]);
  });

  test("fails a CNAME that points elsewhere", () => {
    expect(messages("dns-records-point-at-hub", [record("www.example.com", "CNAME", "elsewhere.example.net")])).toEqual([
      "CNAME www.example.com points at elsewhere.example.net, which is not a record of the hub",
    ]);
  });
});
