/**
 * Identity across the estate: things that are one thing however the estate spells them. Two site entries that
 * reach one Proxmox API share its VMIDs; one key listed under two operators is one person; names composed from
 * app, component and label must stay distinct once composed; and the stack a config belongs to fixes its environment.
 */
import { appDeployment, workerDeployments } from "../../catalog/deployments";
import { AGENTS_APP, hostAgentDeployment } from "../../catalog/containers/agents";
import { containerName } from "../../../components/apps/deploymentSpec";
import { dnsRecords } from "../../derive/dnsRecords";
import { dockerHosts, proxmoxGuests } from "../../derive/proxmox";
import type { Estate } from "../schema";
import type { EstateProblem, Rule } from "./problem";

/**
 * The Proxmox API a site endpoint reaches: scheme and host lowercased, the port made explicit (8006 when absent is
 * not assumed: an absent port is https' 443), path without trailing slashes. `https://PVE.lan:8006/` and
 * `https://pve.lan:8006` are one API.
 */
export function proxmoxApi(endpoint: string): string {
  const url = new URL(endpoint);
  const port = url.port === "" ? "443" : url.port;
  return `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}:${port}${url.pathname.replace(/\/+$/, "")}`;
}

/** VMIDs are unique per Proxmox cluster: site entries that reach the same API draw from one VMID space. */
const sharedVmidSpace: Rule = (estate) => {
  const apiOf = new Map(Object.entries(estate.proxmox).map(([name, site]) => [name, proxmoxApi(site.endpoint)]));
  const owners = new Map<string, { node: string; site: string }>();
  const problems: EstateProblem[] = [];
  for (const [name, guest] of proxmoxGuests(estate)) {
    const api = apiOf.get(guest.site);
    if (api === undefined) continue;
    const key = `${api}#${guest.vmid}`;
    const owner = owners.get(key);
    // Guests on the same site entry are the VMID rule's (rules/proxmox.ts); here only entries that alias one API.
    if (owner && owner.site !== guest.site) {
      problems.push({
        path: ["nodes", name, "vmid"],
        message: `${guest.vmid} is already used by nodes.${owner.node} on site "${owner.site}", which reaches the same Proxmox API as site "${guest.site}" (${api}); VMIDs must be unique per Proxmox cluster`,
      });
    } else if (!owner) {
      owners.set(key, { node: name, site: guest.site });
    }
  }
  return problems;
};

/** An OpenSSH public key's identity is its type and key body; the comment is a label anyone can change. */
export function sshKeyBody(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(" ");
}

const distinctOperatorKeys: Rule = (estate) => {
  const owners = new Map<string, number>();
  const problems: EstateProblem[] = [];
  estate.operators.forEach((op, i) => {
    const key = sshKeyBody(op.sshPublicKey);
    const first = owners.get(key);
    if (first !== undefined) {
      problems.push({
        path: ["operators", i, "sshPublicKey"],
        message: `the same key as operators[${first}] (${estate.operators[first].name}), whatever its comment; each operator logs in with their own key`,
      });
    } else {
      owners.set(key, i);
    }
  });
  return problems;
};

/** One composed name and where it came from, for collision reports. */
interface Claim {
  /** What is compared: the name, within its namespace (a host for Docker names). */
  readonly key: string;
  /** The name as the user will see it. */
  readonly name: string;
  readonly path: ReadonlyArray<PropertyKey>;
  readonly what: string;
}

/** Claims that compose to the same name collide: the second and later each get a problem naming the first. */
function collisions(claims: readonly Claim[], kind: string): EstateProblem[] {
  const first = new Map<string, Claim>();
  const problems: EstateProblem[] = [];
  for (const claim of claims) {
    const owner = first.get(claim.key);
    if (owner === undefined) {
      first.set(claim.key, claim);
    } else if (owner.what !== claim.what) {
      problems.push({ path: claim.path, message: `${claim.what} and ${owner.what} both become the ${kind} "${claim.name}"; rename one` });
    }
  }
  return problems;
}

/**
 * Containers are named `<app>-<component>` (also their Pulumi names), volumes `<app>-<volume>` and generated secrets
 * `<app>-<secret>`: `etl` (airflow) with component `api-server` would be `etl-api` (minio) with `server`. The host
 * agents are the pseudo-app `agents` on every app host: an app may not take that name, and its volumes (`agents-
 * <volume>`) are claimed on each host. (No component name ends an agent's name, so their containers cannot collide.)
 */
