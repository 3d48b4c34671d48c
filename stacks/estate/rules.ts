/**
 * Checks that relate one part of a well-shaped estate to another: references, uniqueness, addressing, capacity,
 * placement. Each returns every problem it finds, so a user fixes a config in one round.
 */
import { appHostPorts, appKinds, hostAgents } from "../catalog/apps";
import { cloudCatalog, resolveCloudSize, sizeClasses } from "../catalog/cloudSizes";
import { publicFqdn } from "../derive/hostnames";
import { dockerHosts, guestDatastore, isBackedUp, proxmoxGuests, siteStorage } from "../derive/proxmox";
import { isHostInCidr, ipv4ToInt, parseCidr } from "./net";
import { isProxmoxGuest, type Estate } from "./schema";

export interface EstateProblem {
  /** Path below `hybridlab:`, e.g. ["nodes", "minio", "vmid"]. */
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
}

type Rule = (estate: Estate) => EstateProblem[];

const oneOf = (values: Iterable<string>): string => {
  const list = [...values];
  return list.length === 0 ? "none are defined" : `expected one of: ${list.join(", ")}`;
};

const guests = proxmoxGuests;

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
    } else if (!site.datastores[store]) {
      problems.push({ path: [...at, "datastore"], message: `unknown storage "${store}" on site "${guest.site}"; ${oneOf(Object.keys(site.datastores))}` });
    } else if (!site.datastores[store].content.includes(content)) {
      problems.push({ path: [...at, "datastore"], message: `storage "${store}" does not hold "${content}" (its content: ${site.datastores[store].content.join(", ")})` });
    }
    if (guest.kind === "proxmox-lxc") {
      guest.mounts.forEach((mount, i) => {
        if (mount.datastore && !site.datastores[mount.datastore]) {
          problems.push({ path: [...at, "mounts", i, "datastore"], message: `unknown storage "${mount.datastore}" on site "${guest.site}"; ${oneOf(Object.keys(site.datastores))}` });
        }
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
      if (guest.kind === "proxmox-lxc" && docker.has(name) && !site.rootAuth) {
        problems.push({ path: ["nodes", name], message: `runs apps in Docker, which needs the LXC features nesting and keyctl, and Proxmox lets only root@pam set keyctl: set hybridlab:proxmox.${siteName}.rootAuth: true (password in proxmoxve:password), or place the apps on a VM` });
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
      const key = `${guest.site}/${nic.bridge}/${ipv4ToInt(address)}${nic.vlan ? `/vlan${nic.vlan}` : ""}`;
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
export function siteDemand(estate: Estate, siteName: string): { cores: number; memoryMiB: number; diskGiB: number } {
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

const cloudSizesAndRegions: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, node] of Object.entries(estate.nodes)) {
    if (isProxmoxGuest(node)) continue;
    const catalog = cloudCatalog[node.kind];
    if (!catalog.sizes[resolveCloudSize(node.kind, node.size)]) {
      problems.push({ path: ["nodes", name, "size"], message: `unknown ${node.kind} size "${node.size}"; ${oneOf([...sizeClasses, ...Object.keys(catalog.sizes)])}` });
    }
    if (node.region !== undefined && !catalog.regions.includes(node.region)) {
      problems.push({ path: ["nodes", name, "region"], message: `unknown ${node.kind} region "${node.region}"; ${oneOf(catalog.regions)}` });
    }
  }
  return problems;
};

const roles: Rule = (estate) => {
  const nodes = Object.entries(estate.nodes);
  const hubs = nodes.filter(([, n]) => n.role === "hub").map(([name]) => name);
  const problems: EstateProblem[] = [];
  if (hubs.length === 0 && nodes.some(([, n]) => n.role === "spoke")) {
    problems.push({ path: ["nodes"], message: "spokes exist but no node has role hub; spokes are reached through the hub" });
  }
  for (const extra of hubs.slice(1)) {
    problems.push({ path: ["nodes", extra, "role"], message: `nodes.${hubs[0]} is already the hub; an estate has one hub` });
  }
  if (!estate.tailnet && nodes.some(([, n]) => n.role !== "lab")) {
    problems.push({ path: ["tailnet"], message: "the hub and spokes are joined by Tailscale: set hybridlab:tailnet (name of your tailnet)" });
  }
  return problems;
};

const appPlacement: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    const node = estate.nodes[app.node];
    const spec = appKinds[app.kind];
    if (!node) {
      problems.push({ path: ["apps", name, "node"], message: `unknown node "${app.node}"; ${oneOf(Object.keys(estate.nodes))}` });
    } else if (spec.hubOnly && node.role !== "hub") {
      problems.push({ path: ["apps", name, "node"], message: `a ${app.kind} runs on the hub, but nodes.${app.node} has role ${node.role}` });
    }
    for (const portName of Object.keys(app.ports)) {
      if (!(portName in spec.ports)) {
        problems.push({ path: ["apps", name, "ports", portName], message: `${app.kind} has no port "${portName}"; ${oneOf(Object.keys(spec.ports))}` });
      }
    }
    if (app.kind === "mlflow" && app.artifactStore !== undefined) {
      const store = estate.apps[app.artifactStore];
      if (store?.kind !== "minio") {
        const minios = Object.keys(estate.apps).filter((a) => estate.apps[a].kind === "minio");
        problems.push({ path: ["apps", name, "artifactStore"], message: `"${app.artifactStore}" is not a minio app; ${oneOf(minios)}` });
      }
    }
  }
  const proxies = Object.keys(estate.apps).filter((a) => estate.apps[a].kind === "reverse-proxy");
  for (const extra of proxies.slice(1)) {
    problems.push({ path: ["apps", extra, "kind"], message: `apps.${proxies[0]} is already the reverse proxy; an estate has one` });
  }
  return problems;
};

