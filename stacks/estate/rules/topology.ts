/** The machines and who reaches them: cloud sizes and regions, hub and spokes, SSH access, operators. */
import { cloudCatalog, resolveCloudSize, sizeClasses } from "../../../components/cloud/cloudSizes";
import { isProxmoxGuest } from "../schema";
import { adminNetworks } from "./access";
import { oneOf, type EstateProblem, type Rule } from "./problem";

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

const operators: Rule = (estate) => {
  const seen = new Set<string>();
  const problems: EstateProblem[] = [];
  estate.operators.forEach((op, i) => {
    if (seen.has(op.name)) problems.push({ path: ["operators", i, "name"], message: `operator "${op.name}" is listed twice` });
    seen.add(op.name);
  });
  return problems;
};

export const machineRules: readonly Rule[] = [cloudSizesAndRegions, roles];
export const accessRules: readonly Rule[] = [adminNetworks, operators];
