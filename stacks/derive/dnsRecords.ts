/**
 * The public DNS records, derived from the apps' hostnames: every public app resolves to the hub, whose reverse
 * proxy routes by host name. Nothing is listed by hand.
 */
import type { Estate } from "../estate/schema";
import { baseDomain, publicApps } from "./hostnames";

export interface DnsRecordSpec {
  /** Stable, unique short name for the record's resource: `<label>-<type>`, "apex" for the base domain. */
  readonly key: string;
  /** The app the record serves (the apex app for `www`). */
  readonly app: string;
  /** The FQDN (Cloudflare stores names fully qualified; a relative name diffs on every run). */
  readonly name: string;
  readonly type: "A" | "AAAA";
  /** Seconds; 1 is Cloudflare's automatic. */
  readonly ttl: number;
  readonly proxied: boolean;
}

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