const composedContainerNames: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name] of Object.entries(estate.apps).filter(([n]) => n === AGENTS_APP)) {
    problems.push({ path: ["apps", name], message: `"${AGENTS_APP}" names the host agents every app host runs (containers ${AGENTS_APP}-<agent>); choose another app name` });
  }
  const hosts = dockerHosts(estate);
  const containers: Claim[] = [];
  const volumes: Claim[] = [];
  const secrets: Claim[] = [];
  const claim = (node: string, name: string, path: PropertyKey[], what: string): Claim => ({ key: `${node}/${name}`, name, path, what });
  for (const node of [...hosts].sort()) {
    for (const c of hostAgentDeployment(estate, node).containers) {
      for (const v of c.volumes ?? []) volumes.push(claim(node, `${AGENTS_APP}-${v.name}`, ["nodes", node], `the host agents' volume ${v.name}`));
    }
  }
  for (const [name, app] of Object.entries(estate.apps)) {
    if (!hosts.has(app.node) || name === AGENTS_APP) continue;
    const deployment = appDeployment(estate, "", name);
    // Generated secrets are named `<app>-<secret>` in the whole stack, like containers.
    for (const secret of Object.keys(deployment.secrets)) secrets.push(claim("", `${name}-${secret}`, ["apps", name], `apps.${name} (secret ${secret})`));
    for (const c of deployment.containers) {
      // A container's name is also its Pulumi name, unique in the whole stack; Docker volume names are per host.
      containers.push(claim("", containerName(name, c.component), ["apps", name], `apps.${name} (component ${c.component})`));
      for (const v of c.volumes ?? []) volumes.push(claim(app.node, `${name}-${v.name}`, ["apps", name], `apps.${name} (volume ${v.name})`));
    }
    // Its workers on other nodes: containers named like the app's own, volumes on their node.
    for (const workers of workerDeployments(estate, "", name)) {
      for (const c of workers.spec.containers) {
        containers.push(claim("", containerName(name, c.component), ["apps", name, "workers"], `apps.${name} (worker ${c.component})`));
        for (const v of c.volumes ?? []) volumes.push(claim(workers.node, `${name}-${v.name}`, ["apps", name, "workers"], `apps.${name} (volume ${v.name} of its workers)`));
      }
    }
  }
  return [...problems, ...collisions(containers, "container"), ...collisions(volumes, "Docker volume"), ...collisions(secrets, "generated secret")];
};

/**
 * DNS records are keyed `<label>-<type>` with `apex` for `@`: a literal hostname `apex` would take the apex's key.
 * (Two apps on one FQDN are the hostname rule's problem; here only different names that share a key.)
 */
const dnsRecordKeys: Rule = (estate) => {
  const first = new Map<string, { app: string; name: string }>();
  const problems: EstateProblem[] = [];
  for (const record of dnsRecords(estate, { ipv6: false })) {
    const owner = first.get(record.key);
    if (owner === undefined) first.set(record.key, { app: record.app, name: record.name });
    else if (owner.name !== record.name) {
      problems.push({
        path: ["apps", record.app, "hostname"],
        message: `${record.name} (apps.${record.app}) and ${owner.name} (apps.${owner.app}) would share the DNS record key "${record.key}" (the apex "@" is keyed apex); choose another hostname`,
      });
    }
  }
  return problems;
};

/** Stack names that say which environment they are; `prod-eu` and `eu-production` are prod stacks. */
const stackEnvironments: ReadonlyArray<[RegExp, Estate["environment"]]> = [
  [/(^|[^a-z0-9])(prod|production)([^a-z0-9]|$)/i, "prod"],
  [/(^|[^a-z0-9])(dev|development)([^a-z0-9]|$)/i, "dev"],
];

/**
 * The stack a config belongs to (`pulumi.getStack()` under the CLI, `--stack` in the plan) fixes its environment:
 * a `prod` stack with `environment: dev` would skip protection and tighten nothing, and the policy pack, which reads
 * prod from the stack name, would hold it to prod rules the estate never applied. The name itself is also part of
 * names Proxmox and Tailscale take (backup job `<stack>-<site>`, auth key descriptions), which allow less than
 * Pulumi's stack names: no '.' or '_'.
 */
export function stackProblems(estate: Pick<Estate, "environment" | "proxmox" | "tailnet">, stack: string): EstateProblem[] {
  const takers = [Object.keys(estate.proxmox).length > 0 ? "Proxmox backup job ids" : undefined, estate.tailnet ? "Tailscale key descriptions" : undefined].filter((t) => t !== undefined);
  if (takers.length > 0 && !/^[A-Za-z][A-Za-z0-9-]*$/.test(stack)) {
    return [{ path: [], message: `the stack name ${JSON.stringify(stack.slice(0, 100))} must be a letter, then letters, digits or '-' (${takers.join(" and ")} take no other characters)` }];
  }
  const problems: EstateProblem[] = Object.keys(estate.proxmox)
    .filter((site) => `${stack}-${site}`.length > 64)
    .map((site) => ({ path: ["proxmox", site], message: `the backup job id "${stack}-${site}" is longer than Proxmox's 64 characters; shorten the site or stack name` }));
  const named = stackEnvironments.find(([pattern]) => pattern.test(stack))?.[1];
  if (named !== undefined && named !== estate.environment) {
    problems.unshift({ path: ["environment"], message: `the stack "${stack}" is a ${named} stack, but environment is ${estate.environment}; set hybridlab:environment: ${named}` });
  }
  return problems;
}

export const identityRules: readonly Rule[] = [sharedVmidSpace, distinctOperatorKeys, dnsRecordKeys];

/** Names that exist only once the apps are composed: they need an estate whose other rules pass. */
export const compositionRules: readonly Rule[] = [composedContainerNames];
