/**
 * The reverse proxy's Caddyfile: automatic HTTPS for every public hostname, each routed to its upstream, behind
 * oauth2-proxy's `forward_auth` when the site is for signed-in people only.
 *
 * Pure: the same input always gives the same bytes. Only syntax Caddy 2.6.2 (Debian 12's `caddy`, the validator in
 * tests) and current Caddy both accept is used: `servers { metrics }` rather than the newer global `metrics`
 * option (2.6.2 rejects it as "unrecognized global option"), and no directive renamed since (e.g. `basicauth`).
 */
import { requireIntInRange, requireMatch } from "../../components/validate";

/** One public site. */
export interface CaddySite {
  /** Fully qualified public hostname, e.g. "grafana.example.com"; required, no default. */
  readonly fqdn: string;
  /** Where requests go, "host:port" (a tailnet address or a container name on the proxy's network); required. */
  readonly upstream: string;
  /** Other hostnames that permanently redirect to `fqdn` (e.g. "www.example.com"); default none. */
  readonly aliases?: readonly string[];
  /**
   * Single sign-on in front of the site: oauth2-proxy's "host:port" and the auth request path (e.g.
   * "/oauth2/auth?allowed_emails=ann@example.com") every request must pass; default none (the site is public).
   */
  readonly signIn?: { readonly endpoint: string; readonly uri: string };
}

/** What the proxy serves. */
export interface CaddyfileInput {
  /** Contact address for the ACME account (expiry notices from the CA); required, no default. */
  readonly acmeEmail: string;
  /** Use Let's Encrypt's staging CA (untrusted certificates, generous rate limits) instead of production; required. */
  readonly staging: boolean;
  /** Public sites, in any order (rendered sorted by `fqdn`); may be empty. Hostnames must be unique. */
  readonly sites: readonly CaddySite[];
  /** Port of the plain-HTTP listener serving Prometheus metrics at /metrics (e.g. 2019); required, no default. */
  readonly metricsPort: number;
}

/** Let's Encrypt's staging directory: https://letsencrypt.org/docs/staging-environment/ */
export const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

const WHERE = "renderCaddyfile";
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST_PORT = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\d{1,3}(\.\d{1,3}){3}):\d{1,5}$/i;
const AUTH_URI = /^\/[^\s{}]*$/;
const EMAIL = /^[^\s@"{}]+@[^\s@"{}]+\.[^\s@"{}]+$/;

/**
 * Renders the Caddyfile. Throws "renderCaddyfile: <field> must be ..., got ..." on a malformed email, hostname,
 * upstream or port, and when a hostname (site or alias) appears twice.
 */
export function renderCaddyfile(input: CaddyfileInput): string {
  validate(input);
  const global = [
    "{",
    `\temail ${input.acmeEmail}`,
    ...(input.staging ? [`\tacme_ca ${LETS_ENCRYPT_STAGING}`] : []),
    // Config changes restart the container (its config hash is a label), so nothing needs the admin API; off, it
    // also frees its default port (2019) for the metrics listener, which must listen beyond localhost.
    "\tadmin off",
    // HTTP/3 is Caddy's default; stated so the edge's 443/udp (firewall, published port) visibly has a listener.
    "\tservers {",
    "\t\tmetrics",
    "\t\tprotocols h1 h2 h3",
    "\t}",
    "}",
  ];
  // Headers every site gets. HSTS without includeSubDomains/preload: the zone may hold names this proxy does not
  // serve. The "?" forms only fill in what the upstream did not set, so an app's own stricter policy wins.
  const common = [
    "(common) {",
    "\tencode zstd gzip",
    "\theader {",
    '\t\tStrict-Transport-Security "max-age=31536000"',
    "\t\tX-Content-Type-Options nosniff",
    "\t\t?Referrer-Policy strict-origin-when-cross-origin",
    "\t\t?X-Frame-Options SAMEORIGIN",
    "\t\t-Server",
    "\t\t-X-Powered-By",
    "\t}",
    "\tlog {",
    "\t\toutput stdout",
    "\t\tformat json",
    "\t}",
    "}",
  ];
  const metrics = [`:${input.metricsPort} {`, "\tmetrics /metrics", "}"];
  const sites = [...input.sites].sort((a, b) => compare(a.fqdn, b.fqdn)).flatMap((site) => [
    [`${site.fqdn} {`, "\timport common", ...(site.signIn ? signedIn(site.signIn, site.upstream) : [`\treverse_proxy ${site.upstream}`]), "}"],
    ...[...(site.aliases ?? [])].sort(compare).map((alias) => [`${alias} {`, "\timport common", `\tredir https://${site.fqdn}{uri} permanent`, "}"]),
  ]);
  return [global, common, metrics, ...sites].map((block) => block.join("\n")).join("\n\n") + "\n";
}

/**
 * A site behind oauth2-proxy, as oauth2-proxy documents it for Caddy
 * (https://oauth2-proxy.github.io/oauth2-proxy/configuration/integrations/caddy): its own /oauth2/* endpoints are
 * proxied to it, and every other request first asks its auth endpoint; a 401 sends the browser to sign in and back.
 */
function signedIn(signIn: NonNullable<CaddySite["signIn"]>, upstream: string): string[] {
  return [
    "\thandle /oauth2/* {",
    `\t\treverse_proxy ${signIn.endpoint} {`,
    "\t\t\theader_up X-Real-IP {remote_host}",
    "\t\t\theader_up X-Forwarded-Uri {uri}",
    "\t\t}",
    "\t}",
    "\thandle {",
    `\t\tforward_auth ${signIn.endpoint} {`,
    `\t\t\turi ${signIn.uri}`,
    "\t\t\theader_up X-Real-IP {remote_host}",
    "\t\t\tcopy_headers X-Auth-Request-User X-Auth-Request-Email",
    "\t\t\t@error status 401",
    "\t\t\thandle_response @error {",
    "\t\t\t\tredir * /oauth2/sign_in?rd={scheme}://{host}{uri}",
    "\t\t\t}",
    "\t\t}",
    `\t\treverse_proxy ${upstream}`,
    "\t}",
  ];
}

function validate(input: CaddyfileInput): void {
  requireMatch(WHERE, "acmeEmail", input.acmeEmail, EMAIL, "an email address");
  requireIntInRange(WHERE, "metricsPort", input.metricsPort, 1, 65535);
  const seen = new Set<string>();
  const claim = (field: string, hostname: string): void => {
    requireMatch(WHERE, field, hostname, HOSTNAME, "a lowercase fully qualified hostname");
    if (seen.has(hostname)) throw new Error(`${WHERE}: ${field} must be a hostname no other site or alias uses, got "${hostname}" twice`);
    seen.add(hostname);
  };
  input.sites.forEach((site, i) => {
    claim(`sites[${i}].fqdn`, site.fqdn);
    requireMatch(WHERE, `sites[${i}].upstream`, site.upstream, HOST_PORT, 'a "host:port" address');
    requireIntInRange(WHERE, `sites[${i}].upstream port`, Number(site.upstream.slice(site.upstream.lastIndexOf(":") + 1)), 1, 65535);
    (site.aliases ?? []).forEach((alias, j) => claim(`sites[${i}].aliases[${j}]`, alias));
    if (site.signIn) {
      requireMatch(WHERE, `sites[${i}].signIn.endpoint`, site.signIn.endpoint, HOST_PORT, 'a "host:port" address');
      requireMatch(WHERE, `sites[${i}].signIn.uri`, site.signIn.uri, AUTH_URI, "a path starting with / without spaces or braces");
    }
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
