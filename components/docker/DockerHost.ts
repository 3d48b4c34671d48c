import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { AppDeploymentSpec } from "../apps/deploymentSpec";
import { SHARED_NETWORK } from "../apps/deploymentSpec";
import { containerLabels } from "../labels";
import { AppDeployment } from "../apps/AppDeployment";
import { requireMatch } from "../validate";

export interface DockerHostArgs {
  /** Stack name, for labels; required. */
  readonly stack: string;
  /** Where SSH reaches the node: its tailnet MagicDNS name; required. */
  readonly sshHost: string;
  /** User the Docker provider connects as (an operator in the `docker` group); required. */
  readonly sshUser: string;
  /** Private key for SSH (a Pulumi secret); default undefined: the local SSH agent. */
  readonly privateKey?: pulumi.Input<string>;
  /**
   * The bootstrap as a bash script, for machines without cloud-init (LXC containers): run once over SSH as
   * `bootstrapUser`. Default undefined: wait for cloud-init instead.
   */
  readonly bootstrapScript?: pulumi.Input<string>;
  /**
   * Where the bootstrap wait connects; default `sshHost`. An LXC guest joins the tailnet only by running its script,
   * so the script runs over its LAN address.
   */
  readonly bootstrapHost?: string;
  /** User that runs `bootstrapScript` (root on an LXC template); default `sshUser`. */
  readonly bootstrapUser?: string;
  /** The machine's own resources (its node component): the host waits for these and nothing else; required. */
  readonly readyAfter: readonly pulumi.Resource[];
  /** The host agents' app name (their containers are `<agentsApp>-<component>`); required. */
  readonly agentsApp: string;
  /** Host agents (metrics, logs); required. */
  readonly agents: AppDeploymentSpec;
  /** Host ports of the agents, by name; required. */
  readonly agentPorts: Readonly<Record<string, number>>;
  /** Protect the agents' volumes from deletion (prod); default false. */
  readonly protect?: boolean;
  /** How long to wait for the bootstrap; default "30m" (package upgrades on a fresh image take a while). */
  readonly bootstrapTimeout?: string;
}

/** The marker the bootstrap (cloud-init or script) writes as its last step. */
export const BOOTSTRAP_DONE = "/var/lib/hybridlab/bootstrap-done";

/** SSH options for the Docker provider: fail fast on a dead host, keep long pulls alive, trust a new host key once. */
export const DOCKER_SSH_OPTS = ["-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15", "-o", "StrictHostKeyChecking=accept-new"];

/** The command that returns once the machine is bootstrapped (and fails if the bootstrap did not finish). */
export function bootstrapWaitCommand(withScript: boolean): string {
  // cloud-init exits 2 for "degraded" (e.g. deprecation warnings); the done marker is what proves success.
  return withScript ? `bash -s && test -f ${BOOTSTRAP_DONE}` : `cloud-init status --wait >/dev/null || true; test -f ${BOOTSTRAP_DONE}`;
}

export function validateDockerHostArgs(name: string, args: DockerHostArgs): void {
  const where = `DockerHost ${name}`;
  requireMatch(where, "sshHost", args.sshHost, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "a host name such as hub.tail1234.ts.net");
  if (args.bootstrapHost !== undefined) requireMatch(where, "bootstrapHost", args.bootstrapHost, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "a host name or IPv4 address");
  requireMatch(where, "sshUser", args.sshUser, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name");
  if (args.bootstrapUser !== undefined) requireMatch(where, "bootstrapUser", args.bootstrapUser, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name");
  requireMatch(where, "bootstrapTimeout", args.bootstrapTimeout ?? "30m", /^\d+[sm]$/, 'a duration such as "30m"');
  if (args.readyAfter.length === 0) throw new Error(`${where}: readyAfter must list the node's resources, got none`);
}

/**
 * A machine that runs containers: waits until its bootstrap has finished, then manages Docker on it over SSH,
 * with the shared network and the host agents. Depends on its own node only, so hosts deploy in parallel.
 */
export class DockerHost extends pulumi.ComponentResource {
  /** The Docker provider for this host; apps pass it to their containers. */
  public readonly provider: docker.Provider;
  /** The shared network's name (`hybridlab`). */
  public readonly networkName: pulumi.Output<string>;
  /** What apps on this host wait for: the bootstrap and the shared network. */
  public readonly ready: pulumi.Resource[];
  /** `ssh://user@host`, the Docker endpoint. */
  public readonly dockerHost: pulumi.Output<string>;

  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:docker:DockerHost", name, {}, opts);
    validateDockerHostArgs(name, args);
    const { bootstrapTimeout = "30m" } = args;
    const withScript = args.bootstrapScript !== undefined;

    const bootstrapped = new command.remote.Command(
      `${name}-bootstrap`,
      {
        // Dial until the create timeout: a fresh machine has no MagicDNS name until its bootstrap, minutes in,
        // joins the tailnet, and every early dial fails at once.
        connection: { host: args.bootstrapHost ?? args.sshHost, user: args.bootstrapUser ?? args.sshUser, privateKey: args.privateKey, dialErrorLimit: -1, perDialTimeout: 20 },
        create: bootstrapWaitCommand(withScript),
        // The script may carry a Tailscale auth key.
        stdin: args.bootstrapScript === undefined ? undefined : pulumi.secret(args.bootstrapScript),
      },
      {
        parent: this,
        dependsOn: [...args.readyAfter],
        customTimeouts: { create: bootstrapTimeout, update: bootstrapTimeout },
        // The bootstrap turns off root's SSH login, so a script run as root can run only once; later script changes
        // are for new machines (replace the node to apply them).
        ignoreChanges: withScript ? ["stdin"] : [],
      },
    );

    this.dockerHost = pulumi.output(`ssh://${args.sshUser}@${args.sshHost}`);
    this.provider = new docker.Provider(`${name}-docker`, { host: this.dockerHost, sshOpts: DOCKER_SSH_OPTS }, { parent: this, dependsOn: [bootstrapped] });

    const network = new docker.Network(
      `${name}-network`,
      { name: SHARED_NETWORK, driver: "bridge", labels: Object.entries(containerLabels(args.stack, "platform", "network")).map(([label, value]) => ({ label, value })) },
      { parent: this, provider: this.provider, dependsOn: [bootstrapped] },
    );
    this.networkName = network.name;
    this.ready = [bootstrapped, network];

    new AppDeployment(
      `${name}-agents`,
      { stack: args.stack, app: args.agentsApp, spec: args.agents, hostPorts: args.agentPorts, network: network.name, readyAfter: this.ready, protect: args.protect },
      { parent: this, provider: this.provider },
    );

    this.registerOutputs({ dockerHost: this.dockerHost, networkName: this.networkName });
  }
}
