/**
 * Provider facts the estate must respect before anything is created: what a region sells, the user names Azure
 * refuses, the mount point syntax Proxmox parses, and the tailnet name Tailscale accepts. Each would otherwise fail in the
 * middle of `pulumi up`, after other resources were already made.
 */
import { cloudCatalog, resolveCloudSize, sizeRegions } from "../../../components/cloud/cloudSizes";
import { isCloudNode, isProxmoxGuest } from "../schema";
import type { EstateProblem, Rule } from "./problem";

/** A size the region does not sell fails at create time with the provider's "unsupported location" error. */
const sizeSoldInRegion: Rule = (estate) =>
  Object.entries(estate.nodes).flatMap(([name, node]): EstateProblem[] => {
    if (!isCloudNode(node)) return [];
    const catalog = cloudCatalog[node.kind];
    const size = resolveCloudSize(node.kind, node.size);
    const region = node.region ?? catalog.defaultRegion;
    if (!catalog.sizes[size] || !catalog.regions.includes(region)) return [];
    const sold = sizeRegions(node.kind, size);
    if (sold.includes(region)) return [];
    const named = size === node.size ? `${node.kind} size ${size}` : `${node.kind} size ${size} (class ${node.size})`;
    const here = Object.keys(catalog.sizes).filter((s) => sizeRegions(node.kind, s).includes(region));
    const fix = here.length > 0 ? `choose a size sold there (${here.join(", ")})` : "no size in the catalog is sold there";
    return [{ path: ["nodes", name, node.region === undefined ? "size" : "region"], message: `${named} is not sold in ${region}; it is sold in ${sold.join(", ")}; ${fix}, or another region` }];
  });

/**
 * Azure refuses these as a VM's admin user ("Disallowed values" of OSProfile.adminUsername:
 * https://learn.microsoft.com/en-us/javascript/api/@azure/arm-workloads/osprofile). The first operator is the admin.
 */
export const AZURE_RESERVED_ADMIN_NAMES: ReadonlySet<string> = new Set([
  "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet",
  "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5",
]);

const azureAdminName: Rule = (estate) => {
  const admin = estate.operators[0]?.name;
  const azure = Object.keys(estate.nodes).filter((n) => estate.nodes[n].kind === "azure");
  if (admin === undefined || azure.length === 0 || !AZURE_RESERVED_ADMIN_NAMES.has(admin)) return [];
  return [{ path: ["operators", 0, "name"], message: `"${admin}" is a user name Azure refuses for a VM's admin (the first operator is the admin of nodes.${azure[0]}); list another operator first or rename this one` }];
};

/**
 * Proxmox passes a mount point as `mp0: <volume>,mp=<path>,backup=1`: a comma or `=` in the path would add options,
 * so a path is plain segments of letters, digits, `.`, `_` and `-`. Kernel filesystems are not data volumes.
 */
const MOUNT_PATH = /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;
const systemDirs = ["/proc", "/sys", "/dev", "/run", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib"];

const lxcMountPaths: Rule = (estate) =>
  Object.entries(estate.nodes).flatMap(([name, node]): EstateProblem[] => {
    if (!isProxmoxGuest(node) || node.kind !== "proxmox-lxc") return [];
    const seen = new Map<string, number>();
    return node.mounts.flatMap((mount, i): EstateProblem[] => {
      const at = ["nodes", name, "mounts", i, "path"];
      const { path } = mount;
      if (!MOUNT_PATH.test(path) || path.split("/").some((part) => part === "." || part === "..")) {
        return [{ path: at, message: `${JSON.stringify(path.slice(0, 80))} must be an absolute path of letters, digits, '.', '_' and '-' segments such as /srv/data (Proxmox would read ',' or '=' as options)` }];
      }
      const system = systemDirs.find((dir) => path === dir || path.startsWith(`${dir}/`));
      if (system !== undefined) return [{ path: at, message: `${path} is inside ${system}, which the container's system needs; mount data under /srv, /var/lib or /opt` }];
      const first = seen.get(path);
      seen.set(path, first ?? i);
      return first === undefined ? [] : [{ path: at, message: `${path} is already mounted by mounts[${first}]` }];
    });
  });

/**
 * The tailnet's name goes to the Tailscale provider as is. Node names already fit Tailscale's host and tag names
 * (the schema's 2-40 lowercase letters, digits and '-'), and the tags are derived from them.
 */
const tailnetName: Rule = (estate) =>
  estate.tailnet && /[\s\p{Cc}"'\\]/u.test(estate.tailnet.name)
    ? [{ path: ["tailnet", "name"], message: "must be the tailnet's name as the admin console shows it (such as example.com or tail1234.ts.net), without spaces, quotes or control characters" }]
    : [];

export const providerFactRules: readonly Rule[] = [sizeSoldInRegion, azureAdminName, lxcMountPaths, tailnetName];
