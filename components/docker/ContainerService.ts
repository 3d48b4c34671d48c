import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Container } from "./Container";
import { containerLabels, IMAGE_HEALTHCHECK, LABEL_HEALTHCHECK, LABEL_SECRET_ENV, noLoginLabels } from "../labels";
import { CONFIG_HASH_LABEL, configHash, MACHINE_LABEL, DOCKER_SOCKET, UNNEEDED_DEFAULT_CAPABILITIES, validateContainerServiceArgs, type ContainerServiceArgs } from "./containerServiceArgs";

/**
 * The one way this project runs a container: a pinned image, a healthcheck, limits, log rotation, ownership labels,
 * named volumes that outlive the container, and secrets that stay secret.
 */
export class ContainerService extends pulumi.ComponentResource {
  /** The Docker container name (`<app>-<component>`), also its DNS name on its networks. */
  public readonly containerName: pulumi.Output<string>;
  /** Docker volume names of the volumes this container owns, by volume name. */
  public readonly volumeNames: Record<string, pulumi.Output<string>>;
  /** The container resource, for dependents that must wait for it. */
  public readonly container: Container;
  /** A one-shot's exit code, 0 once it succeeded; undefined for a service. */
  public readonly exitCode: pulumi.Output<number> | undefined;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // `dependsOn` is what the container waits for (its host, the containers it needs), and only the container: the
    // SDK registers a component's children once the component's own dependsOn are done, so passing it on would hold
    // the image pull and the volumes back too, and a multi-gigabyte pull would start only after the containers before.
    const { dependsOn: waitFor, ...componentOpts } = opts ?? {};
    super("hybridlab:docker:ContainerService", name, {}, componentOpts);
    validateContainerServiceArgs(name, args);
    const { oneShot = false, capabilities = "drop-all", protectVolumes = false, logMaxSize = "10m", logMaxFiles = 3 } = args;
    const containerName = `${args.app}-${args.component}`;
    const secretNames = Object.keys(args.secretEnv ?? {}).sort();
    const labels: Record<string, string> = {
      ...containerLabels(args.stack, args.app, args.component),
      [CONFIG_HASH_LABEL]: configHash(args.configFiles ?? []),
      ...(secretNames.length > 0 ? { [LABEL_SECRET_ENV]: secretNames.join(",") } : {}),
      ...(args.withoutLogin ? noLoginLabels(args.withoutLogin.node) : {}),
      ...(args.imageHealthcheck === true ? { [LABEL_HEALTHCHECK]: IMAGE_HEALTHCHECK } : {}),
    };
    const labelList: { label: string; value: pulumi.Input<string> }[] = Object.keys(labels)
      .sort()
      .map((label) => ({ label, value: labels[label] }));
    if (args.machineIdentity !== undefined) labelList.push({ label: MACHINE_LABEL, value: args.machineIdentity });

