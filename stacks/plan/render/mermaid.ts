/**
 * The estate as a Mermaid `architecture-beta` diagram (https://mermaid.js.org/syntax/architecture.html): each
 * Proxmox site and each cloud a group, each node a group inside it titled with its size, the apps on it as
 * services, the public hostnames as entry points routed through the reverse proxy, and the tailnet every node
 * joins. Drawn from the estate alone, so it cannot drift from what the program builds.
 *
 * Mermaid's architecture grammar is narrow: ids are `[\w-]` and titles only letters, digits, `_` and spaces
 * (`ARCH_TITLE` in @mermaid-js/parser), so names and hostnames are spelled with spaces for their dots and dashes.
 */
import { appHostPorts, appSpecOf, exposureOf } from "../../catalog/apps";
import type { CostReport } from "../../derive/cost";
import { proxyRoutes } from "../../derive/routes";
import { isProxmoxGuest, type Estate, type EstateNode } from "../../estate/schema";

const clouds: Readonly<Record<Exclude<EstateNode["kind"], "proxmox-vm" | "proxmox-lxc">, string>> = {
  hetzner: "Hetzner Cloud",
  digitalocean: "DigitalOcean",
  azure: "Azure",
};

/** A title Mermaid accepts: anything but ASCII letters, digits and `_` becomes a space. */
export function title(text: string): string {
  return `[${text.replace(/[^A-Za-z0-9_ ]+/g, " ").replace(/ +/g, " ").trim()}]`;
}

const id = (prefix: string, name: string): string => `${prefix}_${name.replace(/[^A-Za-z0-9_]+/g, "_")}`;

function groupOf(node: EstateNode): string {
  return isProxmoxGuest(node) ? id("site", node.site) : id("cloud", node.kind);
}

/** VM or LXC for a Proxmox guest; a cloud node's kind is its group already. */
function guestKind(node: EstateNode): string {
  return node.kind === "proxmox-vm" ? " VM" : node.kind === "proxmox-lxc" ? " LXC" : "";
}

/** Renders the diagram; `cost` gives each node its size (the provider size a class resolves to, or a guest's shape). */
export function renderMermaid(estate: Estate, cost: CostReport): string {
  const nodes = Object.entries(estate.nodes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const apps = Object.entries(estate.apps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sizes = new Map(cost.nodes.map((n) => [n.node, n.size]));
  const out = ["architecture-beta", `    title hybridlab ${estate.environment} estate`];

  const sites = [...new Set(nodes.filter(([, n]) => isProxmoxGuest(n)).map(([, n]) => (n as { site: string }).site))].sort();
  for (const site of sites) out.push(`    group ${id("site", site)}(server)${title(`Proxmox site ${site} node ${estate.proxmox[site]?.node ?? site}`)}`);
  const kinds = [...new Set(nodes.map(([, n]) => n.kind))].filter((k): k is keyof typeof clouds => k in clouds).sort();
  for (const kind of kinds) out.push(`    group ${id("cloud", kind)}(cloud)${title(clouds[kind])}`);

  // A node is a group; a service inside it stands for the machine when no app runs there.
  const anchor = new Map<string, string>();
  for (const [name, node] of nodes) {
    out.push(`    group ${id("node", name)}(server)${title(`${name}${node.role === name ? "" : ` ${node.role}`}${guestKind(node)} ${sizes.get(name) ?? ""}`)} in ${groupOf(node)}`);
    const hosted = apps.filter(([, app]) => app.node === name);
    if (hosted.length === 0) {
      out.push(`    service ${id("host", name)}(server)${title(`${name} no apps`)} in ${id("node", name)}`);
      anchor.set(name, id("host", name));
    }
    for (const [appName, app] of hosted) {
      out.push(`    service ${id("app", appName)}(server)${title(appName === app.kind ? appName : `${appName} ${app.kind}`)} in ${id("node", name)}`);
      if (!anchor.has(name)) anchor.set(name, id("app", appName));
    }
  }

  const routes = proxyRoutes(estate);
  const proxy = apps.find(([, app]) => app.kind === "reverse-proxy");
  if (routes.length > 0 && proxy) {
    const dnsMode = estate.dns?.proxied ? "via Cloudflare proxy" : "DNS only";
    out.push(`    group internet(internet)${title("Internet")}`);
    for (const route of routes) {
      out.push(`    service ${id("entry", route.app)}(internet)${title([route.fqdn, ...route.aliases].join(" and "))} in internet`);
    }
    // Who gets in (the app's own login, or single sign-on first) and how the name resolves.
    for (const route of routes) {
      const gate = exposureOf(estate.apps[route.app]) === "sso" ? "HTTPS sign in" : "HTTPS";
      out.push(`    ${id("entry", route.app)}:R -${title(`${gate} ${dnsMode}`)}- L:${id("app", proxy[0])}`);
    }
    for (const route of routes) {
      const app = estate.apps[route.app];
      const port = appHostPorts(app)[appSpecOf(app).upstream ?? ""];
      const via = app.node === proxy[1].node ? `port ${port}` : `tailnet port ${port}`;
      out.push(`    ${id("app", proxy[0])}:R -${title(via)}- L:${id("app", route.app)}`);
    }
  }

  if (estate.tailnet) {
    out.push(`    service tailnet(internet)${title(`Tailscale mesh ${estate.tailnet.name}`)}`);
    for (const [name] of nodes) out.push(`    ${anchor.get(name)}{group}:B -- T:tailnet`);
  }
  return `${out.join("\n")}\n`;
}
