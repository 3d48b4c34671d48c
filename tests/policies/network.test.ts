import { AZURE_NSG, AZURE_SECURITY_RULE, DNS_RECORD, DO_FIREWALL, HCLOUD_FIREWALL, parseHuJson, TAILSCALE_ACL } from "../../policies/rules/network";
import { check, messages, resource, urnOf } from "./support";

const hubLabels = { "hybridlab-stack": "prod", "hybridlab-node": "hub", "hybridlab-role": "hub" };
const spokeLabels = { "hybridlab-stack": "prod", "hybridlab-node": "spoke", "hybridlab-role": "spoke" };

const hcloud = (rules: object[], labels: object = spokeLabels) => resource(HCLOUD_FIREWALL, "fw", { rules, labels });
const inTcp = (port: string, sourceIps: string[]) => ({ direction: "in", protocol: "tcp", port, sourceIps });

describe("firewall rules", () => {
  // Violations come sorted by URN: azure-native before digitalocean before hcloud.
  test("no-ssh-from-internet fails SSH from anywhere in Hetzner, DigitalOcean and Azure rules", () => {
    const found = messages("no-ssh-from-internet", [
      hcloud([inTcp("22", ["0.0.0.0/0", "::/0"])]),
      resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "tcp", portRange: "1-1024", sourceAddresses: ["0.0.0.0/0"] }] }),
      resource(AZURE_NSG, "nsg", {
        securityRules: [{ access: "Allow", direction: "Inbound", protocol: "Tcp", destinationPortRange: "22", sourceAddressPrefix: "*", priority: 100 }],
      }),
    ]);
    expect(found).toEqual([
      "SSH (port 22) is open to the internet (* in securityRules[0]): reach it over the tailnet or from an admin CIDR",
      "SSH (port 22) is open to the internet (0.0.0.0/0 in inboundRules[0]): reach it over the tailnet or from an admin CIDR",
      "SSH (port 22) is open to the internet (0.0.0.0/0 in rules[0], ::/0 in rules[0]): reach it over the tailnet or from an admin CIDR",
    ]);
  });

  test("no-ssh-from-internet accepts SSH from an admin CIDR, outbound rules and Azure deny rules", () => {
    const ok = [
      hcloud([inTcp("22", ["198.51.100.0/24"]), { direction: "out", protocol: "tcp", port: "22", destinationIps: ["0.0.0.0/0"] }]),
      resource(AZURE_SECURITY_RULE, "deny-ssh", { access: "Deny", direction: "Inbound", protocol: "*", destinationPortRange: "22", sourceAddressPrefix: "Internet" }),
    ];
    expect(check("no-ssh-from-internet", ok)).toEqual([]);
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

  test("ssh-only-from-admin-cidrs fails public sources outside the admin CIDRs", () => {
    const fw = hcloud([inTcp("22", ["198.51.100.7/32", "203.0.113.0/24", "100.64.0.0/10", "0.0.0.0/0"])]);
    const config = { "ssh-only-from-admin-cidrs": { adminCidrs: ["198.51.100.0/24"] } };
    expect(messages("ssh-only-from-admin-cidrs", [fw], { config })).toEqual([
      "SSH is open to 203.0.113.0/24 in rules[0], outside the admin CIDRs (198.51.100.0/24)",
    ]);
    expect(messages("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.7/32"])])])).toEqual([
      "SSH is open to 198.51.100.7/32 in rules[0], outside the admin CIDRs (none: SSH only over the tailnet)",
    ]);
    expect(check("ssh-only-from-admin-cidrs", [hcloud([inTcp("22", ["198.51.100.7/32"])])], { config })).toEqual([]);
  });

  test("no-all-ports-from-internet fails any/all port ranges open to the world, not ICMP", () => {
    const fw = hcloud([{ direction: "in", protocol: "tcp", port: "any", sourceIps: ["0.0.0.0/0"] }, { direction: "in", protocol: "icmp", sourceIps: ["0.0.0.0/0"] }]);
    const droplet = resource(DO_FIREWALL, "do-fw", { inboundRules: [{ protocol: "udp", portRange: "all", sourceAddresses: ["::/0"] }] });
    expect(messages("no-all-ports-from-internet", [fw, droplet])).toEqual([
      "all ports are open to the internet (::/0 in inboundRules[0]): open only the ports a node serves",
      "all ports are open to the internet (0.0.0.0/0 in rules[0]): open only the ports a node serves",
    ]);
    expect(check("no-all-ports-from-internet", [hcloud([inTcp("443", ["0.0.0.0/0"])])])).toEqual([]);
  });

  test("web-ports-only-on-hub lets the hub open 80/443 and fails a spoke that does", () => {
    const web = [inTcp("80", ["0.0.0.0/0", "::/0"]), inTcp("443", ["0.0.0.0/0"])];
    expect(check("web-ports-only-on-hub", [hcloud(web, hubLabels)])).toEqual([]);
    expect(check("web-ports-only-on-hub", [resource(DO_FIREWALL, "hub-fw", { tags: ["role-hub"], inboundRules: [{ protocol: "tcp", portRange: "443", sourceAddresses: ["0.0.0.0/0"] }] })])).toEqual([]);
    expect(messages("web-ports-only-on-hub", [hcloud(web)])).toEqual([
      "a non-hub firewall opens port 80 from 0.0.0.0/0 in rules[0], port 80 from ::/0 in rules[0], port 443 from 0.0.0.0/0 in rules[1]: only the hub (labelled hybridlab-role: hub, or tagged role-hub) serves the web",
    ]);
  });
});

