/**
 * Proxmox wiring: per site, one explicit provider, each OS image downloaded once, every guest, and one backup
 * job for the guests that hold data.
 */
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { BackupSchedule } from "../../components/proxmox/BackupSchedule";
import { ProxmoxContainer } from "../../components/proxmox/ProxmoxContainer";
import { ProxmoxImage } from "../../components/proxmox/ProxmoxImage";
import { ProxmoxVm } from "../../components/proxmox/ProxmoxVm";
import { ownerTags } from "../../components/labels";
import { dockerHosts, guestDatastore, isBackedUp, proxmoxGuests, siteCredentialKey, siteStorage } from "../derive/proxmox";
import type { OsImage } from "../../components/os";
import type { Estate, ProxmoxGuestNode, ProxmoxSite } from "../estate/schema";
import { DEPLOY_USER } from "../bootstrap/deployUser";
import type { NodeGeneration } from "./generation";
import type { MeshOutputs } from "./mesh";
import { nodeUserData } from "./userData";

/** A Proxmox guest's component: a resource to depend on, with its VMID, address and SSH target. */
export type GuestComponent = ProxmoxVm | ProxmoxContainer;

/**
 * The site's provider. Credentials come from provider config keys, never from the estate: the site's own key
 * (`credential`) or the provider's defaults; explicit providers do not read `proxmoxve:*` by themselves, so they are
 * passed here, as secrets.
 */
function siteProvider(siteName: string, site: ProxmoxSite): proxmox.Provider {
  const credentials = new pulumi.Config("proxmoxve");
  const endpointHost = new URL(site.endpoint).hostname;
  const secret = credentials.getSecret(siteCredentialKey(site).slice("proxmoxve:".length));
  return new proxmox.Provider(`proxmox-${siteName}`, {
    endpoint: site.endpoint,
    insecure: site.insecure,
    ...(site.rootAuth ? { username: credentials.get("username") ?? "root@pam", password: secret } : { apiToken: secret }),
    ssh: site.ssh && {
      username: site.ssh.username,
      agent: site.ssh.agent,
      privateKey: credentials.getSecret("sshPrivateKey"),
      // Snippet uploads (and any other SSH the provider does) go to the host at this address and port.
      nodes: [{ name: site.node, address: endpointHost, ...(site.ssh.port === undefined ? {} : { port: site.ssh.port }) }],
    },
  });
}

/** Resolves storages the estate rules have already proven exist. */
function storage(found: string | undefined, what: string): string {
  if (found === undefined) throw new Error(`internal: no ${what} storage survived validation`);
  return found;
}

export function composeProxmox(
  estate: Estate,
  stack: string,
  mesh: Pick<MeshOutputs, "authKeys" | "tags">,
  generations: Readonly<Record<string, NodeGeneration>>,
): Record<string, GuestComponent> {
  const outputs: Record<string, GuestComponent> = {};
  const docker = dockerHosts(estate);
  const prod = estate.environment === "prod";

  for (const [siteName, site] of Object.entries(estate.proxmox)) {
    const onSite = proxmoxGuests(estate).filter(([, g]) => g.site === siteName);
    if (onSite.length === 0) continue;
    const provider = siteProvider(siteName, site);
    const images = new Map<string, ProxmoxImage>();
    const image = (kind: "cloud-image" | "lxc-template", os: OsImage): pulumi.Output<string> => {
      const key = `${siteName}-${os.replace(".", "")}-${kind}`;
      const existing = images.get(key);
      if (existing) return existing.fileId;
      const created = new ProxmoxImage(
        key,
        { stack, nodeName: site.node, datastore: storage(siteStorage(site, kind === "cloud-image" ? "iso" : "vztmpl"), kind), kind, os },
        { provider },
      );
      images.set(key, created);
      return created.fileId;
    };

    for (const [name, guest] of onSite) {
      outputs[name] = guestComponent(name, guest, site, { image, provider, docker: docker.has(name), prod, estate, stack, mesh, generation: generations[name] });
    }

    const backedUp = onSite.filter(([, g]) => isBackedUp(g, estate.environment)).map(([, g]) => g.vmid);
    if (backedUp.length > 0) {
      new BackupSchedule(`${siteName}-backup`, { jobId: `${stack}-${siteName}`, nodeName: site.node, storage: storage(siteStorage(site, "backup"), "backup"), vmIds: backedUp }, { provider });
    }
  }
  return outputs;
}

interface GuestContext {
  image: (kind: "cloud-image" | "lxc-template", os: OsImage) => pulumi.Output<string>;
  provider: proxmox.Provider;
  docker: boolean;
  prod: boolean;
  estate: Estate;
  stack: string;
  mesh: Pick<MeshOutputs, "authKeys" | "tags">;
  generation: NodeGeneration;
}

function guestComponent(name: string, guest: ProxmoxGuestNode, site: ProxmoxSite, ctx: GuestContext): GuestComponent {
  const networks = guest.networks.map((nic) => ({ ...nic, gateway: nic.gateway ?? site.bridges[nic.bridge]?.gateway }));
  const nameservers = [...new Set(guest.networks.flatMap((nic) => site.bridges[nic.bridge]?.nameservers ?? []))];
  const common = {
    stack: ctx.stack,
    nodeName: site.node,
    vmId: guest.vmid,
    cores: guest.cores,
    memoryMiB: guest.memoryMiB,
    diskGiB: guest.diskGiB,
    datastore: storage(guestDatastore(guest, site), "root disk"),
    networks,
    nameservers,
    tags: [...ownerTags(ctx.stack, { node: name }), guest.role, ...guest.tags],
    description: guest.description,
    startupOrder: guest.startupOrder,
    protect: ctx.prod,
  };
  if (guest.kind === "proxmox-vm") {
    // An adopted VM is neither built from an image nor given user data: it runs what it runs.
    const build =
      guest.import === undefined
        ? { imageFileId: ctx.image("cloud-image", guest.image), userData: nodeUserData(ctx.estate, name, ctx.mesh, ctx.generation) }
        : { importId: guest.import };
    return new ProxmoxVm(
      name,
      { ...common, ...build, snippetDatastore: storage(siteStorage(site, "snippets"), "snippets"), sshUser: DEPLOY_USER },
      { provider: ctx.provider },
    );
  }
  return new ProxmoxContainer(
    name,
    {
      ...common,
      hostname: name,
      swapMiB: guest.swapMiB,
      ...(guest.import === undefined ? { templateFileId: ctx.image("lxc-template", guest.template) } : { importId: guest.import.id }),
      os: guest.template,
      sshPublicKeys: [ctx.estate.access.deployKey],
      sshUser: DEPLOY_USER,
      tun: ctx.mesh.authKeys[name] !== undefined,
      unprivileged: guest.unprivileged,
      docker: ctx.docker,
      mounts: guest.mounts,
      rebuildWith: [ctx.generation.resource],
    },
    { provider: ctx.provider },
  );
}
