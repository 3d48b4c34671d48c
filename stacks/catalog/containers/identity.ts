/**
 * The identity app: Keycloak in production mode (`start`) with a PostgreSQL sidecar, behind Caddy, which ends TLS.
 * Settings per Keycloak's container and server guides: https://www.keycloak.org/server/containers,
 * https://www.keycloak.org/server/hostname (KC_HOSTNAME as the full public URL), https://www.keycloak.org/server/reverseproxy
 * (KC_PROXY_HEADERS=xforwarded, KC_HTTP_ENABLED behind a TLS-terminating proxy), https://www.keycloak.org/observability/health
 * (KC_HEALTH_ENABLED; /health/ready on the management port 9000), https://www.keycloak.org/server/importExport
 * (`--import-realm` reads /opt/keycloak/data/import at start and skips a realm that exists) and
 * https://www.keycloak.org/server/bootstrap-admin-recovery (KC_BOOTSTRAP_ADMIN_* creates the first admin).
 * The realm holds oauth2-proxy's client; a one-shot `kcadm.sh` step sets its callback URLs on every deploy, so an app
 * put behind single sign-on later is accepted without touching the imported realm.
 */
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";
import { callbackUrls, SIGN_IN_CLIENT_ID } from "../../derive/sso";
import type { AppContext } from "../apps";
import { PASSWORD, postgresSidecar, publicUrl } from "./common";
import { images } from "./images";
import { CLIENT_SECRET } from "./signIn";

const PORT = 8080;
const MANAGEMENT_PORT = 9000;
const KCADM = "/opt/keycloak/bin/kcadm.sh";

/**
 * The realm Keycloak imports on first start: sign-in by invitation only (no self-registration), and oauth2-proxy's
 * confidential client with PKCE, its secret a `{{placeholder}}`, and an audience mapper so its ID tokens name it
 * (oauth2-proxy checks the audience: https://oauth2-proxy.github.io/oauth2-proxy/configuration/providers/keycloak_oidc).
 */
export function keycloakRealm(realm: string, redirectUris: readonly string[]): string {
  const doc = {
    realm,
    enabled: true,
    sslRequired: "external",
    registrationAllowed: false,
    loginWithEmailAllowed: true,
    clients: [
      {
        clientId: SIGN_IN_CLIENT_ID,
        protocol: "openid-connect",
        publicClient: false,
        clientAuthenticatorType: "client-secret",
        secret: `{{${CLIENT_SECRET}}}`,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        redirectUris: [...redirectUris],
        webOrigins: ["+"],
        attributes: { "pkce.code.challenge.method": "S256" },
        protocolMappers: [
          {
            name: "audience",
            protocol: "openid-connect",
            protocolMapper: "oidc-audience-mapper",
            config: { "included.client.audience": SIGN_IN_CLIENT_ID, "id.token.claim": "true", "access.token.claim": "true" },
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function identityDeployment({ estate, name, app }: AppContext<"identity">): AppDeploymentSpec {
  const redirects = callbackUrls(estate);
  const server = `http://${containerName(name, "keycloak")}:${PORT}`;
  const kcadm = (args: string): string => `${KCADM} ${args} --config /tmp/kcadm.config`;
  return {
    adminLogin: { user: "admin", password: "{{admin-password}}" },
    secrets: { "db-password": PASSWORD, "admin-password": PASSWORD, [CLIENT_SECRET]: { kind: "password", length: 40 } },
    containers: [
      postgresSidecar("keycloak", "keycloak"),
      {
        component: "keycloak",
        image: images.keycloak,
        command: ["start", "--import-realm"],
        ports: [{ name: "http", containerPort: PORT }],
        env: {
          // The public URL people and tokens use; without a hostname (a tailnet-only identity app) Keycloak is unusable
          // for sign-in, which the estate rules refuse.
          KC_HOSTNAME: publicUrl(estate, app) ?? "",
          KC_HTTP_ENABLED: "true",
          KC_PROXY_HEADERS: "xforwarded",
          KC_HEALTH_ENABLED: "true",
          KC_DB: "postgres",
          KC_DB_URL: `jdbc:postgresql://${containerName(name, "db")}:5432/keycloak`,
          KC_DB_USERNAME: "keycloak",
          KC_BOOTSTRAP_ADMIN_USERNAME: "admin",
        },
        secretEnv: { KC_DB_PASSWORD: "{{db-password}}", KC_BOOTSTRAP_ADMIN_PASSWORD: "{{admin-password}}" },
        configFiles: [{ path: `/opt/keycloak/data/import/${app.realm}.json`, content: keycloakRealm(app.realm, redirects), artifact: "realm.json", secret: true }],
        // The image has no curl or wget (by design); bash's /dev/tcp asks the management port for readiness.
        healthcheck: {
          test: ["CMD", "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q '"UP"' <&3`],
          intervalSeconds: 15,
          startPeriodSeconds: 120,
        },
        memoryMiB: 1536,
        after: ["db"],
      },
      {
        component: "callbacks",
        image: images.keycloak,
        entrypoint: ["/bin/bash", "-c"],
        command: [
          [
            "set -euo pipefail",
            kcadm(`config credentials --server ${server} --realm master --user admin --password "$KC_ADMIN_PASSWORD"`),
            `id=$(${kcadm(`get clients -r ${app.realm} -q clientId=${SIGN_IN_CLIENT_ID} --fields id --format csv --noquotes`)})`,
            kcadm(`update "clients/$id" -r ${app.realm} -s 'redirectUris=${JSON.stringify(redirects)}'`),
          ].join("\n"),
        ],
        secretEnv: { KC_ADMIN_PASSWORD: "{{admin-password}}" },
        memoryMiB: 256,
        oneShot: true,
        after: ["keycloak"],
      },
    ],
  };
}