    // keepLocally: several containers on a host may share an image; deleting one must not remove it from the others.
    // The pull and the volumes need only the host, which the provider already waits for.
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this });

    this.volumeNames = {};
    const owned = (args.volumes ?? []).map((v) => {
      const volume = new docker.Volume(
        `${name}-${v.name}`,
        { name: `${args.app}-${v.name}`, labels: Object.entries(containerLabels(args.stack, args.app, args.component)).map(([label, value]) => ({ label, value })) },
        // State outlives the container and the stack: removing an app from the estate must not delete its data.
        { parent: this, retainOnDelete: true, protect: protectVolumes },
      );
      this.volumeNames[v.name] = volume.name;
      return { volumeName: volume.name, containerPath: v.path };
    });
    const shared = (args.sharedVolumes ?? []).map((v) => ({ volumeName: v.volume, containerPath: v.path }));

    // Plain values stay plain; each secret value becomes its own secret element, so previews show which are secret.
    const envs: pulumi.Input<string>[] = [
      ...Object.keys(args.env ?? {})
        .sort()
        .map((key) => `${key}=${(args.env ?? {})[key]}`),
      ...Object.keys(args.secretEnv ?? {})
        .sort()
        .map((key) => pulumi.secret(pulumi.interpolate`${key}=${(args.secretEnv ?? {})[key]}`)),
    ];

    const mounts = [
      ...(args.binds ?? []).map((b) => ({
        type: "bind",
        source: b.hostPath,
        target: b.containerPath,
        readOnly: b.readOnly ?? true,
        bindOptions: b.propagation ? { propagation: b.propagation } : undefined,
      })),
      ...(args.dockerSocket === true ? [{ type: "bind", source: DOCKER_SOCKET, target: DOCKER_SOCKET, readOnly: true, bindOptions: undefined }] : []),
    ];
    const hc = args.healthcheck;
    const seconds = (value: number | undefined, fallback: number): string => `${value ?? fallback}s`;

    this.container = new Container(
      name,
      {
        name: containerName,
        hostname: args.hostNetwork === true ? undefined : containerName,
        image: image.imageId,
        entrypoints: args.entrypoint ? [...args.entrypoint] : undefined,
        command: args.command ? [...args.command] : undefined,
        envs,
        // Only set what differs from Docker's defaults (tcp, IPv4), so existing TCP ports show no diff.
        ports: (args.ports ?? []).map((p) => ({ internal: p.internal, external: p.external, ...(p.protocol === "udp" ? { protocol: "udp" } : {}), ...(p.ip !== undefined ? { ip: p.ip } : {}) })),
        volumes: [...owned, ...shared],
        mounts,
        uploads: [...(args.configFiles ?? []), ...(args.secretFiles ?? [])].map((f) => ({ file: f.path, content: f.content })),
        healthcheck: hc && {
          tests: [...hc.test],
          interval: seconds(hc.intervalSeconds, 30),
          timeout: seconds(hc.timeoutSeconds, 10),
          retries: hc.retries ?? 5,
          startPeriod: seconds(hc.startPeriodSeconds, 30),
        },
        restart: oneShot ? "no" : "unless-stopped",
        mustRun: !oneShot,
        // A service is created once it is healthy, so its dependents start against a working dependency.
        wait: !oneShot,
        waitTimeout: hc ? Math.max(120, (hc.startPeriodSeconds ?? 30) + (hc.retries ?? 5) * (hc.intervalSeconds ?? 30)) : undefined,
        attach: oneShot ? true : undefined,
        logs: oneShot ? true : undefined,
        memory: args.memoryMiB,
        cpus: args.cpus === undefined ? undefined : String(args.cpus),
        logDriver: "json-file",
        logOpts: { "max-size": logMaxSize, "max-file": String(logMaxFiles) },
        labels: labelList,
        hosts: extraHosts(args),
        networkMode: args.hostNetwork === true ? "host" : undefined,
        networksAdvanced: args.networks.map((network) => ({ name: network })),
        pidMode: args.hostPid === true ? "host" : undefined,
        devices: args.devices?.map((path) => ({ hostPath: path, containerPath: path })),
        gpus: args.gpus === undefined ? undefined : String(args.gpus),
        user: args.user,
        privileged: false,
        capabilities:
          capabilities === "drop-all"
            ? { drops: ["ALL"], adds: [...(args.capAdd ?? [])] }
            : { drops: UNNEEDED_DEFAULT_CAPABILITIES.filter((c) => !(args.capAdd ?? []).includes(c)), adds: [...(args.capAdd ?? [])] },
        // Images on their defaults may rely on file capabilities (e.g. a setcap'd cron), which no-new-privileges blocks.
        securityOpts: capabilities === "drop-all" ? ["no-new-privileges:true"] : [],
      },
      {
        parent: this,
        dependsOn: waitFor,
        // The provider returns envs (and a one-shot's logs, which may print them) in its state too: keep them secret
        // there, not only in the inputs.
        additionalSecretOutputs: secretNames.length > 0 || (args.secretFiles ?? []).length > 0 ? ["envs", "containerLogs"] : [],
      },
    );

    this.containerName = this.container.name;
    // The provider waits for a one-shot to exit but does not look at how: a failed migration or bucket setup would
    // pass as created. A non-zero exit code fails the deployment here, naming the container and how to re-run it.
    // The exit code is kept in state, so a later `up` reports it again until the container is replaced: by a change
    // to its inputs (a fixed config re-runs it by itself) or by the `--replace` the message prints.
    this.exitCode = oneShot
      ? pulumi.all([this.container.exitCode, this.container.urn]).apply(([code, urn]) => failedOneShot(containerName, code, urn))
      : undefined;
    this.registerOutputs({ containerName: this.containerName, volumeNames: this.volumeNames, ...(this.exitCode ? { exitCode: this.exitCode } : {}) });
  }
}

/**
 * A one-shot's exit code, or an error naming the container, its exit code, where to read why, and the exact
 * command that re-runs it once the cause is fixed (unknown during a preview: undefined).
 */
export function failedOneShot(container: string, code: number | undefined, urn: string): number {
  if (code !== undefined && code !== 0) {
    throw new Error(
      `one-shot container ${container} exited with code ${code}; read why with \`docker logs ${container}\` on its host, fix the cause, then re-run it with: pulumi up --replace '${urn}'`,
    );
  }
  return code ?? 0;
}

/** /etc/hosts entries: Docker's host-gateway when asked, then the stated ones; none leaves Docker's default. */
function extraHosts(args: Pick<ContainerServiceArgs, "hostGateway" | "hosts">): { host: string; ip: string }[] | undefined {
  const entries = [...(args.hostGateway === true ? [{ host: "host.docker.internal", ip: "host-gateway" }] : []), ...Object.entries(args.hosts ?? {}).map(([host, ip]) => ({ host, ip }))];
  return entries.length === 0 ? undefined : entries;
}
