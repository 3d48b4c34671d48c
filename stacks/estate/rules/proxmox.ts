/** Proxmox placement: sites, storages, VMIDs, addresses on bridges, and capacity. */
import { dockerHosts, guestDatastore, isBackedUp, proxmoxGuests as guests, siteStorage } from "../../derive/proxmox";
import { addressSet, isHostInCidr, isIpv4, overlaps, parseCidr, parsePrefix } from "../net";
import type { Estate, ProxmoxSite } from "../schema";
import { oneOf, type EstateProblem, type Rule } from "./problem";

function storageProblems(site: ProxmoxSite, siteName: string, store: string, content: string, path: PropertyKey[]): EstateProblem[] {
  const datastore = site.datastores[store];
  if (!datastore) return [{ path, message: `unknown storage "${store}" on site "${siteName}"; ${oneOf(Object.keys(site.datastores))}` }];
  if (!(datastore.content as readonly string[]).includes(content)) {
    return [{ path, message: `storage "${store}" does not hold "${content}" (its content: ${datastore.content.join(", ")})` }];
  }
  return [];
}

const guestPlacement: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, guest] of guests(estate)) {
    const at = ["nodes", name];
    const site = estate.proxmox[guest.site];
    if (!site) {
      problems.push({ path: [...at, "site"], message: `unknown Proxmox site "${guest.site}"; ${oneOf(Object.keys(estate.proxmox))} (hybridlab:proxmox)` });
      continue;
    }
    const content = guest.kind === "proxmox-vm" ? "images" : "rootdir";
    const store = guestDatastore(guest, site);
    if (store === undefined) {
      problems.push({ path: [...at, "datastore"], message: `site "${guest.site}" has no storage with content "${content}"; add one or set datastore` });
    } else {
      problems.push(...storageProblems(site, guest.site, store, content, [...at, "datastore"]));
    }
    if (guest.kind === "proxmox-lxc") {
      // Mount points are LXC volumes, which need `rootdir` content like the root disk.
      guest.mounts.forEach((mount, i) => {
        if (mount.datastore) problems.push(...storageProblems(site, guest.site, mount.datastore, "rootdir", [...at, "mounts", i, "datastore"]));
      });
    }
  }
  return problems;
};

