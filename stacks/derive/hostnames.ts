import type { App, Estate } from "../estate/schema";

type Dns = NonNullable<Estate["dns"]>;

/** The domain app hostnames hang under: the zone, or `<subdomain>.<zone>` for a stack with its own subdomain. */
export function baseDomain(dns: Pick<Dns, "zone" | "subdomain">): string {
  return dns.subdomain ? `${dns.subdomain}.${dns.zone}` : dns.zone;
}

/** The public FQDN of an app with a hostname ('@' is the base domain itself). */
export function publicFqdn(hostname: string, dns: Pick<Dns, "zone" | "subdomain">): string {
  return hostname === "@" ? baseDomain(dns) : `${hostname}.${baseDomain(dns)}`;
}

export interface PublicApp {
  readonly app: string;
  readonly fqdn: string;
  readonly url: string;
}

/** Every app with a public hostname, in name order. */
export function publicApps(estate: Pick<Estate, "apps" | "dns">): PublicApp[] {
  const dns = estate.dns;
  if (!dns) return [];
  return Object.entries(estate.apps)
    .filter((entry): entry is [string, App & { hostname: string }] => entry[1].hostname !== undefined)
    .map(([app, spec]) => {
      const fqdn = publicFqdn(spec.hostname, dns);
      return { app, fqdn, url: `https://${fqdn}` };
    })
    .sort((a, b) => a.app.localeCompare(b.app));
}
