/**
 * How one app reaches another app's port, and the reverse proxy's routes. On the same host, containers talk over
 * the shared Docker network by container name and container port; across hosts, over the tailnet to the published
 * host port. Everything here is derived from the estate and the catalog.
 */
import { appHostPorts, appSpecOf, exposureOf } from "../catalog/apps";
import { containerName } from "../../components/apps/deploymentSpec";
import type { Estate } from "../estate/schema";
import { nodeHost } from "./addressing";
import { baseDomain, publicApps } from "./hostnames";
import { authRequestUri, signInEndpoint } from "./sso";

/**
 * "host:port" at which code running on `fromNode` reaches `app`'s named port. `fromNode` undefined means "from
 * elsewhere" (always the tailnet address).
 */
export function reach(estate: Pick<Estate, "apps" | "tailnet" | "nodes">, fromNode: string | undefined, app: string, port: string): string {
  const target = estate.apps[app];
  if (!target) throw new Error(`reach: no app "${app}" in the estate`);
  const listens = appSpecOf(target).listen;
  const listen = listens[port];
  if (!listen) throw new Error(`reach: a ${target.kind} has no port "${port}"; expected one of: ${Object.keys(listens).join(", ")}`);
  return target.node === fromNode ? `${containerName(app, listen.component)}:${listen.port}` : `${nodeHost(estate, target.node)}:${appHostPorts(target)[port]}`;
}

/** One public hostname served by the reverse proxy. */
export interface ProxyRoute {
  readonly app: string;
  readonly fqdn: string;
  /** "host:port" the proxy forwards to. */
  readonly upstream: string;
  /** Hostnames that redirect to `fqdn` (www. for the apex app when dns.www is set). */
  readonly aliases: readonly string[];
  /** For an sso app: oauth2-proxy's "host:port" and the auth request path every request must pass first. */
  readonly signIn?: { readonly endpoint: string; readonly uri: string };
}

/**
 * The proxy's routes: every app with a public hostname, in app-name order, those with `exposure: sso` behind the
 * sign-in proxy. Empty without a reverse proxy.
 */
export function proxyRoutes(estate: Pick<Estate, "apps" | "dns" | "tailnet" | "nodes">): ProxyRoute[] {
  const proxyName = Object.keys(estate.apps).find((a) => estate.apps[a].kind === "reverse-proxy");
  if (proxyName === undefined) return [];
  const proxy = estate.apps[proxyName];
  return publicApps(estate).flatMap(({ app, fqdn }) => {
    const upstream = appSpecOf(estate.apps[app]).upstream;
    if (upstream === undefined) return [];
    const apex = estate.dns !== undefined && fqdn === baseDomain(estate.dns);
    const spec = estate.apps[app];
    const signIn = exposureOf(spec) === "sso" ? { endpoint: signInEndpoint(proxyName), uri: authRequestUri(spec) } : undefined;
    return [{ app, fqdn, upstream: reach(estate, proxy.node, app, upstream), aliases: apex && estate.dns?.www ? [`www.${fqdn}`] : [], ...(signIn ? { signIn } : {}) }];
  });
}
