/** Facts about Proxmox placement derived from the estate: which storage holds what, which guests are backed up. */
import { isProxmoxGuest, type Estate, type ProxmoxGuestNode, type ProxmoxSite } from "../estate/schema";
import type { datastoreContents } from "../estate/schema";

type Content = (typeof datastoreContents)[number];

/** The site's first storage (in config order) whose content includes `content`. */
export function siteStorage(site: ProxmoxSite, content: Content): string | undefined {
  return Object.entries(site.datastores).find(([, ds]) => ds.content.includes(content))?.[0];
}

/** The storage a guest's root disk lands on: its own choice, or the site's first storage able to hold it. */
export function guestDatastore(guest: ProxmoxGuestNode, site: ProxmoxSite): string | undefined {
  return guest.datastore ?? siteStorage(site, guest.kind === "proxmox-vm" ? "images" : "rootdir");
}

/** Proxmox guests by name, in config order. */
export function proxmoxGuests(estate: Pick<Estate, "nodes">): Array<[string, ProxmoxGuestNode]> {
  return Object.entries(estate.nodes).filter((e): e is [string, ProxmoxGuestNode] => isProxmoxGuest(e[1]));
}

/** Guests get a nightly backup when they ask for one; in prod every guest does unless it opts out. */
export function isBackedUp(guest: ProxmoxGuestNode, environment: Estate["environment"]): boolean {
  return guest.backup ?? environment === "prod";
}

/** Nodes that run Docker: every node, since every node runs the host agents (node metrics, logs), apps or not. */
export function dockerHosts(estate: Pick<Estate, "nodes">): Set<string> {
  return new Set(Object.keys(estate.nodes));
}

/** The config key holding the site's credential (a secret): its own, or the provider's default for its auth mode. */
export function siteCredentialKey(site: Pick<ProxmoxSite, "credential" | "rootAuth">): string {
  return site.credential ?? (site.rootAuth ? "proxmoxve:password" : "proxmoxve:apiToken");
}

/** The host SSH port of a site: its stated one, or SSH's own. */
export function siteSshPort(site: Pick<ProxmoxSite, "ssh">): number {
  return site.ssh?.port ?? 22;
}

/** The SSH hop through the Proxmox host to a guest's LAN address, when its site asks for one (`ssh.jump`). */
export function lanJump(estate: Pick<Estate, "nodes" | "proxmox">, node: string): { host: string; port: number; user: string } | undefined {
  const spec = estate.nodes[node];
  const site = spec && isProxmoxGuest(spec) ? estate.proxmox[spec.site] : undefined;
  if (!site?.ssh?.jump) return undefined;
  return { host: new URL(site.endpoint).hostname, port: siteSshPort(site), user: site.ssh.username };
}