describe("tailscale-acl-no-allow-all", () => {
  const acl = (policy: object | string) => resource(TAILSCALE_ACL, "acl", { acl: typeof policy === "string" ? policy : JSON.stringify(policy) });

  test("accepts a least-privilege ACL, written in HuJSON", () => {
    const text = `{
      // the proxy reaches upstreams on their HTTP ports only
      "acls": [{"action": "accept", "src": ["tag:hub"], "dst": ["tag:lab:8080", "tag:lab:5000"],},],
      /* admins may SSH */ "ssh": [],
    }`;
    expect(parseHuJson(text)).toEqual({ acls: [{ action: "accept", src: ["tag:hub"], dst: ["tag:lab:8080", "tag:lab:5000"] }], ssh: [] });
    expect(check("tailscale-acl-no-allow-all", [acl(text)])).toEqual([]);
  });

  test("fails the default allow-all and a grant to everything", () => {
    const policy = {
      acls: [{ action: "accept", src: ["*"], dst: ["*:*"] }, { action: "accept", src: ["tag:hub"], dst: ["tag:lab:443"] }],
      grants: [{ src: ["*"], dst: ["*"], ip: ["*"] }],
    };
    expect(messages("tailscale-acl-no-allow-all", [acl(policy)])).toEqual([
      "the ACL allows everything: acls[0] (* -> *:*); grants[0] (* -> *); grant only the ports each tag needs",
    ]);
  });

  test("fails an ACL it cannot parse", () => {
    expect(messages("tailscale-acl-no-allow-all", [acl("{acls: [")])[0]).toMatch(/^acl is not valid HuJSON \(.+\), so it cannot be checked$/);
  });
});

describe("dns-records-point-at-hub", () => {
  const hub = resource("hcloud:index/server:Server", "hub", { serverType: "cx23", labels: hubLabels });
  const spoke = resource("digitalocean:index/droplet:Droplet", "spoke", { size: "s-1vcpu-1gb", tags: ["hybridlab", "stack-prod", "node-spoke", "role-spoke"] });
  const record = (name: string, type: string, content: string, dependsOn: string[] = []) =>
    resource(DNS_RECORD, name, { name, type, content, ttl: 300, zoneId: "zone" }, { dependsOn });

  test("accepts A records from the hub and a CNAME to one of them", () => {
    const records = [record("learn.example.com", "A", "203.0.113.10", [hub.urn]), record("www.example.com", "CNAME", "learn.example.com.")];
    expect(check("dns-records-point-at-hub", [hub, ...records])).toEqual([]);
  });

  test("fails a record whose address comes from a spoke or is typed in, and a CNAME elsewhere", () => {
    const records = [
      record("grafana.example.com", "A", "198.51.100.20", [spoke.urn]),
      record("typed.example.com", "AAAA", "2001:db8::1"),
      record("www.example.com", "CNAME", "elsewhere.example.net"),
    ];
    const found = check("dns-records-point-at-hub", [hub, spoke, ...records]);
    expect(found.map((v) => [v.name, v.message])).toEqual([
      ["grafana.example.com", "A record grafana.example.com does not take its address from the hub (a resource labelled hybridlab-role: hub)"],
      ["typed.example.com", "AAAA record typed.example.com does not take its address from the hub (a resource labelled hybridlab-role: hub)"],
      ["www.example.com", "CNAME www.example.com points at elsewhere.example.net, which is not a record of the hub"],
    ]);
    expect(found[0].urn).toBe(urnOf(DNS_RECORD, "grafana.example.com"));
  });
});
