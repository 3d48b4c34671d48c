/** How one node reaches another: over the tailnet, by MagicDNS name. Every node joins the tailnet. */
import type { Estate } from "../estate/schema";

/** The MagicDNS name of a node: `<node>.<suffix>`, or the bare `<node>` when no suffix is configured. */
export function tailnetHost(estate: Pick<Estate, "tailnet">, node: string): string {
  const suffix = estate.tailnet?.magicDnsSuffix;
  return suffix ? `${node}.${suffix}` : node;
}
