/**
 * Container platform wiring: one DockerHost per node (every node runs the host agents), then every app's containers
 * on its node's Docker provider. Hosts depend only on their own machine, so independent nodes deploy in parallel; an
 * app's containers depend on their host, and only the containers that name another app in `afterApps` (an object
 * store's bucket setup) wait for it.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppDeployment } from "../../components/apps/AppDeployment";
import { DockerHost } from "../../components/docker/DockerHost";
import { DEPLOY_USER } from "../bootstrap/deployUser";
import { renderOperatorSync } from "../bootstrap/operators";
import { lxcBootstrapScript } from "../bootstrap/script";
import { appHostPorts, appSpecOf } from "../catalog/apps";
import { appDeployment, workerDeployments } from "../catalog/deployments";
import { AGENTS_APP, hostAgentDeployment } from "../catalog/containers/agents";
import type { AppDeploymentSpec } from "../../components/apps/deploymentSpec";
import { guestLanAddress, knownHost } from "../derive/addressing";
import { hostAgentPorts } from "../derive/hostAgents";
import { publicApps } from "../derive/hostnames";
import { dockerHosts, lanJump } from "../derive/proxmox";
import type { Estate, NodeKind } from "../estate/schema";

/** What the platform needs from a node's machine. */
export interface AppHostMachine {
  /** The machine's component: its Docker host waits for it and for nothing else. */
  readonly dependsOn: pulumi.Resource;
  readonly kind: NodeKind;
  /** The provider's id of the machine. */
  readonly machineId: pulumi.Output<string>;
  /** The node's generation (hex): with the machine id, what changes when the machine is rebuilt. */
  readonly generation: pulumi.Output<string>;
  /** A cloud node's public IPv4: how it is reached without a tailnet. */
  readonly publicIpv4?: pulumi.Output<string>;
  /**
   * LXC only: the tailnet join its bootstrap script performs (a single-use auth key, kept secret, and the node's ACL
   * tags without "tag:"). Default none: the guest is expected on the tailnet already.
   */
  readonly tailscale?: { readonly authKey: pulumi.Input<string>; readonly tags: readonly string[] };
}

export interface AppOutputs {
  readonly node: string;
  /** Docker container names, by component. */
  readonly containers: Record<string, pulumi.Output<string>>;
  /**
   * "host:port" on the tailnet (or, without one, at a guest's LAN address; a LAN-only port always there), by named
   * port; empty on a cloud node without a tailnet, whose firewall keeps app ports closed.
   */
  readonly endpoints: Record<string, string>;
  /** The public URL, for apps with a hostname. */
  readonly url?: string;
}

export interface PlatformOutputs {
  /** Docker endpoint (ssh://user@host) by node. */
  readonly dockerHosts: Record<string, pulumi.Output<string>>;
  /** Per app: where it runs and how to reach it. No secrets. */
  readonly apps: Record<string, AppOutputs>;
  /** Per app with one, its generated administrator login: Pulumi secrets. */
  readonly adminLogins: Record<string, pulumi.Output<{ user: string; password: string }>>;
}

/** Apps in an order where each comes after the apps its deployment waits for or imports from. */
function deployOrder(specs: ReadonlyMap<string, AppDeploymentSpec>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (app: string, path: readonly string[]): void => {
    if (order.includes(app)) return;
    if (seen.has(app)) throw new Error(`composeApps: apps must not wait on each other in a cycle, got ${[...path, app].join(" -> ")}`);
    seen.add(app);
    const spec = specs.get(app);
    const afterApps = (spec?.containers ?? []).flatMap((c) => c.afterApps ?? []);
    for (const dep of [...afterApps, ...Object.values(spec?.imports ?? {}).map((i) => i.app)]) visit(dep, [...path, app]);
    order.push(app);
  };
  [...specs.keys()].forEach((app) => visit(app, []));
  return order;
}

/** The values of a deployment's imported placeholders: other apps' secrets, already deployed. */
function importedSecrets(spec: AppDeploymentSpec, deployed: ReadonlyMap<string, AppDeployment>, who: string): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    Object.entries(spec.imports ?? {}).map(([placeholder, from]) => {
      const value = deployed.get(from.app)?.secrets[from.secret];
      if (value === undefined) throw new Error(`composeApps: ${who} imports secret "${from.secret}" that apps.${from.app} does not have`);
      return [placeholder, value];
    }),
  );
}

/** An LXC node's bootstrap script, with its tailnet join when the machine has one (then a secret). */
function bootstrapScript(estate: Estate, node: string, machine: AppHostMachine): pulumi.Input<string> | undefined {
  const tailscale = machine.tailscale;
  if (tailscale === undefined) return lxcBootstrapScript(estate, node);
  return pulumi.secret(pulumi.output(tailscale.authKey).apply((authKey) => lxcBootstrapScript(estate, node, { authKey, tags: tailscale.tags }) ?? ""));
}

/** Where SSH reaches a node: by a name known in advance (tailnet, static LAN address), else a cloud node's public IP. */
function sshHost(estate: Estate, node: string, machine: AppHostMachine): pulumi.Input<string> {
  const known = knownHost(estate, node);
  if (known !== undefined) return known;
  if (machine.publicIpv4 === undefined) throw new Error(`internal: node "${node}" is unreachable; the estate rules refuse this`);
  return machine.publicIpv4;
}

