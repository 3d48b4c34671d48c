/**
 * Container platform wiring: one DockerHost per node that runs apps, then every app's containers on its node's
 * Docker provider. Hosts depend only on their own machine, so independent nodes deploy in parallel; apps depend on
 * their host and on the apps they import from (an object store's bucket setup).
 */
import * as pulumi from "@pulumi/pulumi";
import { AppDeployment } from "../../components/apps/AppDeployment";
import { DockerHost } from "../../components/docker/DockerHost";
import { guestLanAddress, lxcBootstrapScript } from "../bootstrap/script";
import { appHostPorts, hostAgents } from "../catalog/apps";
import { appDeployment } from "../catalog/deployments";
import { AGENTS_APP, hostAgentDeployment } from "../catalog/containers/agents";
import type { AppDeploymentSpec } from "../../components/apps/deploymentSpec";
import { tailnetHost } from "../derive/addressing";
import { publicApps } from "../derive/hostnames";
import { dockerHosts } from "../derive/proxmox";
import type { Estate, NodeKind } from "../estate/schema";

/** What the platform needs from a node's machine. */
export interface AppHostMachine {
  /** The machine's component: its Docker host waits for it and for nothing else. */
  readonly dependsOn: pulumi.Resource;
  /** Login user: the first operator, or root on an LXC template (which runs the bootstrap script). */
  readonly sshUser: string;
  readonly kind: NodeKind;
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
  /** "host:port" on the tailnet, by named port. */
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
    for (const dep of [...(spec?.after ?? []), ...Object.values(spec?.imports ?? {}).map((i) => i.app)]) visit(dep, [...path, app]);
    order.push(app);
  };
  [...specs.keys()].forEach((app) => visit(app, []));
  return order;
}

/** An LXC node's bootstrap script, with its tailnet join when the machine has one (then a secret). */
function bootstrapScript(estate: Estate, node: string, machine: AppHostMachine): pulumi.Input<string> | undefined {
  const tailscale = machine.tailscale;
  if (tailscale === undefined) return lxcBootstrapScript(estate, node);
  return pulumi.secret(pulumi.output(tailscale.authKey).apply((authKey) => lxcBootstrapScript(estate, node, { authKey, tags: tailscale.tags }) ?? ""));
}

/**
 * `publicDns` is the hub's DNS records: the reverse proxy starts after them, or its first ACME validations fail on
 * names that do not resolve yet and burn Let's Encrypt's failed-validation limit.
 */
export function composeApps(estate: Estate, stack: string, hosts: Readonly<Record<string, AppHostMachine>>, publicDns?: pulumi.Resource): PlatformOutputs {
  const privateKey = new pulumi.Config("hybridlab").getSecret("sshPrivateKey");
  const dockerByNode = new Map<string, DockerHost>();
  for (const node of [...dockerHosts(estate)].sort()) {
    const machine = hosts[node];
    if (!machine) throw new Error(`composeApps: node "${node}" runs apps but no machine was built for it`);
    const script = machine.kind === "proxmox-lxc" ? bootstrapScript(estate, node, machine) : undefined;
    dockerByNode.set(
      node,
      new DockerHost(node, {
        stack,
        sshHost: tailnetHost(estate, node),
        // On LXC the script creates the operators (in the docker group); Docker connects as the first of them.
        sshUser: script === undefined ? machine.sshUser : estate.operators[0].name,
        bootstrapUser: script === undefined ? undefined : machine.sshUser,
        bootstrapHost: script === undefined ? undefined : guestLanAddress(estate, node),
        bootstrapScript: script,
        privateKey,
        readyAfter: [machine.dependsOn],
        agentsApp: AGENTS_APP,
        agents: hostAgentDeployment(estate, node),
        agentPorts: hostAgents,
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
    const imported = Object.fromEntries(
      Object.entries(spec.imports ?? {}).map(([placeholder, from]) => {
        const value = deployed.get(from.app)?.secrets[from.secret];
        if (value === undefined) throw new Error(`composeApps: apps.${name} imports secret "${from.secret}" that apps.${from.app} does not have`);
        return [placeholder, value];
      }),
    );
    const deployment = new AppDeployment(
      name,
      {
        stack,
        app: name,
        spec,
        hostPorts: appHostPorts(app),
        network: host.networkName,
        importedSecrets: imported,
        readyAfter: [...host.ready, ...(spec.after ?? []).flatMap((dep) => deployed.get(dep) ?? []), ...(app.kind === "reverse-proxy" && publicDns ? [publicDns] : [])],
        protect: estate.environment === "prod",
      },
      { provider: host.provider },
    );
    deployed.set(name, deployment);
    if (deployment.adminLogin) adminLogins[name] = deployment.adminLogin;
    const ports = appHostPorts(app);
    apps[name] = {
      node: app.node,
      containers: deployment.containerNames,
      endpoints: Object.fromEntries(Object.keys(ports).map((port) => [port, `${tailnetHost(estate, app.node)}:${ports[port]}`])),
      ...(urls.has(name) ? { url: urls.get(name) } : {}),
    };
  }
  return { dockerHosts: Object.fromEntries([...dockerByNode].map(([node, host]) => [node, host.dockerHost])), apps, adminLogins };
}
