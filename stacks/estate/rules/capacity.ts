/**
 * Capacity per node: the memory limits of every long-running container a node runs (its apps, other apps' workers
 * placed there, the host agents), plus the host's own headroom, must fit the machine; a Spark worker's cores must
 * too. Computed from the built deployment specs, so every kind counts the containers it really runs.
 */
import { cloudCatalog, resolveCloudSize } from "../../../components/cloud/cloudSizes";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";
import { appDeployment, workerDeployments } from "../../catalog/deployments";
import { hostAgentDeployment } from "../../catalog/containers/agents";
import { workerGroups } from "../../catalog/workers";
import { dockerHosts } from "../../derive/proxmox";
import { isProxmoxGuest, type Estate, type EstateNode } from "../schema";
import type { EstateProblem, Rule } from "./problem";

/**
 * Memory kept for the host itself, outside any container limit: kernel and page cache floor, systemd, sshd, the
 * Docker daemon and containerd, tailscaled. A guess on the safe side for a minimal Ubuntu server, stated once.
 */
export const HOST_HEADROOM_MIB = 512;

/** The machine's memory and cores, and the config path that sets them. */
export function machineSize(node: EstateNode): { memoryMiB: number; cores: number; path: string } {
  if (isProxmoxGuest(node)) return { memoryMiB: node.memoryMiB, cores: node.cores, path: "memoryMiB" };
  const size = cloudCatalog[node.kind].sizes[resolveCloudSize(node.kind, node.size)];
  // An unknown size is refused by the provider rules, which run first.
  return { memoryMiB: size?.memoryMiB ?? 0, cores: size?.vcpus ?? 0, path: "size" };
}

/** MiB of the spec's long-running containers; one-shots exit before what waits for them starts. */
function runningMiB(spec: AppDeploymentSpec): number {
  return spec.containers.filter((c) => c.oneShot !== true).reduce((sum, c) => sum + c.memoryMiB, 0);
}

/** Per node, what its containers need, by who runs them (`apps.<name>`, `apps.<name> workers`, `host agents`). */
export function memoryByNode(estate: Estate): Map<string, Array<{ readonly who: string; readonly memoryMiB: number }>> {
  const byNode = new Map<string, Array<{ who: string; memoryMiB: number }>>();
  const add = (node: string, who: string, memoryMiB: number) => {
    if (memoryMiB > 0) byNode.set(node, [...(byNode.get(node) ?? []), { who, memoryMiB }]);
  };
  for (const name of Object.keys(estate.apps)) {
    add(estate.apps[name].node, `apps.${name}`, runningMiB(appDeployment(estate, "", name)));
    for (const workers of workerDeployments(estate, "", name)) add(workers.node, `apps.${name} workers`, runningMiB(workers.spec));
  }
  for (const node of [...dockerHosts(estate)].sort()) add(node, "host agents", runningMiB(hostAgentDeployment(estate, node)));
  return byNode;
}

const memoryFits: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [node, needs] of memoryByNode(estate)) {
    const machine = machineSize(estate.nodes[node]);
    const total = needs.reduce((sum, n) => sum + n.memoryMiB, 0) + HOST_HEADROOM_MIB;
    if (total <= machine.memoryMiB) continue;
    const parts = needs.map((n) => `${n.who} ${n.memoryMiB}`).join(", ");
    problems.push({
      path: ["nodes", node, machine.path],
      message: `its containers' memory limits (${parts}) plus ${HOST_HEADROOM_MIB} MiB for the host itself need ${total} MiB, but the machine has ${machine.memoryMiB} MiB: give it more memory, or move apps or workers to another node`,
    });
  }
  return problems;
};

/** A worker offers its cores to executors as if it owned them: they must exist on its node. */
const sparkWorkerCores: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    if (app.kind !== "spark") return [];
    return workerGroups(app).flatMap((group) => {
      const machine = machineSize(estate.nodes[group.node]);
      if (app.workerCores <= machine.cores) return [];
      return [{ path: ["apps", name, "workerCores"], message: `each worker offers ${app.workerCores} cores, but nodes.${group.node} (apps.${name}.${group.at.join(".")}) has ${machine.cores}: lower workerCores, or place the workers on a larger node` }];
    });
  });

export const capacityRules: readonly Rule[] = [memoryFits, sparkWorkerCores];
