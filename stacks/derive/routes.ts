/**
 * How one app reaches another app's port, and the reverse proxy's routes. On the same host, containers talk over
 * the shared Docker network by container name and container port; across hosts, over the tailnet to the published
 * host port. Everything here is derived from the estate and the catalog.
 */
import { appHostPorts, appKinds } from "../catalog/apps";
import { containerName } from "../../components/apps/deploymentSpec";
import type { Estate } from "../estate/schema";
import { nodeHost } from "./addressing";
import { baseDomain, publicApps } from "./hostnames";

/**
 * "host:port" at which code running on `fromNode` reaches `app`'s named port. `fromNode` undefined means "from
 * elsewhere" (always the tailnet address).
 */
export function reach(estate: Pick<Estate, "apps" | "tailnet" | "nodes">, fromNode: string | undefined, app: string, port: string): string {
  const target = estate.apps[app];
  if (!target) throw new Error(`reach: no app "${app}" in the estate`);
  const listen = appKinds[target.kind].listen[port];
  if (!listen) throw new Error(`reach: a ${target.kind} has no port "${port}"; expected one of: ${Object.keys(appKinds[target.kind].listen).join(", ")}`);
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
}

/** The proxy's routes: every app with a public hostname, in app-name order. Empty without a reverse proxy. */
export function proxyRoutes(estate: Pick<Estate, "apps" | "dns" | "tailnet" | "nodes">): ProxyRoute[] {
  const proxy = Object.values(estate.apps).find((a) => a.kind === "reverse-proxy");
  if (!proxy) return [];
  return publicApps(estate).flatMap(({ app, fqdn }) => {
    const upstream = appKinds[estate.apps[app].kind].upstream;
    if (upstream === undefined) return [];
    const apex = estate.dns !== undefined && fqdn === baseDomain(estate.dns);
    return [{ app, fqdn, upstream: reach(estate, proxy.node, app, upstream), aliases: apex && estate.dns?.www ? [`www.${fqdn}`] : [] }];
  });
}
