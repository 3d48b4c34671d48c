/**
 * The shape in which the catalog declares an app's containers: plain data, no Pulumi. Secrets appear only as
 * `{{name}}` placeholders inside `secretEnv` values; the AppDeployment component fills them from `@pulumi/random`
 * resources (or another app's secrets) and keeps the results Pulumi secrets.
 */
import type { ContainerHealthcheck, ContainerServiceArgs } from "../docker/containerServiceArgs";

/** A Docker healthcheck, run inside the container with whatever the image ships (some images have no shell). */
export type HealthcheckSpec = ContainerHealthcheck;

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

/** What a container of an app hands to ContainerService as it is: those fields are documented there. */
type PassedToContainerService =
  | "image"
  | "entrypoint"
  | "command"
  | "env"
  | "binds"
  | "healthcheck"
  | "memoryMiB"
  | "cpus"
  | "oneShot"
  | "dockerSocket"
  | "capabilities"
  | "capAdd"
  | "withoutLogin"
  | "hostGateway"
  | "hosts"
  | "hostNetwork"
  | "hostPid"
  | "devices"
  | "gpus"
  | "user"
  | "imageHealthcheck";

/** One container of an app. */
export interface ContainerSpec extends Pick<ContainerServiceArgs, PassedToContainerService> {
  /** Component name, unique in the app; the container is named `<app>-<component>`. */
  readonly component: string;
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
  /** Secret environment values: templates whose `{{secret}}` placeholders are filled with Pulumi secrets. */
  readonly secretEnv?: Readonly<Record<string, string>>;
  /** Named volumes (state), by app-wide name: containers of one app that list the same name share the volume. */
  readonly volumes?: readonly { readonly name: string; readonly path: string }[];
  readonly configFiles?: readonly ConfigFileSpec[];
  /** Components of the same app that must be running (healthy) or, for one-shots, finished first. */
  readonly after?: readonly string[];
  /**
   * Other apps (by estate name) whose deployment, one-shot setup included, must finish before this container starts,
   * e.g. the object store holding its bucket; default none. Only this container waits, so the rest of the app
   * deploys alongside the other app.
   */
  readonly afterApps?: readonly string[];
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
