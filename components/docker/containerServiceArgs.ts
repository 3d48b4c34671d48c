/**
 * ContainerService's arguments, their defaults and their validation, apart from the component so each stays small.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { requireIntInRange, requireMatch } from "../validate";

/** A Docker healthcheck run inside the container. */
export interface ContainerHealthcheck {
  /** `["CMD", ...]` or `["CMD-SHELL", "..."]`, using a tool the image really has; required. */
  readonly test: readonly string[];
  /** Seconds between checks; default 30. */
  readonly intervalSeconds?: number;
  /** Seconds one check may take; default 10. */
  readonly timeoutSeconds?: number;
  /** Failures in a row before "unhealthy"; default 5. */
  readonly retries?: number;
  /** Grace period in seconds after start; default 30. */
  readonly startPeriodSeconds?: number;
}

export interface ContainerServiceArgs {
  /** Stack name, for the ownership labels; required. */
  readonly stack: string;
  /** App the container belongs to (label `hybridlab.app`, container name prefix); required. */
  readonly app: string;
  /** Component within the app (label `hybridlab.component`); the container is named `<app>-<component>`. Required. */
  readonly component: string;
  /** Image with an exact tag (`caddy:2.11.4`) or digest; `latest` and untagged images are refused. Required. */
  readonly image: string;
  /** Replaces the image's entrypoint; default the image's. */
  readonly entrypoint?: readonly string[];
  /** Replaces the image's command; default the image's. */
  readonly command?: readonly string[];
  /** The container's published ports serve without a login, on this node (labels for the policy pack); default no. */
  readonly withoutLogin?: { readonly node: string };
  /**
   * Published ports (container port -> host port); `protocol` default "tcp"; `ip` default Docker's, which is IPv4
   * only ("0.0.0.0"): publish a port on IPv6 with a second entry whose `ip` is "::". Default none.
   */
  readonly ports?: readonly { readonly internal: number; readonly external: number; readonly protocol?: "tcp" | "udp"; readonly ip?: string }[];
  /** Plain environment; default none. */
  readonly env?: Readonly<Record<string, string>>;
  /** Secret environment: each value stays a Pulumi secret in state and in previews; default none. */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Named volumes this container owns (state): one docker.Volume each, retained on delete; default none. */
  readonly volumes?: readonly { readonly name: string; readonly path: string }[];
  /** Volumes owned by another ContainerService of the same app (by Docker volume name); default none. */
  readonly sharedVolumes?: readonly { readonly volume: pulumi.Input<string>; readonly path: string }[];
  /** Host paths mounted into the container; read-only unless `readOnly: false`; default none. */
  readonly binds?: readonly { readonly hostPath: string; readonly containerPath: string; readonly readOnly?: boolean; readonly propagation?: "rslave" }[];
  /** Generated files uploaded into the container; their hash is a label, so a change restarts it. Default none. */
  readonly configFiles?: readonly { readonly path: string; readonly content: string }[];
  /**
   * Files whose content is a secret (a relay password), uploaded as Pulumi secrets. Left out of the hash label, which
   * would leak a digest of the secret; a changed upload replaces the container anyway. Default none.
   */
  readonly secretFiles?: readonly { readonly path: string; readonly content: pulumi.Input<string> }[];
  /** Required unless `oneShot` or `imageHealthcheck`; refused with either. */
  readonly healthcheck?: ContainerHealthcheck;
  /** Hard memory limit in MiB (6-262144); required. */
  readonly memoryMiB: number;
  /** CPU limit in cores; default none (unlimited). */
  readonly cpus?: number;
  /**
   * Runs to completion once (restart "no"): Pulumi attaches and waits for it to exit, so resources that depend on
   * it start after it finished. Default false (a service: restart "unless-stopped", waits until healthy).
   */
  readonly oneShot?: boolean;
  /** Docker networks to join, by name; required unless `hostNetwork` (then must be empty). */
  readonly networks: readonly pulumi.Input<string>[];
  /**
   * Extra /etc/hosts entries, name -> IP address; default none. A process that must bind the address it advertises
   * to other hosts (a Spark worker) maps that name to 0.0.0.0 inside its container.
   */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Use the host's network namespace instead of `networks`; default false. */
  readonly hostNetwork?: boolean;
  /** Use the host's PID namespace; default false. */
  readonly hostPid?: boolean;
  /** Host devices passed into the container at the same path, e.g. /dev/dri or /dev/kmsg. */
  readonly devices?: readonly string[];
  /** NVIDIA GPUs the container may use (Docker's `--gpus`): "all" or a count; needs the NVIDIA container toolkit on the host. Default none. */
  readonly gpus?: "all" | number;
  /** The user (name or uid, optionally `:group`) the process runs as; default the image's. */
  readonly user?: string;
  /**
   * Rely on the image's own HEALTHCHECK (then `healthcheck` must be absent): the container carries the label
   * `hybridlab.healthcheck: image` so the policy pack knows it is checked. Default false.
   */
  readonly imageHealthcheck?: boolean;
  /** Mount /var/run/docker.sock read-only (container and log collectors only); default false. */
  readonly dockerSocket?: boolean;
  /**
   * "drop-all" (default): no capabilities but `capAdd`. "image-default": Docker's defaults minus NET_RAW, MKNOD,
   * AUDIT_WRITE, SYS_CHROOT and SETFCAP, for images whose entrypoint changes users or file ownership.
   */
  readonly capabilities?: "drop-all" | "image-default";
  /** Capabilities to keep or add (e.g. NET_BIND_SERVICE); default none. */
  readonly capAdd?: readonly string[];
  /** Resolve `host.docker.internal` to the host (Docker's host-gateway): to reach a host-network service. Default false. */
  readonly hostGateway?: boolean;
  /** Protect the volumes from deletion (prod); default false. Volumes are retained on delete either way. */
  readonly protectVolumes?: boolean;
  /**
   * The identity of the machine the container runs on (DockerHost.machineIdentity), as the label
   * `hybridlab.machine`: a rebuilt machine has a new one, so its containers are recreated there. Default none.
   */
  readonly machineIdentity?: pulumi.Input<string>;
  /** json-file log rotation: size of one file; default "10m". */
  readonly logMaxSize?: string;
  /** json-file log rotation: files kept; default 3. */
  readonly logMaxFiles?: number;
}

