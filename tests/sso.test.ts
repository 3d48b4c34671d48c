/** Single sign-on: the estate's rules, the sso routes, oauth2-proxy beside Caddy, and Keycloak as the built-in issuer. */
import { appDeployment } from "../stacks/catalog/deployments";
import { keycloakRealm } from "../stacks/catalog/containers/identity";
import { proxyRoutes } from "../stacks/derive/routes";
import { estateOf, problemsOf, validEstate, withValues, type Json } from "./fixtures/estate";

/** The fixture with Keycloak on the hub, Grafana behind single sign-on for two people, Moodle public. */
const withIdentity = (): Json =>
  withValues(validEstate(), [
    ["apps.identity", { kind: "identity", node: "hub", hostname: "auth" }],
    ["apps.monitoring.exposure", "sso"],
    ["apps.monitoring.allow", ["ann@example.com", "@ops.example.com"]],
    ["sso", { identity: "identity" }],
  ]);

describe("the estate's single sign-on rules", () => {
  it.each<[string, Json, string[]]>([
    ["an sso app without hybridlab:sso", withValues(validEstate(), [["apps.monitoring.exposure", "sso"]]), ["hybridlab:apps.monitoring.exposure: exposure sso needs hybridlab:sso: identity (an identity app) or issuer, clientId and hybridlab:ssoClientSecret (an external OIDC provider)"]],
    ["both an identity app and an issuer", withValues(withIdentity(), [["sso.issuer", "https://accounts.google.com"]]), ["hybridlab:sso: set identity (an identity app that runs Keycloak) or issuer (an external OIDC provider), exactly one"]],
    ["an identity that is not an identity app", withValues(withIdentity(), [["sso.identity", "moodle"]]), ['hybridlab:sso.identity: "moodle" is not an identity app; expected one of: identity']],
    ["an identity app without a hostname", withValues(withIdentity(), [["apps.identity.hostname", undefined]]), ["hybridlab:apps.identity.hostname: people's browsers are sent to the identity app to sign in: give it a public hostname"]],
    [
      "an external issuer without client id, secret or a narrowing",
      withValues(withIdentity(), [["sso", { issuer: "https://accounts.google.com" }], ["apps.monitoring.allow", []]]),
      [
        "hybridlab:sso.clientId: an external issuer needs the client id registered for this estate's sign-in proxy",
        "hybridlab:ssoClientSecret: an external issuer needs its client secret: pulumi config set --secret hybridlab:ssoClientSecret",
        "hybridlab:apps.monitoring.allow: anyone with an account at https://accounts.google.com could sign in; list who may (emails or @domains) here, or set sso.emailDomains",
      ],
    ],
    ["the identity app behind its own sign-in", withValues(withIdentity(), [["apps.identity.exposure", "sso"]]), ["hybridlab:apps.identity.exposure: the identity app is where people sign in, so it cannot itself be behind single sign-on; set exposure: public"]],
    ["a tailnet group behind single sign-on", withValues(withIdentity(), [["apps.monitoring.allow", ["group:data"]]]), ["hybridlab:apps.monitoring.allow[0]: group:data is a tailnet group; behind single sign-on allow emails or @domains"]],
  ])("refuses %s", (_name, estate, expected) => {
    expect(problemsOf(estate)).toEqual(expected);
  });

  it("accepts the identity app, and an external issuer with its client and a narrowing", () => {
    expect(problemsOf(withIdentity())).toEqual([]);
    const external = withValues(withIdentity(), [["sso", { issuer: "https://accounts.google.com", clientId: "hybridlab", emailDomains: ["example.com"] }], ["ssoClientSecret", "s3cret"]]);
    expect(problemsOf(external)).toEqual([]);
  });
});