/** What a site must offer for the guests placed on it: storages by content, SSH for snippets, root for keyctl. */
const siteRequirements: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const docker = dockerHosts(estate);
  for (const [siteName, site] of Object.entries(estate.proxmox)) {
    const onSite = guests(estate).filter(([, g]) => g.site === siteName);
    const at = ["proxmox", siteName];
    const needs: Array<[boolean, "snippets" | "iso" | "vztmpl" | "backup", string]> = [
      [onSite.some(([, g]) => g.kind === "proxmox-vm"), "snippets", "VMs receive their cloud-init user data as a snippet"],
      [onSite.some(([, g]) => g.kind === "proxmox-vm"), "iso", "VM disks are imported from cloud images stored as iso content"],
      [onSite.some(([, g]) => g.kind === "proxmox-lxc"), "vztmpl", "LXC containers are created from templates (vztmpl content)"],
      [onSite.some(([, g]) => isBackedUp(g, estate.environment)), "backup", "guests with backups need a storage for the archives"],
    ];
    for (const [needed, content, why] of needs) {
      if (needed && siteStorage(site, content) === undefined) {
        problems.push({ path: [...at, "datastores"], message: `${why}: add "${content}" to the content of a storage (usually local)` });
      }
    }
    if (onSite.some(([, g]) => g.kind === "proxmox-vm") && !site.ssh) {
      problems.push({ path: [...at, "ssh"], message: "cloud-init snippets are uploaded over SSH (the Proxmox API cannot write them): set ssh: {username: root} and load the key in your SSH agent or proxmoxve:sshPrivateKey" });
    }
    for (const [name, guest] of onSite) {
      if (guest.kind !== "proxmox-lxc" || site.rootAuth) continue;
      const needs = [
        ...(docker.has(name) ? ["Docker for the host agents every node runs (the LXC feature keyctl)"] : []),
        ...(estate.tailnet ? ["Tailscale (the /dev/net/tun device passthrough)"] : []),
      ];
      if (needs.length > 0) {
        problems.push({ path: ["nodes", name], message: `needs ${needs.join(" and ")}, which Proxmox lets only root@pam set: set hybridlab:proxmox.${siteName}.rootAuth: true (${site.credential === undefined ? "password in proxmoxve:password" : `then ${site.credential} holds root@pam's password, not a token`}), or make the node a VM` });
      }
    }
  }
  return problems;
};

const uniqueVmids: Rule = (estate) => {
  const seen = new Map<string, string>();
  const problems: EstateProblem[] = [];
  for (const [name, guest] of guests(estate)) {
    const key = `${guest.site}/${guest.vmid}`;
    const owner = seen.get(key);
    if (owner) {
      problems.push({ path: ["nodes", name, "vmid"], message: `${guest.vmid} is already used by nodes.${owner}; VMIDs must be unique per Proxmox site` });
    } else {
      seen.set(key, name);
    }
  }
  return problems;
};

/** The host's address when the site's endpoint names it by IPv4 address (a host name cannot be compared offline). */
function siteHostAddress(site: ProxmoxSite): string | undefined {
  const host = new URL(site.endpoint).hostname;
  return isIpv4(host) ? host : undefined;
}

/** Each bridge is its own subnet, with its gateway inside it. */
const bridgeSubnets: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [siteName, site] of Object.entries(estate.proxmox)) {
    const seen: Array<[string, string]> = [];
    for (const [name, bridge] of Object.entries(site.bridges)) {
      const at = ["proxmox", siteName, "bridges", name];
      const subnet = parsePrefix(bridge.cidr);
      if (!subnet) continue; // the schema reports it
      const clash = seen.find(([, cidr]) => overlaps(addressSet([subnet]), addressSet([parsePrefix(cidr)].filter((p) => p !== undefined))));
      if (clash) {
        problems.push({ path: [...at, "cidr"], message: `${bridge.cidr} overlaps ${clash[0]}'s subnet ${clash[1]}; each bridge needs a subnet of its own` });
      }
      seen.push([name, bridge.cidr]);
      if (bridge.gateway !== undefined && !isHostInCidr(bridge.gateway, bridge.cidr)) {
        problems.push({ path: [...at, "gateway"], message: `${bridge.gateway} is not a usable host address in ${name}'s subnet ${subnet.network}` });
      }
    }
  }
  return problems;
};

const guestAddresses: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const claimed = new Map<string, string>();
  for (const [name, guest] of guests(estate)) {
    const site = estate.proxmox[guest.site];
    if (!site) continue;
    guest.networks.forEach((nic, i) => {
      const at = ["nodes", name, "networks", i];
      const bridge = site.bridges[nic.bridge];
      if (!bridge) {
        problems.push({ path: [...at, "bridge"], message: `unknown bridge "${nic.bridge}" on site "${guest.site}"; ${oneOf(Object.keys(site.bridges))}` });
        return;
      }
      if (nic.address === "dhcp") return;
      const { address, prefix } = parseCidr(nic.address);
      const bridgePrefix = parseCidr(bridge.cidr).prefix;
      if (!isHostInCidr(address, bridge.cidr)) {
        problems.push({ path: [...at, "address"], message: `${address} is not a usable host address in ${nic.bridge}'s subnet ${bridge.cidr}` });
        return;
      }
      if (prefix !== bridgePrefix) {
        problems.push({ path: [...at, "address"], message: `prefix /${prefix} differs from ${nic.bridge}'s subnet ${bridge.cidr}; use ${address}/${bridgePrefix}` });
      }
      const gateway = nic.gateway ?? bridge.gateway;
      if (gateway === address) {
        problems.push({ path: [...at, "address"], message: `${address} is the gateway of ${nic.bridge}; pick another address` });
      }
      if (nic.gateway && !isHostInCidr(nic.gateway, bridge.cidr)) {
        problems.push({ path: [...at, "gateway"], message: `${nic.gateway} is outside ${nic.bridge}'s subnet ${bridge.cidr}` });
      }
      const onBridge = parsePrefix(bridge.cidr);
      if (siteHostAddress(site) === address) {
        problems.push({ path: [...at, "address"], message: `${address} is the Proxmox host's own address (hybridlab:proxmox.${guest.site}.endpoint ${site.endpoint}); pick another address` });
      } else if (onBridge?.hostBitsSet && onBridge.address === address) {
        // A bridge written as the host's interface address (192.168.1.10/24, as in /etc/network/interfaces) names it.
        problems.push({ path: [...at, "address"], message: `${address} is the Proxmox host's own address on ${nic.bridge} (hybridlab:proxmox.${guest.site}.bridges.${nic.bridge}.cidr ${bridge.cidr}); pick another address` });
      }
      const key = `${guest.site}/${nic.bridge}/${parsePrefix(address, { bareAddress: true })?.network}${nic.vlan ? `/vlan${nic.vlan}` : ""}`;
      const owner = claimed.get(key);
      if (owner) {
        problems.push({ path: [...at, "address"], message: `${address} is already assigned to ${owner}; addresses must be unique on a bridge` });
      } else {
        claimed.set(key, `nodes.${name}`);
      }
    });
  }
  return problems;
};

