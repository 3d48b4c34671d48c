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