/** Docker's default capabilities that no container here needs. */
export const UNNEEDED_DEFAULT_CAPABILITIES = ["AUDIT_WRITE", "MKNOD", "NET_RAW", "SETFCAP", "SYS_CHROOT"];
export const CONFIG_HASH_LABEL = "hybridlab.config-hash";
/** The label carrying the machine's identity (see `machineIdentity`). */
export const MACHINE_LABEL = "hybridlab.machine";
export const DOCKER_SOCKET = "/var/run/docker.sock";

/** sha256 over the config files (path and content, in path order): the label that restarts a container on change. */
export function configHash(files: readonly { readonly path: string; readonly content: string }[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${file.content}\0`);
  }
  return hash.digest("hex");
}

/** The image's tag, or undefined when it has none (a digest alone counts as pinned). */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

export function validateContainerServiceArgs(name: string, args: ContainerServiceArgs): void {
  const where = `ContainerService ${name}`;
  const pinned = 'an image pinned to an exact version tag such as "caddy:2.11.4" or to a digest (not "latest", not untagged)';
  requireMatch(where, "image", args.image, /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, pinned);
  const tag = imageTag(args.image);
  if (!args.image.includes("@sha256:") && (tag === undefined || tag === "latest")) {
    throw new Error(`${where}: image must be ${pinned}, got "${args.image}"`);
  }
  requireMatch(where, "component", args.component, /^[a-z][a-z0-9-]*$/, "lowercase letters, digits or '-'");
  requireIntInRange(where, "memoryMiB", args.memoryMiB, 6, 262_144);
  if (args.cpus !== undefined && !(args.cpus > 0 && args.cpus <= 256)) throw new Error(`${where}: cpus must be a number of cores from 0.01 to 256, got ${args.cpus}`);
  if (args.oneShot === true && args.healthcheck !== undefined) {
    throw new Error(`${where}: healthcheck must be absent for a one-shot container (it exits by design), got ${JSON.stringify(args.healthcheck.test)}`);
  }
  if (args.imageHealthcheck === true && (args.oneShot === true || args.healthcheck !== undefined)) {
    throw new Error(`${where}: imageHealthcheck must not be combined with oneShot or a healthcheck, got ${args.oneShot === true ? "oneShot" : JSON.stringify(args.healthcheck?.test)}`);
  }
  if (args.oneShot !== true && args.imageHealthcheck !== true) {
    const test = args.healthcheck?.test ?? [];
    if (!(test[0] === "CMD" || test[0] === "CMD-SHELL") || test.length < 2) {
      throw new Error(`${where}: healthcheck.test must be ["CMD", ...] or ["CMD-SHELL", "..."] using a tool the image has, got ${JSON.stringify(args.healthcheck?.test)}`);
    }
  }
  if (args.hostNetwork === true ? args.networks.length > 0 || (args.ports ?? []).length > 0 : args.networks.length === 0) {
    throw new Error(`${where}: networks must be empty (and ports absent) with hostNetwork, and list at least one network otherwise`);
  }
  (args.ports ?? []).forEach((p, i) => {
    requireIntInRange(where, `ports[${i}].internal`, p.internal, 1, 65535);
    requireIntInRange(where, `ports[${i}].external`, p.external, 1, 65535);
  });
  const paths = [...(args.volumes ?? []).map((v) => v.path), ...(args.sharedVolumes ?? []).map((v) => v.path), ...(args.binds ?? []).map((b) => b.containerPath)];
  for (const path of paths) requireMatch(where, "mount path", path, /^\/\S*$/, "an absolute path");
  if ((args.binds ?? []).some((b) => b.hostPath === DOCKER_SOCKET || b.hostPath === "/var/run" || b.hostPath === "/run")) {
    throw new Error(`${where}: binds must not expose the Docker socket; set dockerSocket: true, which mounts it read-only`);
  }
  (args.devices ?? []).forEach((d, i) => requireMatch(where, `devices[${i}]`, d, /^\/dev\/[A-Za-z0-9._/-]+$/, "a device path under /dev"));
  if (typeof args.gpus === "number") requireIntInRange(where, "gpus", args.gpus, 1, 64);
  if (args.user !== undefined) requireMatch(where, "user", args.user, /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, "a user name or uid, optionally with :group");
  (args.volumes ?? []).forEach((v, i) => requireMatch(where, `volumes[${i}].name`, v.name, /^[a-z][a-z0-9-]*$/, "lowercase letters, digits or '-'"));
  for (const key of [...Object.keys(args.env ?? {}), ...Object.keys(args.secretEnv ?? {})]) {
    requireMatch(where, "environment name", key, /^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");
  }
  const both = Object.keys(args.env ?? {}).filter((k) => k in (args.secretEnv ?? {}));
  if (both.length > 0) throw new Error(`${where}: env and secretEnv must not both set ${both.join(", ")}`);
}
