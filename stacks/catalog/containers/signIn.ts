/**
 * oauth2-proxy, the sign-in gateway Caddy asks before every request to an sso site (`forward_auth`). It runs beside
 * Caddy on the hub as a component of the reverse-proxy app, in forward-auth mode only (its upstream answers 202).
 * Configured by OAUTH2_PROXY_* variables, per https://oauth2-proxy.github.io/oauth2-proxy/configuration/overview
 * (every flag as OAUTH2_PROXY_<FLAG>), the OIDC provider page, and the Caddy integration page
 * (https://oauth2-proxy.github.io/oauth2-proxy/configuration/integrations/caddy): `--reverse-proxy` so it trusts
 * Caddy's X-Forwarded-* headers, `--set-xauthrequest` so the user and email reach the app, secure cookies, and
 * `/ping` as its health endpoint.
 */
import type { ContainerSpec, SecretSpec } from "../../../components/apps/deploymentSpec";
import { baseDomain } from "../../derive/hostnames";
import { SIGN_IN_COMPONENT, SIGN_IN_PORT, ssoIssuer, usesSso } from "../../derive/sso";
import type { Estate } from "../../estate/schema";
import { httpCheck } from "./common";
import { images } from "./images";

/** The identity app's secret holding the client secret it provisions for oauth2-proxy. */
export const CLIENT_SECRET = "oauth2-proxy-client-secret";

export interface SignInGateway {
  readonly container: ContainerSpec;
  readonly secrets: Readonly<Record<string, SecretSpec>>;
  readonly imports: Readonly<Record<string, { readonly app: string; readonly secret: string }>>;
}

/** The gateway for an estate with sso apps, or undefined when no app is behind single sign-on. */
export function signInGateway(estate: Estate, after: readonly string[]): SignInGateway | undefined {
  const issuer = ssoIssuer(estate);
  if (!usesSso(estate) || !issuer || !estate.dns) return undefined;
  const domains = estate.sso?.emailDomains ?? [];
  return {
    // oauth2-proxy takes a cookie secret of 16, 24 or 32 bytes: 32 letters and digits are 32 bytes.
    secrets: { "cookie-secret": { kind: "password", length: 32 }, ...(issuer.identityApp === undefined ? { "client-secret": { kind: "config", key: "ssoClientSecret" } as const } : {}) },
    imports: issuer.identityApp !== undefined ? { "client-secret": { app: issuer.identityApp, secret: CLIENT_SECRET } } : {},
    container: {
      component: SIGN_IN_COMPONENT,
      image: images.oauth2Proxy,
      env: {
        OAUTH2_PROXY_PROVIDER: "oidc",
        OAUTH2_PROXY_OIDC_ISSUER_URL: issuer.issuerUrl,
        OAUTH2_PROXY_CLIENT_ID: issuer.clientId,
        OAUTH2_PROXY_CODE_CHALLENGE_METHOD: "S256",
        OAUTH2_PROXY_HTTP_ADDRESS: `0.0.0.0:${SIGN_IN_PORT}`,
        // X-Forwarded-* are trusted from any peer (--trusted-proxy-ip unset keeps 7.15's backwards-compatible
        // default): it publishes no port, so only containers on the host's Docker network, Caddy among them, reach it.
        OAUTH2_PROXY_REVERSE_PROXY: "true",
        OAUTH2_PROXY_SET_XAUTHREQUEST: "true",
        // Forward-auth only: nothing is proxied through it, an authorized request just gets 202.
        OAUTH2_PROXY_UPSTREAMS: "static://202",
        OAUTH2_PROXY_COOKIE_SECURE: "true",
        OAUTH2_PROXY_COOKIE_SAMESITE: "lax",
        // Everyone the issuer signs in, unless the estate narrows it; each app's allow list narrows it per route.
        OAUTH2_PROXY_EMAIL_DOMAINS: domains.length > 0 ? [...domains].sort().join(",") : "*",
        // After signing in, the browser may be sent back to any site under the estate's domain, and nowhere else.
        OAUTH2_PROXY_WHITELIST_DOMAINS: `.${baseDomain(estate.dns)}`,
        OAUTH2_PROXY_SKIP_PROVIDER_BUTTON: "true",
      },
      secretEnv: { OAUTH2_PROXY_CLIENT_SECRET: "{{client-secret}}", OAUTH2_PROXY_COOKIE_SECRET: "{{cookie-secret}}" },
      // It discovers the issuer at start, which may still be getting its certificate: restarts until it answers.
      healthcheck: httpCheck("wget", `http://127.0.0.1:${SIGN_IN_PORT}/ping`, { intervalSeconds: 15, startPeriodSeconds: 120 }),
      memoryMiB: 128,
      after: [...after],
    },
  };
}