const hostnames: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const owners = new Map<string, string>();
  const hasProxy = Object.values(estate.apps).some((a) => a.kind === "reverse-proxy");
  for (const [name, app] of Object.entries(estate.apps)) {
    if (app.hostname === undefined) continue;
    const at = ["apps", name, "hostname"];
    if (!appKinds[app.kind].upstream) {
      problems.push({ path: at, message: `a ${app.kind} is not served under a hostname; remove it` });
      continue;
    }
    if (!estate.dns) {
      problems.push({ path: at, message: "a public hostname needs hybridlab:dns (the zone it lives in)" });
      continue;
    }
    if (!hasProxy) {
      problems.push({ path: at, message: "a public hostname is served by the hub's reverse proxy, but no app has kind reverse-proxy" });
    }
    const fqdn = publicFqdn(app.hostname, estate.dns);
    const owner = owners.get(fqdn);
    if (owner) {
      problems.push({ path: at, message: `${fqdn} is already claimed by apps.${owner}; hostnames must be unique` });
    } else {
      owners.set(fqdn, name);
    }
  }
  return problems;
};

const hostPorts: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const claimed = new Map<string, string>();
  for (const node of dockerHosts(estate)) {
    for (const [agent, port] of Object.entries(hostAgents)) claimed.set(`${node}:${port}`, `the ${agent} agent every app host runs`);
  }
  for (const [name, app] of Object.entries(estate.apps)) {
    for (const [portName, port] of Object.entries(appHostPorts(app))) {
      const key = `${app.node}:${port}`;
      const owner = claimed.get(key);
      if (owner) {
        problems.push({ path: ["apps", name, "ports", portName], message: `host port ${port} on node ${app.node} is already claimed by ${owner}; set apps.${name}.ports.${portName} to a free port` });
      } else {
        claimed.set(key, `apps.${name} (${portName})`);
      }
    }
  }
  return problems;
};

const access: Rule = (estate) =>
  estate.environment !== "prod"
    ? []
    : estate.access.adminCidrs.flatMap((cidr, i) =>
        parseCidr(cidr).prefix === 0 ? [{ path: ["access", "adminCidrs", i], message: `${cidr} opens SSH to the whole internet; in prod list your admin networks, or none to use the tailnet only` }] : [],
      );

const wwwAlias: Rule = (estate) => {
  if (!estate.dns?.www || !Object.values(estate.apps).some((a) => a.hostname === "@")) return [];
  return Object.entries(estate.apps)
    .filter(([, a]) => a.hostname === "www")
    .map(([name]) => ({ path: ["apps", name, "hostname"], message: "www is taken by dns.www (an alias of the apex app); choose another hostname or set dns.www: false" }));
};

const alertMail: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    if (app.kind !== "monitoring") return [];
    if (app.alertEmail !== undefined && app.smtp === undefined) return [{ path: ["apps", name, "smtp"], message: "alertEmail needs the mail relay to send through: set smtp {smarthost, from, username}" }];
    if (app.smtp !== undefined && app.alertEmail === undefined) return [{ path: ["apps", name, "alertEmail"], message: "smtp is set but nobody receives alerts: set alertEmail" }];
    if (app.smtp !== undefined && estate.smtpPassword === undefined) return [{ path: ["smtpPassword"], message: "the mail relay needs its password: pulumi config set --secret hybridlab:smtpPassword ..." }];
    return [];
  });

const operators: Rule = (estate) => {
  const seen = new Set<string>();
  const problems: EstateProblem[] = [];
  estate.operators.forEach((op, i) => {
    if (seen.has(op.name)) problems.push({ path: ["operators", i, "name"], message: `operator "${op.name}" is listed twice` });
    seen.add(op.name);
  });
  return problems;
};

const rules: readonly Rule[] = [guestPlacement, siteRequirements, uniqueVmids, guestAddresses, siteCapacity, cloudSizesAndRegions, roles, appPlacement, hostnames, wwwAlias, hostPorts, access, alertMail, operators];

/** Every cross-reference problem in a schema-valid estate. */
export function checkEstateRules(estate: Estate): EstateProblem[] {
  return rules.flatMap((rule) => rule(estate));
}
