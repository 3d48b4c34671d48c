/**
 * The reverse proxy: Caddy with automatic HTTPS, one site per public hostname, and oauth2-proxy beside it when an
 * app is behind single sign-on (signIn.ts).
 * Upstream deployment: https://hub.docker.com/_/caddy ("Docker Compose example": ports 80/443, /data and /config
 * on volumes). /data holds the ACME account keys and certificates; losing it means re-issuing everything and
 * running into Let's Encrypt's rate limits, so it is a named, retained volume.
 */
import { BIND_ADDRESS, publicEdge } from "../../derive/edge";
import { proxyRoutes } from "../../derive/routes";
import { renderCaddyfile } from "../../render/caddyfile";
import type { AppContext } from "../apps";
import { appKinds } from "../apps";
import { httpCheck } from "./common";
import { signInGateway } from "./signIn";
import { images } from "./images";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";

const METRICS_PORT = 2019;

export function proxyDeployment({ estate, app }: AppContext<"reverse-proxy">): AppDeploymentSpec {
  const edge = publicEdge(estate);
  const caddyfile = renderCaddyfile({
    acmeEmail: app.acmeEmail,
    // Dev certificates come from the staging CA: untrusted, but with rate limits a rebuild loop cannot exhaust.
    staging: estate.environment === "dev",
    sites: proxyRoutes(estate).map((route) => ({ fqdn: route.fqdn, upstream: route.upstream, aliases: route.aliases, ...(route.signIn ? { signIn: route.signIn } : {}) })),
    metricsPort: METRICS_PORT,
  });
  const gateway = signInGateway(estate, ["caddy"]);
  return {
    secrets: gateway?.secrets ?? {},
    imports: gateway && Object.keys(gateway.imports).length > 0 ? gateway.imports : undefined,
    containers: [
      {
        component: "caddy",
        image: images.caddy,
        // The public edge (edge.ts) decides the protocols and address families, as it does for the firewall and DNS.
        ports: [
          ...(edge?.listeners ?? []).map((l) => ({
            name: l.portName,
            containerPort: appKinds["reverse-proxy"].listen[l.portName].port,
            ...(l.protocol === "udp" ? { protocol: "udp" as const } : {}),
            bindIpv6: edge?.families.flatMap((f) => BIND_ADDRESS[f] ?? []),
          })),
          { name: "metrics", containerPort: METRICS_PORT },
        ],
        volumes: [
          { name: "data", path: "/data" },
          { name: "config", path: "/config" },
        ],
        configFiles: [{ path: "/etc/caddy/Caddyfile", content: caddyfile, artifact: "Caddyfile" }],
        // The admin API is off (see the Caddyfile); the metrics listener answers once the config is loaded.
        healthcheck: httpCheck("wget", `http://127.0.0.1:${METRICS_PORT}/metrics`, { intervalSeconds: 30, startPeriodSeconds: 10 }),
        memoryMiB: 256,
        // Caddy runs as root only to bind 80 and 443.
        capAdd: ["NET_BIND_SERVICE"],
      },
      ...(gateway ? [gateway.container] : []),
    ],
  };
}