/** Where others reach a node's app ports, by name: at the node's known host, or nowhere (see AppOutputs.endpoints). */
function endpoints(estate: Estate, node: string, ports: Readonly<Record<string, number>>, lanOnly: readonly string[]): Record<string, string> {
  const host = (port: string): string | undefined => (lanOnly.includes(port) ? (guestLanAddress(estate, node) ?? knownHost(estate, node)) : knownHost(estate, node));
  return Object.fromEntries(Object.keys(ports).flatMap((port) => (host(port) === undefined ? [] : [[port, `${host(port)}:${ports[port]}`]])));
}

/**
 * `publicDns` is the hub's DNS records: the reverse proxy starts after them, or its first ACME validations fail on
 * names that do not resolve yet and burn Let's Encrypt's failed-validation limit.
 */
export function composeApps(estate: Estate, stack: string, hosts: Readonly<Record<string, AppHostMachine>>, publicDns?: pulumi.Resource): PlatformOutputs {
  const privateKey = new pulumi.Config("hybridlab").getSecret("sshPrivateKey");
  const operatorSync = renderOperatorSync(estate.operators);
  const dockerByNode = new Map<string, DockerHost>();
  for (const node of [...dockerHosts(estate)].sort()) {
    const machine = hosts[node];
    if (!machine) throw new Error(`composeApps: node "${node}" has no machine`);
    const script = machine.kind === "proxmox-lxc" ? bootstrapScript(estate, node, machine) : undefined;
    dockerByNode.set(
      node,
      new DockerHost(node, {
        stack,
        sshHost: sshHost(estate, node, machine),
        overTailnet: estate.tailnet !== undefined,
        // First boot (cloud-init, or the LXC script) creates the deploy account in sudo and docker.
        sshUser: DEPLOY_USER,
        machineIdentity: pulumi.interpolate`${machine.machineId} ${machine.generation}`,
        operatorSync,
        // An LXC template has no cloud-init: root (with the deploy key) runs its script over the LAN.
        bootstrapUser: script === undefined ? undefined : "root",
        bootstrapHost: script === undefined ? undefined : guestLanAddress(estate, node),
        bootstrapScript: script,
        lanJump: lanJump(estate, node),
        privateKey,
        readyAfter: [machine.dependsOn],
        agentsApp: AGENTS_APP,
        agents: hostAgentDeployment(estate, node),
        agentPorts: hostAgentPorts(estate, node),
        protect: estate.environment === "prod",
      }),
    );
  }

  const specs = new Map(Object.keys(estate.apps).map((name) => [name, appDeployment(estate, stack, name)]));
  const deployed = new Map<string, AppDeployment>();
  const apps: Record<string, AppOutputs> = {};
  const adminLogins: Record<string, pulumi.Output<{ user: string; password: string }>> = {};
  const urls = new Map(publicApps(estate).map((p) => [p.app, p.url]));
  for (const name of deployOrder(specs)) {
    const app = estate.apps[name];
    const spec = specs.get(name);
    const host = dockerByNode.get(app.node);
    if (!spec || !host) throw new Error(`composeApps: internal: app "${name}" has no spec or host`);
    const imported = importedSecrets(spec, deployed, `apps.${name}`);
    const deployment = new AppDeployment(
      name,
      {
        stack,
        app: name,
        spec,
        hostPorts: appHostPorts(app),
        network: host.networkName,
        importedSecrets: imported,
        readyAfter: [...host.ready, ...(app.kind === "reverse-proxy" && publicDns ? [publicDns] : [])],
        otherApps: Object.fromEntries(deployed),
        protect: estate.environment === "prod",
        machineIdentity: host.machineIdentity,
      },
      { provider: host.provider },
    );
    deployed.set(name, deployment);
    if (deployment.adminLogin) adminLogins[name] = deployment.adminLogin;
    apps[name] = {
      node: app.node,
      containers: deployment.containerNames,
      endpoints: endpoints(estate, app.node, appHostPorts(app), appSpecOf(app).lanOnly ?? []),
      ...(urls.has(name) ? { url: urls.get(name) } : {}),
    };
  }
  // Workers on other nodes: the app's secrets imported (the same values), started once the app has deployed.
  for (const name of Object.keys(estate.apps)) {
    const main = deployed.get(name);
    for (const workers of workerDeployments(estate, stack, name)) {
      const host = dockerByNode.get(workers.node);
      if (!main || !host) throw new Error(`composeApps: internal: workers of app "${name}" have no app or host`);
      const imported = importedSecrets(workers.spec, deployed, workers.name);
      new AppDeployment(
        workers.name,
        {
          stack,
          app: name,
          spec: workers.spec,
          hostPorts: workers.hostPorts,
          network: host.networkName,
          importedSecrets: imported,
          readyAfter: host.ready,
          otherApps: Object.fromEntries(deployed),
          protect: estate.environment === "prod",
          machineIdentity: host.machineIdentity,
        },
        { provider: host.provider },
      );
    }
  }
  return { dockerHosts: Object.fromEntries([...dockerByNode].map(([node, host]) => [node, host.dockerHost])), apps, adminLogins };
}
