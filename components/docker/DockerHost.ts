import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { AppDeploymentSpec } from "../apps/deploymentSpec";
import { SHARED_NETWORK } from "../apps/deploymentSpec";
import { containerLabels } from "../labels";
import { AppDeployment } from "../apps/AppDeployment";
import { requireIntInRange, requireMatch } from "../validate";
import { MACHINE_LABEL } from "./containerServiceArgs";

export interface DockerHostArgs {
  /** Stack name, for labels; required. */
  readonly stack: string;
  /**
   * Where SSH reaches the node: its tailnet MagicDNS name, else its LAN or public address (an output for a cloud
   * node's public IP); required.
   */
  readonly sshHost: pulumi.Input<string>;
  /**
   * True when `sshHost` is a tailnet name: WireGuard already proves the peer is the node that joined with its key,
   * so the Docker provider does not pin SSH host keys (a rebuilt node's new key is accepted). False: the first key
   * seen is trusted and a changed one refused (`StrictHostKeyChecking=accept-new`). Required.
   */
  readonly overTailnet: boolean;
  /** User every remote step and the Docker provider connect as (the deploy account, in `sudo` and `docker`); required. */
  readonly sshUser: string;
  /** Private key for SSH (a Pulumi secret); default undefined: the local SSH agent. */
  readonly privateKey?: pulumi.Input<string>;
  /**
   * Changes exactly when the machine is rebuilt (its id and generation); the bootstrap wait, the operator sync, the
   * network and every container on the host are then redone on the new machine. Required.
   */
  readonly machineIdentity: pulumi.Input<string>;
  /** The operator sync script, run with sudo; re-run when it changes (the operator set did) or the machine is rebuilt. Required. */
  readonly operatorSync: string;
  /**
   * The bootstrap as a bash script, for machines without cloud-init (LXC containers): run over SSH as
   * `bootstrapUser`, once per machine. Default undefined: wait for cloud-init instead.
   */
  readonly bootstrapScript?: pulumi.Input<string>;
  /**
   * Where the bootstrap wait connects; default `sshHost`. An LXC guest joins the tailnet only by running its script,
   * so the script runs over its LAN address.
   */
  readonly bootstrapHost?: string;
  /** User that runs `bootstrapScript` (root on an LXC template); default `sshUser`. */
  readonly bootstrapUser?: string;
  /**
   * An SSH hop in front of the machine's LAN address (e.g. its Proxmox host), used by every connection to that address:
   * `bootstrapHost`, and `sshHost` unless `overTailnet`. Default none: the LAN is reached directly.
   */
  readonly lanJump?: SshJump;
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

/** A host SSH goes through on the way (OpenSSH's ProxyJump). */
export interface SshJump {
  readonly host: string;
  readonly port: number;
  readonly user: string;
}

/** The marker the bootstrap (cloud-init or script) writes as its last step. */
export const BOOTSTRAP_DONE = "/var/lib/hybridlab/bootstrap-done";

const SSH_BASE_OPTS = ["-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15"];

/**
 * SSH options for the Docker provider: fail fast on a dead host, keep long pulls alive. Over the tailnet the peer
 * is authenticated by WireGuard (only the node that joined with its own key answers on its tailnet address), so the
 * host key is not pinned and a rebuilt machine is trusted; elsewhere the first key is trusted and a changed one
 * refused, and a rebuild needs `ssh-keygen -R <address>` once its new key is checked (README: rebuilding a node).
 */
export function dockerSshOpts(overTailnet: boolean, jump?: SshJump): string[] {
  return overTailnet
    ? [...SSH_BASE_OPTS, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    : [...SSH_BASE_OPTS, "-o", "StrictHostKeyChecking=accept-new", ...(jump ? ["-J", `${jump.user}@${jump.host}:${jump.port}`] : [])];
}

/** The command that returns once the machine is bootstrapped (and fails if the bootstrap did not finish). */
export function bootstrapWaitCommand(withScript: boolean): string {
  // cloud-init exits 2 for "degraded" (e.g. deprecation warnings); the done marker is what proves success.
  return withScript ? `bash -s && test -f ${BOOTSTRAP_DONE}` : `cloud-init status --wait >/dev/null || true; test -f ${BOOTSTRAP_DONE}`;
}

/**
 * The SSH connection of a remote step: the bootstrap (to `bootstrapHost` as `bootstrapUser`, when given) or every
 * later one (to `sshHost`), through `lanJump` when the address is the LAN one.
 */
export function remoteConnection(
  args: Pick<DockerHostArgs, "sshHost" | "sshUser" | "privateKey" | "overTailnet" | "bootstrapHost" | "bootstrapUser" | "lanJump">,
  step: "bootstrap" | "steady",
): command.types.input.remote.ConnectionArgs {
  const bootstrap = step === "bootstrap";
  const overLan = !args.overTailnet || (bootstrap && args.bootstrapHost !== undefined);
  const jump = args.lanJump && overLan ? { proxy: { ...args.lanJump, privateKey: args.privateKey } } : {};
  return {
    host: (bootstrap ? args.bootstrapHost : undefined) ?? args.sshHost,
    user: (bootstrap ? args.bootstrapUser : undefined) ?? args.sshUser,
    privateKey: args.privateKey,
    // Dial until the create timeout: a fresh machine has no MagicDNS name until its bootstrap, minutes in, joins the
    // tailnet, and every early dial fails at once.
    dialErrorLimit: -1,
    perDialTimeout: 20,
    ...jump,
  };
}

/** The operator sync runs from stdin as root. */
export const OPERATOR_SYNC_COMMAND = "sudo bash -s";

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

export function validateDockerHostArgs(name: string, args: DockerHostArgs): void {
  const where = `DockerHost ${name}`;
  if (typeof args.sshHost === "string") requireMatch(where, "sshHost", args.sshHost, HOST, "a host name such as hub.tail1234.ts.net or an IPv4 address");
  if (args.bootstrapHost !== undefined) requireMatch(where, "bootstrapHost", args.bootstrapHost, HOST, "a host name or IPv4 address");
  requireMatch(where, "sshUser", args.sshUser, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name");
  if (args.bootstrapUser !== undefined) requireMatch(where, "bootstrapUser", args.bootstrapUser, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name");
  if (args.lanJump !== undefined) {
    requireMatch(where, "lanJump.host", args.lanJump.host, HOST, "a host name or IPv4 address");
    requireIntInRange(where, "lanJump.port", args.lanJump.port, 1, 65535);
    requireMatch(where, "lanJump.user", args.lanJump.user, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name");
  }
  requireMatch(where, "bootstrapTimeout", args.bootstrapTimeout ?? "30m", /^\d+[sm]$/, 'a duration such as "30m"');
  if (args.operatorSync.trim().length === 0) throw new Error(`${where}: operatorSync must be a script, got an empty one`);
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
  /** The machine's identity, for containers that must be recreated on a rebuilt machine. */
  public readonly machineIdentity: pulumi.Output<string>;

  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:docker:DockerHost", name, {}, opts);
    validateDockerHostArgs(name, args);
    const { bootstrapTimeout = "30m" } = args;
    const withScript = args.bootstrapScript !== undefined;
    const connection = remoteConnection(args, "steady");
    this.machineIdentity = pulumi.output(args.machineIdentity);

    const bootstrapped = new command.remote.Command(
      `${name}-bootstrap`,
      {
        connection: remoteConnection(args, "bootstrap"),
        create: bootstrapWaitCommand(withScript),
        // The script may carry a Tailscale auth key.
        stdin: args.bootstrapScript === undefined ? undefined : pulumi.secret(args.bootstrapScript),
        // A rebuilt machine is a new machine: wait for (or run) its bootstrap again.
        triggers: [args.machineIdentity],
      },
      {
        parent: this,
        dependsOn: [...args.readyAfter],
        customTimeouts: { create: bootstrapTimeout, update: bootstrapTimeout },
        // The bootstrap turns off root's SSH login, so a script run as root can run only once per machine; what
        // changes later (operators) is applied by the operator sync.
        ignoreChanges: withScript ? ["stdin"] : [],
      },
    );

    // Re-runs when the script changes (the operator set did: `stdin` is an input) and on a rebuilt machine.
    const operators = new command.remote.Command(
      `${name}-operators`,
      { connection, create: OPERATOR_SYNC_COMMAND, stdin: args.operatorSync, triggers: [args.machineIdentity] },
      { parent: this, dependsOn: [bootstrapped] },
    );

    this.dockerHost = pulumi.interpolate`ssh://${args.sshUser}@${args.sshHost}`;
    this.provider = new docker.Provider(`${name}-docker`, { host: this.dockerHost, sshOpts: dockerSshOpts(args.overTailnet, args.lanJump) }, { parent: this, dependsOn: [bootstrapped] });

    const labels = { ...containerLabels(args.stack, "platform", "network"), [MACHINE_LABEL]: this.machineIdentity };
    const network = new docker.Network(
      `${name}-network`,
      // The machine label makes a rebuilt machine get its network again (a label change replaces a network).
      { name: SHARED_NETWORK, driver: "bridge", labels: Object.entries(labels).map(([label, value]) => ({ label, value })) },
      { parent: this, provider: this.provider, dependsOn: [bootstrapped] },
    );
    this.networkName = network.name;
    this.ready = [bootstrapped, network];

    new AppDeployment(
      `${name}-agents`,
      {
        stack: args.stack,
        app: args.agentsApp,
        spec: args.agents,
        hostPorts: args.agentPorts,
        network: network.name,
        readyAfter: this.ready,
        protect: args.protect,
        machineIdentity: this.machineIdentity,
      },
      { parent: this, provider: this.provider },
    );

    this.registerOutputs({ dockerHost: this.dockerHost, networkName: this.networkName, operators: operators.id });
  }
}
