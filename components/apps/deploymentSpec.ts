/**
 * The shape in which the catalog declares an app's containers: plain data, no Pulumi. Secrets appear only as
 * `{{name}}` placeholders inside `secretEnv` values; the AppDeployment component fills them from `@pulumi/random`
 * resources (or another app's secrets) and keeps the results Pulumi secrets.
 */

/** A Docker healthcheck, run inside the container with whatever the image ships (some images have no shell). */
export interface HealthcheckSpec {
  /** `["CMD", ...]` (exec) or `["CMD-SHELL", "..."]`; required. */
  readonly test: readonly string[];
  /** Seconds between checks; default 30. */
  readonly intervalSeconds?: number;
  /** Seconds one check may take; default 10. */
  readonly timeoutSeconds?: number;
  /** Failures in a row before "unhealthy"; default 5. */
  readonly retries?: number;
  /** Seconds after start during which failures do not count; default 30. */
  readonly startPeriodSeconds?: number;
}

/** A generated file uploaded into the container; its content is hashed into a label so a change restarts it. */
export interface ConfigFileSpec {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
  /** Artifact name under `<node>/<app>/` when the plan emits config files (unique within the app). */
  readonly artifact: string;
  /**
   * The content is a template of `{{secret}}` placeholders: uploaded as a Pulumi secret once filled, and never
   * emitted as an artifact. Default false.
   */
  readonly secret?: boolean;
}

/** A host directory mounted into the container (read-only unless stated). */
export interface BindSpec {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly?: boolean;
  /** Mount propagation, e.g. "rslave" for node-exporter's view of the host's mounts. */
  readonly propagation?: "rslave";
}

/** One container of an app. */
export interface ContainerSpec {
  /** Component name, unique in the app; the container is named `<app>-<component>`. */
  readonly component: string;
  /** Image with an exact version tag (or digest). */
  readonly image: string;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  /**
   * Published ports: the named host port (see the app kind's `listen`) and the container port behind it; TCP unless
   * `protocol` says "udp", bound on IPv4 (every address, or only `bindIpv4`) and on every address in `bindIpv6`
   * (e.g. "::"); default IPv4 only.
   */
  readonly ports?: readonly {
    readonly name: string;
    readonly containerPort: number;
    readonly protocol?: "tcp" | "udp";
    /** The one IPv4 address the port is bound to (a LAN address); default every IPv4 address. */
    readonly bindIpv4?: string;
    readonly bindIpv6?: readonly string[];
  }[];
  readonly env?: Readonly<Record<string, string>>;
  /** Secret environment values: templates whose `{{secret}}` placeholders are filled with Pulumi secrets. */
  readonly secretEnv?: Readonly<Record<string, string>>;
  /** Named volumes (state), by app-wide name: containers of one app that list the same name share the volume. */
  readonly volumes?: readonly { readonly name: string; readonly path: string }[];
  readonly binds?: readonly BindSpec[];
  readonly configFiles?: readonly ConfigFileSpec[];
  /** Required for long-running containers; one-shot containers have none (they exit by design). */
  readonly healthcheck?: HealthcheckSpec;
  /** Hard memory limit in MiB. */
  readonly memoryMiB: number;
  /** CPU limit in cores; default none. */
  readonly cpus?: number;
  /** Runs once to completion (migrations, bucket creation): restart "no", and dependents wait for it to finish. */
  readonly oneShot?: boolean;
  /** Components of the same app that must be running (healthy) or, for one-shots, finished first. */
  readonly after?: readonly string[];
  /**
   * Other apps (by estate name) whose deployment, one-shot setup included, must finish before this container starts,
   * e.g. the object store holding its bucket; default none. Only this container waits, so the rest of the app
   * deploys alongside the other app.
   */
  readonly afterApps?: readonly string[];
  /** Mount the Docker socket read-only (container and log collectors only). */
  readonly dockerSocket?: boolean;
  /**
   * "drop-all" (default): no Linux capabilities but `capAdd`, for images that run as an unprivileged user or need
   * nothing. "image-default": Docker's default set minus the rarely needed ones, for images whose entrypoint switches
   * users or changes file ownership (postgres, redis, minio).
   */
  readonly capabilities?: "drop-all" | "image-default";
  readonly capAdd?: readonly string[];
  /** Its published ports serve without a login; labelled so (with the node) for the policy pack. Default false. */
  readonly withoutLogin?: { readonly node: string };
  /** Resolve `host.docker.internal` to the host (Docker's host-gateway): to reach a host-network service. */
  readonly hostGateway?: boolean;
  /** Extra /etc/hosts entries, name -> IP address (see ContainerServiceArgs.hosts); default none. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Share the host's network or PID namespace (node-exporter, per its README). */
  readonly hostNetwork?: boolean;
  readonly hostPid?: boolean;
  /** Host devices passed into the container at the same path, e.g. /dev/dri or /dev/kmsg. */
  readonly devices?: readonly string[];
  /** NVIDIA GPUs the container may use (Docker's `--gpus`): "all" or a count; default none. */
  readonly gpus?: "all" | number;
  /** The user (name or uid, optionally `:group`) the container's process runs as; default the image's. */
  readonly user?: string;
  /** Use the image's own HEALTHCHECK instead of `healthcheck` (which must then be absent); default false. */
  readonly imageHealthcheck?: boolean;
}

/** A secret the deployment generates once and keeps in state, or reads from the stack's secret config. */
export type SecretSpec =
  | { readonly kind: "password"; readonly length: number }
  /** A Fernet key (Airflow): 32 random bytes, URL-safe base64 with padding. */
  | { readonly kind: "fernet-key" }
  /**
   * A secret the operator sets in the stack's config (`pulumi config set --secret hybridlab:<key>`), or with `field`
   * one entry of a structured config value (`pulumi config set --secret --path 'hybridlab:<key>.<field>'`).
   */
  | { readonly kind: "config"; readonly key: string; readonly field?: string };

/** Everything the platform needs to run one app. */
export interface AppDeploymentSpec {
  /** Secrets generated for this app, by placeholder name. */
  readonly secrets: Readonly<Record<string, SecretSpec>>;
  /** Placeholders filled from another app's secrets: name -> that app and its secret name. */
  readonly imports?: Readonly<Record<string, { readonly app: string; readonly secret: string }>>;
  readonly containers: readonly ContainerSpec[];
  /**
   * The administrator login the deployment generates (user and password templates of `{{secret}}` placeholders or
   * plain text), exported as a secret stack output so it can be retrieved after `pulumi up`. Default none.
   */
  readonly adminLogin?: { readonly user: string; readonly password: string };
}

/** The Docker container name of an app's component; also its DNS name on the shared network. */
export function containerName(app: string, component: string): string {
  return `${app}-${component}`;
}

/** The shared Docker network every container of the platform joins on its host. */
export const SHARED_NETWORK = "hybridlab";
