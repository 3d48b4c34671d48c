/**
 * Single sign-on, derived: who issues identities (the estate's identity app, or an external OIDC issuer), where the
 * sign-in proxy (oauth2-proxy, beside Caddy on the hub) listens, and, per sso route, who may pass.
 */
import { containerName } from "../../components/apps/deploymentSpec";
import { exposureOf } from "../catalog/apps";
import type { App, Estate } from "../estate/schema";
import { publicFqdn } from "./hostnames";

/** oauth2-proxy runs as this component of the reverse-proxy app, on this port (its default, 4180). */
export const SIGN_IN_COMPONENT = "oauth2-proxy";
export const SIGN_IN_PORT = 4180;
/** The client the identity app provisions for oauth2-proxy. */
export const SIGN_IN_CLIENT_ID = "oauth2-proxy";

export interface SsoIssuer {
  /** The OIDC issuer URL oauth2-proxy discovers its endpoints from. */
  readonly issuerUrl: string;
  readonly clientId: string;
  /** The estate's identity app, when it is the issuer. */
  readonly identityApp?: string;
}

/** The estate's issuer, or undefined without `hybridlab:sso` (or with one the estate rules refuse). */
export function ssoIssuer(estate: Pick<Estate, "apps" | "dns" | "sso">): SsoIssuer | undefined {
  const sso = estate.sso;
  if (!sso) return undefined;
  if (sso.identity !== undefined) {
    const app = estate.apps[sso.identity];
    if (app?.kind !== "identity" || app.hostname === undefined || !estate.dns) return undefined;
    return { issuerUrl: `https://${publicFqdn(app.hostname, estate.dns)}/realms/${app.realm}`, clientId: SIGN_IN_CLIENT_ID, identityApp: sso.identity };
  }
  return sso.issuer !== undefined && sso.clientId !== undefined ? { issuerUrl: sso.issuer.replace(/\/$/, ""), clientId: sso.clientId } : undefined;
}

/** Whether any app is behind single sign-on (then the hub runs oauth2-proxy). */
export function usesSso(estate: Pick<Estate, "apps">): boolean {
  return Object.values(estate.apps).some((app) => exposureOf(app) === "sso");
}

/** "host:port" at which Caddy reaches oauth2-proxy: its container on the proxy's own Docker network. */
export function signInEndpoint(proxyApp: string): string {
  return `${containerName(proxyApp, SIGN_IN_COMPONENT)}:${SIGN_IN_PORT}`;
}

/**
 * The auth request path for one sso app: oauth2-proxy's /oauth2/auth narrowed by the app's `allow` list
 * (`allowed_emails`, `allowed_email_domains`: https://oauth2-proxy.github.io/oauth2-proxy/features/endpoints).
 * Without an allow list, everyone oauth2-proxy admits (sso.emailDomains) may pass.
 */
export function authRequestUri(app: Pick<App, "allow">): string {
  const emails = app.allow.filter((who) => !who.startsWith("@")).sort();
  const domains = app.allow.filter((who) => who.startsWith("@")).map((d) => d.slice(1)).sort();
  const query = [...(emails.length > 0 ? [`allowed_emails=${emails.join(",")}`] : []), ...(domains.length > 0 ? [`allowed_email_domains=${domains.join(",")}`] : [])];
  return `/oauth2/auth${query.length > 0 ? `?${query.join("&")}` : ""}`;
}

/** Every callback URL the issuer must accept: one per sso app's hostname, sorted. */
export function callbackUrls(estate: Pick<Estate, "apps" | "dns">): string[] {
  const dns = estate.dns;
  if (!dns) return [];
  return Object.values(estate.apps)
    .flatMap((app) => (exposureOf(app) === "sso" && app.hostname !== undefined ? [`https://${publicFqdn(app.hostname, dns)}/oauth2/callback`] : []))
    .sort();
}
