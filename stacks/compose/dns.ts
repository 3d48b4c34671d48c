/** Public DNS: one Cloudflare record per public hostname (A, and AAAA when the hub has IPv6), all at the hub. */
import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import { DnsRecords } from "../../components/network/DnsRecords";
import { dnsRecords } from "../derive/dnsRecords";
import type { Estate } from "../estate/schema";

/**
 * The zone's records, or nothing when the estate has no DNS zone or no public app. `hubIpv6` decides whether AAAA
 * records exist: pass it only for a hub that has a public IPv6 address.
 */
export function composeDns(estate: Estate, stack: string, hubIpv4: pulumi.Output<string>, hubIpv6?: pulumi.Output<string | undefined>): DnsRecords | undefined {
  const dns = estate.dns;
  const records = dnsRecords(estate, { ipv6: hubIpv6 !== undefined });
  if (!dns || records.length === 0) return undefined;
  const zone = cloudflare.getZoneOutput({ filter: { name: dns.zone } });
  // Cloudflare addresses a record to import as <zone id>/<record id>; the estate names both.
  const imports = dns.import;
  return new DnsRecords("dns", {
    zoneId: zone.id,
    records: records.map((record) => {
      const recordId = imports?.records[record.name]?.[record.type];
      return imports && recordId ? { ...record, importId: `${imports.zoneId}/${recordId}` } : record;
    }),
    ipv4: hubIpv4,
    ipv6: hubIpv6?.apply((ip) => {
      if (ip === undefined) throw new Error("the hub has no public IPv6 address for its AAAA records");
      return ip;
    }),
    stack,
  });
}