/** Per site: what the guests placed there ask for, against capacity x overcommit. */
function siteDemand(estate: Estate, siteName: string): { cores: number; memoryMiB: number; diskGiB: number } {
  const demand = { cores: 0, memoryMiB: 0, diskGiB: 0 };
  for (const [, guest] of guests(estate)) {
    if (guest.site !== siteName) continue;
    demand.cores += guest.cores;
    demand.memoryMiB += guest.memoryMiB;
    demand.diskGiB += guest.diskGiB + (guest.kind === "proxmox-lxc" ? guest.mounts.reduce((sum, m) => sum + m.sizeGiB, 0) : 0);
  }
  return demand;
}

const siteCapacity: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [siteName, site] of Object.entries(estate.proxmox)) {
    const demand = siteDemand(estate, siteName);
    const limits = [
      ["cores", demand.cores, site.capacity.cores, site.overcommit.cpu],
      ["memoryMiB", demand.memoryMiB, site.capacity.memoryMiB, site.overcommit.memory],
      ["diskGiB", demand.diskGiB, site.capacity.diskGiB, site.overcommit.disk],
    ] as const;
    for (const [what, asked, has, ratio] of limits) {
      const allowed = Math.floor(has * ratio);
      if (asked > allowed) {
        problems.push({ path: ["proxmox", siteName, "capacity", what], message: `guests ask for ${asked} ${what} but the site allows ${allowed} (${has} x overcommit ${ratio}); shrink guests or raise capacity/overcommit` });
      }
    }
  }
  return problems;
};

/** Each site's VE exporter runs on a guest of that site and has its token; every token belongs to such a site. */
const pveExporterPlacement: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const tokens = estate.pveExporterTokens ?? {};
  for (const [siteName, site] of Object.entries(estate.proxmox)) {
    if (site.pveExporter === undefined) continue;
    const at = ["proxmox", siteName, "pveExporter"];
    const siteGuests = guests(estate).filter(([, guest]) => guest.site === siteName).map(([name]) => name);
    const node = site.pveExporter.node;
    if (node !== undefined && !siteGuests.includes(node)) {
      problems.push({ path: [...at, "node"], message: `"${node}" is not a guest of site "${siteName}"; the exporter reaches the API over the site's LAN: ${oneOf(siteGuests.sort())}` });
    } else if (node === undefined && siteGuests.length === 0) {
      problems.push({ path: at, message: `site "${siteName}" has no guest to run the exporter on; add one, or remove pveExporter` });
    }
    if (tokens[siteName] === undefined) {
      problems.push({ path: ["pveExporterTokens", siteName], message: `the exporter of site "${siteName}" needs its read-only API token: pulumi config set --secret --path 'hybridlab:pveExporterTokens.${siteName}'` });
    }
  }
  for (const siteName of Object.keys(tokens)) {
    if (estate.proxmox[siteName]?.pveExporter === undefined) {
      const withExporter = Object.keys(estate.proxmox).filter((name) => estate.proxmox[name].pveExporter !== undefined);
      problems.push({ path: ["pveExporterTokens", siteName], message: `no site "${siteName}" with a pveExporter to use this token; ${oneOf(withExporter)}` });
    }
  }
  return problems;
};

export const proxmoxRules: readonly Rule[] = [guestPlacement, siteRequirements, uniqueVmids, bridgeSubnets, guestAddresses, siteCapacity, pveExporterPlacement];
