/**
 * The public DNS records, derived from the apps' hostnames: every public app resolves to the hub, whose reverse
 * proxy routes by host name. Nothing is listed by hand.
 */
import type { DnsRecordSpec } from "../../components/network/DnsRecords";
import type { Estate } from "../estate/schema";
import { baseDomain, publicApps } from "./hostnames";

/** One A record per public hostname (and AAAA when the hub has IPv6), plus `www` for the apex app when configured. */
export function dnsRecords(estate: Pick<Estate, "apps" | "dns">, hub: { readonly ipv6: boolean }): DnsRecordSpec[] {
  const dns = estate.dns;
  if (!dns) return [];
  // Cloudflare serves proxied records with its own TTL; any other value would show as a change on every run.
  const ttl = dns.proxied ? 1 : dns.ttl;
  const types: Array<DnsRecordSpec["type"]> = hub.ipv6 ? ["A", "AAAA"] : ["A"];
  const base = baseDomain(dns);

  const names: Array<{ label: string; app: string; name: string }> = [];
  for (const { app, fqdn } of publicApps(estate)) {
    const apex = estate.apps[app].hostname === "@";
    names.push({ label: apex ? "apex" : fqdn.slice(0, -(base.length + 1)), app, name: fqdn });
    if (apex && dns.www) names.push({ label: "www", app, name: `www.${base}` });
  }
  return names.flatMap(({ label, app, name }) => types.map((type) => ({ key: `${label}-${type.toLowerCase()}`, app, name, type, ttl, proxied: dns.proxied })));
}