describe("sso routes and the sign-in gateway", () => {
  const estate = estateOf(withIdentity());

  it("puts only the sso app behind forward_auth, narrowed by its allow list", () => {
    expect(proxyRoutes(estate)).toEqual([
      { app: "identity", fqdn: "auth.dev.example.com", upstream: "identity-keycloak:8080", aliases: [] },
      {
        app: "monitoring",
        fqdn: "grafana.dev.example.com",
        upstream: "monitoring-grafana:3000",
        aliases: [],
        signIn: { endpoint: "proxy-oauth2-proxy:4180", uri: "/oauth2/auth?allowed_emails=ann@example.com&allowed_email_domains=ops.example.com" },
      },
      { app: "moodle", fqdn: "learn.dev.example.com", upstream: "devlab:8080", aliases: [] },
    ]);
  });

  it("runs oauth2-proxy beside Caddy with the issuer, secure cookies, generated cookie secret and the identity app's client secret", () => {
    const proxy = appDeployment(estate, "dev", "proxy");
    expect(proxy.secrets).toEqual({ "cookie-secret": { kind: "password", length: 32 } });
    expect(proxy.imports).toEqual({ "client-secret": { app: "identity", secret: "oauth2-proxy-client-secret" } });
    const gateway = proxy.containers.find((c) => c.component === "oauth2-proxy");
    expect(gateway).toEqual({
      component: "oauth2-proxy",
      image: "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3-alpine",
      env: {
        OAUTH2_PROXY_PROVIDER: "oidc",
        OAUTH2_PROXY_OIDC_ISSUER_URL: "https://auth.dev.example.com/realms/hybridlab",
        OAUTH2_PROXY_CLIENT_ID: "oauth2-proxy",
        OAUTH2_PROXY_CODE_CHALLENGE_METHOD: "S256",
        OAUTH2_PROXY_HTTP_ADDRESS: "0.0.0.0:4180",
        OAUTH2_PROXY_REVERSE_PROXY: "true",
        OAUTH2_PROXY_SET_XAUTHREQUEST: "true",
        OAUTH2_PROXY_UPSTREAMS: "static://202",
        OAUTH2_PROXY_COOKIE_SECURE: "true",
        OAUTH2_PROXY_COOKIE_SAMESITE: "lax",
        OAUTH2_PROXY_EMAIL_DOMAINS: "*",
        OAUTH2_PROXY_WHITELIST_DOMAINS: ".dev.example.com",
        OAUTH2_PROXY_SKIP_PROVIDER_BUTTON: "true",
      },
      secretEnv: { OAUTH2_PROXY_CLIENT_SECRET: "{{client-secret}}", OAUTH2_PROXY_COOKIE_SECRET: "{{cookie-secret}}" },
      healthcheck: { test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:4180/ping"], intervalSeconds: 15, startPeriodSeconds: 120 },
      memoryMiB: 128,
      after: ["caddy"],
    });
  });

  it("reads an external issuer's client secret from the stack's secret config", () => {
    const external = estateOf(withValues(withIdentity(), [["sso", { issuer: "https://accounts.google.com/", clientId: "hybridlab", emailDomains: ["example.com"] }], ["ssoClientSecret", "s3cret"]]));
    const proxy = appDeployment(external, "dev", "proxy");
    expect(proxy.secrets["client-secret"]).toEqual({ kind: "config", key: "ssoClientSecret" });
    expect(proxy.imports).toBeUndefined();
    expect(proxy.containers.find((c) => c.component === "oauth2-proxy")?.env).toMatchObject({ OAUTH2_PROXY_OIDC_ISSUER_URL: "https://accounts.google.com", OAUTH2_PROXY_CLIENT_ID: "hybridlab", OAUTH2_PROXY_EMAIL_DOMAINS: "example.com" });
  });

  it("runs no gateway when no app is behind single sign-on", () => {
    expect(appDeployment(estateOf(validEstate()), "dev", "proxy").containers.map((c) => c.component)).toEqual(["caddy"]);
  });
});

describe("the identity app (Keycloak)", () => {
  const estate = estateOf(withIdentity());
  const identity = appDeployment(estate, "dev", "identity");
  const keycloak = identity.containers.find((c) => c.component === "keycloak");

  it("runs Keycloak in production mode behind the proxy, with its database, health on the management port and a generated admin", () => {
    expect(identity.containers.map((c) => c.component)).toEqual(["db", "db-exporter", "keycloak", "callbacks"]);
    expect(keycloak?.command).toEqual(["start", "--import-realm"]);
    expect(keycloak?.env).toEqual({
      KC_HOSTNAME: "https://auth.dev.example.com",
      KC_HTTP_ENABLED: "true",
      KC_PROXY_HEADERS: "xforwarded",
      KC_HEALTH_ENABLED: "true",
      KC_DB: "postgres",
      KC_DB_URL: "jdbc:postgresql://identity-db:5432/keycloak",
      KC_DB_USERNAME: "keycloak",
      KC_BOOTSTRAP_ADMIN_USERNAME: "admin",
    });
    expect(keycloak?.secretEnv).toEqual({ KC_DB_PASSWORD: "{{db-password}}", KC_BOOTSTRAP_ADMIN_PASSWORD: "{{admin-password}}" });
    expect(keycloak?.healthcheck?.test.join(" ")).toContain("/dev/tcp/127.0.0.1/9000");
    expect(keycloak?.healthcheck?.test.join(" ")).toContain("GET /health/ready");
    expect(identity.secrets).toEqual({ "db-password": { kind: "password", length: 32 }, "admin-password": { kind: "password", length: 32 }, "oauth2-proxy-client-secret": { kind: "password", length: 40 } });
    expect(identity.adminLogin).toEqual({ user: "admin", password: "{{admin-password}}" });
  });

  it("imports a realm with oauth2-proxy's client, its secret kept a secret file, and sets the callbacks on every deploy", () => {
    expect(keycloak?.configFiles).toEqual([{ path: "/opt/keycloak/data/import/hybridlab.json", content: keycloakRealm("hybridlab", ["https://grafana.dev.example.com/oauth2/callback"]), artifact: "realm.json", secret: true }]);
    const realm = JSON.parse(keycloakRealm("hybridlab", ["https://grafana.dev.example.com/oauth2/callback"])) as { registrationAllowed: boolean; clients: Array<Record<string, unknown>> };
    expect(realm.registrationAllowed).toBe(false);
    expect(realm.clients[0]).toMatchObject({ clientId: "oauth2-proxy", publicClient: false, secret: "{{oauth2-proxy-client-secret}}", redirectUris: ["https://grafana.dev.example.com/oauth2/callback"], attributes: { "pkce.code.challenge.method": "S256" } });
    const callbacks = identity.containers.find((c) => c.component === "callbacks");
    expect(callbacks).toMatchObject({ oneShot: true, after: ["keycloak"], secretEnv: { KC_ADMIN_PASSWORD: "{{admin-password}}" } });
    expect(callbacks?.command?.[0].split("\n")).toEqual([
      "set -euo pipefail",
      '/opt/keycloak/bin/kcadm.sh config credentials --server http://identity-keycloak:8080 --realm master --user admin --password "$KC_ADMIN_PASSWORD" --config /tmp/kcadm.config',
      "id=$(/opt/keycloak/bin/kcadm.sh get clients -r hybridlab -q clientId=oauth2-proxy --fields id --format csv --noquotes --config /tmp/kcadm.config)",
      `/opt/keycloak/bin/kcadm.sh update "clients/$id" -r hybridlab -s 'redirectUris=["https://grafana.dev.example.com/oauth2/callback"]' --config /tmp/kcadm.config`,
    ]);
  });
});
