/**
 * Adoptions that cannot work: an import id that names another guest than the node describes, an LXC whose
 * privilege the estate would flip (a replacement that loses its data), one object adopted twice, a DNS record id
 * for a record the estate does not derive.
 */
import { dnsRecords } from "../../derive/dnsRecords";
import { proxmoxGuests } from "../../derive/proxmox";
import { PROXMOX_IMPORT_ID } from "../adoption";
import { isCloudNode, type Estate } from "../schema";
import { oneOf, type EstateProblem, type Rule } from "./problem";

/** The id a node adopts, whatever its kind; undefined when it is created. */
function importId(node: Estate["nodes"][string]): string | undefined {
  return node.kind === "proxmox-lxc" ? node.import?.id : node.import;
}

const proxmoxImports: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, guest] of proxmoxGuests(estate)) {
    const id = importId(guest);
    const site = estate.proxmox[guest.site];
    // An unknown site is reported by the placement rules.
    if (id === undefined || !site) continue;
    const at = guest.kind === "proxmox-lxc" ? ["nodes", name, "import", "id"] : ["nodes", name, "import"];
    const [, pveNode, , vmid] = PROXMOX_IMPORT_ID.exec(id) ?? [];
    if (pveNode !== site.node) {
      problems.push({ path: at, message: `"${id}" names PVE node "${pveNode}", but site "${guest.site}" places guests on "${site.node}"; use ${site.node}/${guest.vmid}` });
    }
    if (Number(vmid) !== guest.vmid) {
      problems.push({ path: at, message: `"${id}" adopts VMID ${vmid}, but the node's vmid is ${guest.vmid}; an adopted guest keeps its VMID: set vmid: ${vmid}` });
    }
    if (guest.kind === "proxmox-lxc" && guest.import && guest.import.unprivileged !== guest.unprivileged) {
      const existing = guest.import.unprivileged ? "unprivileged" : "privileged";
      problems.push({
        path: ["nodes", name, "unprivileged"],
        message: `is ${guest.unprivileged}, but the container to adopt is ${existing}; changing it would replace the container and lose its data: set unprivileged: ${guest.import.unprivileged}`,
      });
    }
  }
  return problems;
};

/** One existing machine, one node: two nodes adopting it would fight over it. */
const adoptedOnce: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const claimed = new Map<string, string>();
  for (const [name, node] of Object.entries(estate.nodes)) {
    const id = importId(node);
    if (id === undefined) continue;
    // Proxmox ids are per host; two sites may both have a node called pve.
    const key = `${node.kind === "proxmox-vm" || node.kind === "proxmox-lxc" ? `proxmox/${node.site}` : node.kind}/${id}`;
    const owner = claimed.get(key);
    const at = node.kind === "proxmox-lxc" ? ["nodes", name, "import", "id"] : ["nodes", name, "import"];
    if (owner) problems.push({ path: at, message: `"${id}" is already adopted by nodes.${owner}; an existing machine becomes one node` });
    else claimed.set(key, name);
  }
  return problems;
};

const dnsImports: Rule = (estate) => {
  const imports = estate.dns?.import;
  if (!imports) return [];
  // The records the program derives: AAAA only when the hub is a cloud node with IPv6 (not Azure).
  const hub = Object.values(estate.nodes).find((n) => n.role === "hub");
  const ipv6 = hub !== undefined && isCloudNode(hub) && hub.kind !== "azure";
  const derived = hub !== undefined && isCloudNode(hub) ? dnsRecords(estate, { ipv6 }) : [];
  const problems: EstateProblem[] = [];
  for (const [fqdn, byType] of Object.entries(imports.records)) {
    const types = derived.filter((r) => r.name === fqdn).map((r) => r.type);
    if (types.length === 0) {
      problems.push({ path: ["dns", "import", "records", fqdn], message: `the estate has no record named ${fqdn}; ${oneOf([...new Set(derived.map((r) => r.name))])}` });
      continue;
    }
    for (const type of ["A", "AAAA"] as const) {
      if (byType[type] !== undefined && !types.includes(type)) {
        problems.push({ path: ["dns", "import", "records", fqdn, type], message: `the estate derives no ${type} record for ${fqdn} (its records there: ${types.join(", ")})` });
      }
    }
  }
  return problems;
};

export const adoptionRules: readonly Rule[] = [proxmoxImports, adoptedOnce, dnsImports];
