import * as pulumi from "@pulumi/pulumi";
import { DnsRecords } from "../components/network/DnsRecords";
import { composeDns } from "../stacks/compose/dns";
import { dnsRecords } from "../stacks/derive/dnsRecords";
import { publicApps } from "../stacks/derive/hostnames";
import { loadEstate } from "../stacks/estate/load";
import type { Estate } from "../stacks/estate/schema";
import { ofType, runProgram } from "../stacks/plan/harness";
import { asConfig, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

const RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const estateOf = (raw: Json): Estate => loadEstate(asConfig(raw));
const withApex = (raw: Json): Json => withValues(raw, [["apps.moodle.hostname", "@"], ["dns.www", true]]);

describe("dnsRecords", () => {
  it("gives every public hostname an A record, and an AAAA when the hub has IPv6", () => {
    const estate = estateOf(validEstate());
    expect(dnsRecords(estate, { ipv6: false })).toEqual([
      { key: "grafana-a", app: "monitoring", name: "grafana.dev.example.com", type: "A", ttl: 300, proxied: false },
      { key: "learn-a", app: "moodle", name: "learn.dev.example.com", type: "A", ttl: 300, proxied: false },
    ]);
    expect(dnsRecords(estate, { ipv6: true }).map((r) => `${r.type} ${r.name}`)).toEqual([
      "A grafana.dev.example.com",
      "AAAA grafana.dev.example.com",
      "A learn.dev.example.com",
      "AAAA learn.dev.example.com",
    ]);
  });

  it("covers exactly the public apps' FQDNs", () => {
    const estate = estateOf(validEstate());
    expect(new Set(dnsRecords(estate, { ipv6: false }).map((r) => r.name))).toEqual(new Set(publicApps(estate).map((p) => p.fqdn)));
  });

  it("adds www for the apex app only when dns.www is set", () => {
    expect(dnsRecords(estateOf(withApex(validEstate())), { ipv6: false }).map((r) => [r.key, r.name, r.app])).toEqual([
      ["grafana-a", "grafana.dev.example.com", "monitoring"],
      ["apex-a", "dev.example.com", "moodle"],
      ["www-a", "www.dev.example.com", "moodle"],
    ]);
    const noWww = withValue(withApex(validEstate()), "dns.www", false);
    expect(dnsRecords(estateOf(noWww), { ipv6: false }).map((r) => r.name)).toEqual(["grafana.dev.example.com", "dev.example.com"]);
  });

  it("uses the zone itself when there is no subdomain, and the TTL from config", () => {
    const estate = estateOf(withValues(validEstate(), [["dns.subdomain", undefined], ["dns.ttl", 3600]]));
    expect(dnsRecords(estate, { ipv6: false }).map((r) => [r.name, r.ttl])).toEqual([
      ["grafana.example.com", 3600],
      ["learn.example.com", 3600],
    ]);
  });

  it("sets TTL automatic (1) on proxied records, as Cloudflare stores them", () => {
    const estate = estateOf(withValues(validEstate(), [["dns.proxied", true], ["dns.ttl", 3600]]));
    expect(dnsRecords(estate, { ipv6: false }).map((r) => [r.proxied, r.ttl])).toEqual([
      [true, 1],
      [true, 1],
    ]);
  });

  it("has nothing to publish without a zone", () => {
    const estate = estateOf(withValues(validEstate(), [["dns", undefined], ["apps.monitoring.hostname", undefined], ["apps.moodle.hostname", undefined]]));
    expect(dnsRecords(estate, { ipv6: true })).toEqual([]);
  });
});

describe("composeDns", () => {
  const hubIpv4 = "203.0.113.10";
  const hubIpv6 = "2001:db8::10";

  it("points one record per public hostname at the hub, in the zone Cloudflare reports, with FQDN names", async () => {
    const estate = estateOf(validEstate());
    const run = await runProgram(() => {
      composeDns(estate, "dev", pulumi.output(hubIpv4), pulumi.output<string | undefined>(hubIpv6));
    });
    const records = ofType(run, RECORD);
    const component = ofType(run, "hybridlab:network:DnsRecords")[0];
    expect(records.map((r) => r.name)).toEqual(["dns-grafana-a", "dns-grafana-aaaa", "dns-learn-a", "dns-learn-aaaa"]);
    for (const record of records) {
      expect(record.parent).toBe(component.urn);
      expect(record.inputs.content).toBe(record.inputs.type === "A" ? hubIpv4 : hubIpv6);
      expect(record.inputs.zoneId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(records[0].inputs).toEqual({
      comment: "hybridlab-stack=dev hybridlab-app=monitoring",
      content: hubIpv4,
      name: "grafana.dev.example.com",
      proxied: false,
      ttl: 300,
      type: "A",
      zoneId: records[0].inputs.zoneId,
    });
  });

  it("makes no AAAA records for a hub without IPv6", async () => {
    const estate = estateOf(validEstate());
    const run = await runProgram(() => {
      composeDns(estate, "dev", pulumi.output(hubIpv4));
    });
    expect(ofType(run, RECORD).map((r) => r.inputs.type)).toEqual(["A", "A"]);
  });

  it("registers nothing, not even the zone lookup, when no app is public", async () => {
    const estate = estateOf(withValues(validEstate(), [["apps.monitoring.hostname", undefined], ["apps.moodle.hostname", undefined]]));
    const run = await runProgram(() => {
      expect(composeDns(estate, "dev", pulumi.output(hubIpv4))).toBeUndefined();
    });
    expect(ofType(run, RECORD)).toEqual([]);
  });
});

describe("DnsRecords", () => {
  const record = { key: "grafana-a", app: "monitoring", name: "grafana.example.com", type: "A" as const, ttl: 300, proxied: false };

  it.each([
    [{ records: [{ ...record, name: "grafana" }] }, 'DnsRecords dns: records[0].name must be a fully qualified domain name such as grafana.example.com, got "grafana"'],
    [{ records: [record, { ...record, key: "other" }] }, "DnsRecords dns: records[1] must be unique, got a second A grafana.example.com (first at records[0])"],
    [{ records: [{ ...record, ttl: 30 }] }, "DnsRecords dns: records[0].ttl must be 1 (automatic) or 60-86400, got 30"],
    [{ records: [{ ...record, type: "AAAA" as const }] }, "DnsRecords dns: ipv6 must be given for the AAAA record grafana.example.com, got nothing"],
  ])("fails when given %j", async (change, message) => {
    await expect(runProgram(() => new DnsRecords("dns", { zoneId: "z", ipv4: "203.0.113.1", stack: "dev", ...change }))).rejects.toThrow(message);
  });
});
