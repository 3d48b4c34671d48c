/**
 * Docker containers and images (`@pulumi/docker` 5.x inputs). References: CIS Docker Benchmark v1.6.0 section 5
 * (container runtime), KICS docker-compose queries, Checkov's Dockerfile checks.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { IMAGE_HEALTHCHECK, LABEL_HEALTHCHECK, LABEL_SECRET_ENV } from "../../components/labels";
import { exposesPath, isRecord, labelMap, normalizeHostPath, OFFLINE_SECRET, resourceRule, stringList } from "./shared";

export const CONTAINER = "docker:index/container:Container";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** The inputs of `docker.Container` these rules read (docker 5.x `ContainerArgs`). */
export interface ContainerProps {
  readonly name?: string;
  readonly image?: string;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly adds?: readonly string[]; readonly drops?: readonly string[] };
  readonly mounts?: ReadonlyArray<{ readonly source?: string; readonly target?: string; readonly type?: string; readonly readOnly?: boolean }>;
  readonly volumes?: ReadonlyArray<{ readonly hostPath?: string; readonly containerPath?: string; readonly volumeName?: string; readonly readOnly?: boolean }>;
  /** Memory limit in MB. */
  readonly memory?: number;
  readonly healthcheck?: { readonly tests?: readonly string[] };
  readonly restart?: string;
  readonly mustRun?: boolean;
  readonly logDriver?: string;
  readonly logOpts?: Readonly<Record<string, string>>;
  /** "KEY=value" strings; offline, a secret entry (or the whole list) reads "[secret]". */
  readonly envs?: readonly string[] | string;
  readonly networkMode?: string;
  readonly labels?: ReadonlyArray<{ readonly label: string; readonly value: string }>;
}

interface RemoteImageProps {
  /** "repository:tag", "repository@sha256:..." or both. */
  readonly name?: string;
}

/** The `hybridlab.component` label (containerLabels in components/labels.ts), else the image's repository name. */
export function componentOf(props: ContainerProps): string {
  const component = labelMap(props.labels)["hybridlab.component"];
  if (component) return component;
  const reference = parseImageReference(props.image ?? "");
  return reference.repository.split("/").pop() ?? "";
}

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits "registry:5000/org/app:1.2@sha256:..." into repository, tag and digest. */
export function parseImageReference(reference: string): ImageReference {
  const [named, digest] = reference.split("@", 2);
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    tag: hasTag ? named.slice(colon + 1) : undefined,
    digest,
  };
}

/** A one-shot init container: restart "no" and not kept running (`mustRun: false`). */
function isOneShot(props: ContainerProps): boolean {
  return props.restart === "no" && props.mustRun === false;
}

interface AllowList {
  readonly allowed: string[];
}

const allowListSchema = (description: string, defaults: string[]) => ({
  properties: { allowed: { type: "array" as const, items: { type: "string" as const }, default: defaults, description } },
});

function pinProblem(reference: string, floatingTags: readonly string[]): string | undefined {
  const { tag, digest } = parseImageReference(reference);
  if (digest) return undefined;
  if (tag === undefined) return `image "${reference}" has no tag, so it pulls "latest": pin a version tag or a digest`;
  if (floatingTags.includes(tag.toLowerCase())) return `image "${reference}" uses the floating tag "${tag}": pin a version tag or a digest`;
  return undefined;
}

const containerImagePinned = resourceRule<ContainerProps & RemoteImageProps, { floatingTags: string[] }>({
  name: "container-image-pinned",
  description: "Images are pinned to a version tag or a digest, never latest or no tag (Checkov CKV_DOCKER_7, Hadolint DL3007).",
  enforcementLevel: "mandatory",
  types: [REMOTE_IMAGE, CONTAINER],
  url: "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
  configSchema: {
    properties: {
      floatingTags: {
        type: "array",
        items: { type: "string" },
        default: ["latest", "stable", "edge", "nightly", "main", "master"],
        description: "Tags that move between releases and so do not pin an image.",
      },
    },
  },
  validate: (props, args, report, { floatingTags }) => {
    const reference = args.type === REMOTE_IMAGE ? props.name : props.image;
    // A container started from a RemoteImage gets its image ID ("sha256:..."): the RemoteImage carries the pin.
    if (typeof reference !== "string" || reference.startsWith("sha256:")) return;
    const problem = pinProblem(reference, floatingTags);
    if (problem) report(problem);
  },
});

const containerNotPrivileged = resourceRule<ContainerProps>({
  name: "container-not-privileged",
  description: "Containers do not run privileged (CIS Docker 5.4, KICS ae5b6871-7f45-42e0-bb4c-ab300c4d2026).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
  validate: (props, _args, report) => {
    if (props.privileged === true) report(`container "${componentOf(props)}" runs privileged: remove privileged and add only the capabilities it needs`);
  },
});

const capabilityName = (cap: string): string => cap.toUpperCase().replace(/^CAP_/, "");

const containerCapabilities = resourceRule<ContainerProps, AllowList>({
  name: "container-capabilities-allow-list",
  description: "Containers add no Linux capabilities beyond an allow-list (CIS Docker 5.3, KICS ce76b7d0-9e77-464d-b86f-c5c48e03e22d).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
  // NET_BIND_SERVICE: the proxy's ports 80/443. SYSLOG: cAdvisor reads the kernel log (/dev/kmsg) for OOM kills, which
  // kernel.dmesg_restrict=1 (most distributions' default) reserves to it; it grants no write or admin power.
  configSchema: allowListSchema("Capabilities a container may add (without the CAP_ prefix).", ["NET_BIND_SERVICE", "SYSLOG"]),
  validate: (props, _args, report, { allowed }) => {
    const permitted = new Set(allowed.map(capabilityName));
    const extra = stringList(props.capabilities?.adds).map(capabilityName).filter((cap) => !permitted.has(cap));
    if (extra.length > 0) {
      report(`container "${componentOf(props)}" adds capabilities ${extra.join(", ")}; allowed: ${[...permitted].join(", ") || "none"}`);
    }
  },
});

/** Host paths a container may bind, from `mounts` (type bind) and `volumes` (hostPath). */
function hostPaths(props: ContainerProps): string[] {
  const mounts = Array.isArray(props.mounts) ? props.mounts : [];
  const volumes = Array.isArray(props.volumes) ? props.volumes : [];
  return [
    ...mounts.filter((m) => m.type === "bind" && typeof m.source === "string").map((m) => String(m.source)),
    ...volumes.filter((v) => typeof v.hostPath === "string").map((v) => String(v.hostPath)),
  ];
}

/** Where the Docker daemon listens (`/var/run` is a symlink to `/run`); a rootless daemon's socket is named the same. */
const dockerSockets = ["/run/docker.sock", "/var/run/docker.sock"];

/** The socket itself, any `docker.sock`, or a parent directory that carries it into the container (`/`, `/var`, `/run`). */
function isDockerSocket(path: string): boolean {
  return /\/docker\.sock$/.test(normalizeHostPath(path)) || dockerSockets.some((socket) => exposesPath(path, socket));
}

const containerDockerSocket = resourceRule<ContainerProps, AllowList>({
  name: "container-docker-socket-allow-list",
  description: "Only allow-listed tools (cAdvisor, the log shipper) mount the Docker socket (CIS Docker 5.31, KICS d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
  configSchema: allowListSchema(
    "Components (hybridlab.component label or image name) that may mount the Docker socket; node-exporter binds / (read-only), which carries it along.",
    ["cadvisor", "alloy", "node-exporter"],
  ),
  validate: (props, _args, report, { allowed }) => {
    const component = componentOf(props);
    const sockets = hostPaths(props).filter(isDockerSocket);
    if (sockets.length > 0 && !allowed.includes(component)) {
      report(`container "${component}" mounts the Docker socket (${sockets.join(", ")}), which gives root on the host; only ${allowed.join(", ") || "no component"} may`);
    }
  },
});

const sensitiveDirs = ["/boot", "/dev", "/etc", "/lib", "/proc", "/root", "/sys", "/usr", "/var/lib/docker"];

/** A sensitive directory, anything inside one, or a parent that carries one along (`/var` holds `/var/lib/docker`). */
function isSensitive(path: string): boolean {
  return sensitiveDirs.some((dir) => exposesPath(path, dir));
}

const containerSensitiveMounts = resourceRule<ContainerProps, AllowList>({
  name: "container-no-sensitive-host-mounts",
  description: "Containers do not bind sensitive host directories (/, /etc, /proc, /sys, ...) unless allow-listed (CIS Docker 5.5, KICS 1c1325ff-831d-43a1-973e-839ae57dfcc0).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/storage/bind-mounts/",
  configSchema: allowListSchema("Components that may bind host system directories (metrics agents read /proc, /sys and /).", ["node-exporter", "cadvisor", "alloy"]),
  validate: (props, _args, report, { allowed }) => {
    const component = componentOf(props);
    const sensitive = hostPaths(props).filter(isSensitive);
    if (sensitive.length > 0 && !allowed.includes(component)) {
      report(`container "${component}" binds host directories ${sensitive.join(", ")}; use a named volume or an upload instead`);
    }
  },
});

const containerMemoryLimit = resourceRule<ContainerProps>({
  name: "container-memory-limit",
  description: "Containers have a memory limit (CIS Docker 5.10, KICS bb9ac4f7-e13b-423d-a010-c74a1bfbe492).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/containers/resource_constraints/#memory",
  validate: (props, _args, report) => {
    if (!(typeof props.memory === "number" && props.memory > 0)) {
      report(`container "${componentOf(props)}" has no memory limit: set memory (MB) so one container cannot starve the host`);
    }
  },
});

/** `["CMD", "curl", ...]` or `["CMD-SHELL", "..."]` with a command; `NONE`, an empty command or nothing disable it. */
function probes(tests: readonly string[]): boolean {
  const [form, ...command] = tests;
  return (form === "CMD" || form === "CMD-SHELL") && command.some((part) => part.trim() !== "");
}

const containerHealthcheck = resourceRule<ContainerProps>({
  name: "container-healthcheck",
  description: "Long-running containers define a healthcheck (CIS Docker 4.6/5.26, Checkov CKV_DOCKER_2, KICS 698ed579-b239-4f8f-a388-baa4bcb13ef8).",
  enforcementLevel: "advisory",
  types: [CONTAINER],
  url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
  validate: (props, _args, report) => {
    // Docker runs the image's own HEALTHCHECK when the container sets none; the label says the program relies on it.
    if (isOneShot(props) || labelMap(props.labels)[LABEL_HEALTHCHECK] === IMAGE_HEALTHCHECK) return;
    if (!probes(stringList(props.healthcheck?.tests))) {
      report(`container "${componentOf(props)}" has no healthcheck: add healthcheck.tests with a probe the image can run`);
    }
  },
});

const restartPolicies = ["always", "unless-stopped", "on-failure"];

const containerRestartPolicy = resourceRule<ContainerProps>({
  name: "container-restart-policy",
  description: "Containers restart after a crash or reboot (unless-stopped, always or on-failure); one-shot containers set restart \"no\" with mustRun false (CIS Docker 5.14, KICS 2fc99041-ddad-49d5-853f-e35e70a48391).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/containers/start-containers-automatically/",
  validate: (props, _args, report) => {
    if (isOneShot(props) || restartPolicies.includes(props.restart ?? "")) return;
    report(`container "${componentOf(props)}" has restart "${props.restart ?? "no"}": use unless-stopped (or restart "no" with mustRun false for a one-shot)`);
  },
});

/** Log drivers that keep logs on the host's disk and only rotate when told to. */
const unboundedDrivers = ["json-file"];

/** A json-file `max-size` that bounds the log: a positive size such as 10m; `-1` (Docker's default), `0` or text do not. */
function rotatesAt(maxSize: unknown): boolean {
  const match = /^\s*(\d+(?:\.\d+)?)\s*[kmg]?b?\s*$/i.exec(String(maxSize ?? ""));
  return match !== null && Number(match[1]) > 0;
}

const containerLogRotation = resourceRule<ContainerProps>({
  name: "container-log-rotation",
  description: "Container logs are rotated: json-file (the default) needs logOpts max-size; local rotates by itself.",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/logging/drivers/json-file/",
  validate: (props, _args, report) => {
    const driver = props.logDriver ?? "json-file";
    if (!unboundedDrivers.includes(driver)) return;
    const opts = isRecord(props.logOpts) ? props.logOpts : {};
    if (!rotatesAt(opts["max-size"])) {
      report(`container "${componentOf(props)}" logs with ${driver} without rotation${opts["max-size"] === undefined ? "" : ` (max-size ${JSON.stringify(opts["max-size"])} does not bound it)`}: set logOpts max-size such as 10m (and max-file), or logDriver "local"`);
    }
  },
});

/** Words that name a secret on their own: `API_KEY`, `apiKey`, `db-pass`. */
const secretWords = new Set(["PASS", "PWD", "KEY", "SALT", "PIN"]);

/** Stems that name a secret wherever they sit in a word: `PGPASSWORD`, `APIKEY`, `SECRETKEY`, `ACCESSTOKEN`. */
const secretStems = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "APIKEY", "AUTHKEY", "PRIVATEKEY"];

/** The words of a name in any case style: `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password` -> DB, PASSWORD. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== "");
}

/** DB_PASSWORD, dbPassword, PGPASSWORD, AIRFLOW__CORE__FERNET_KEY, apiToken, SECRET_KEY, db-password, ... */
export function isSecretLooking(name: string): boolean {
  return nameWords(name).some((word) => secretWords.has(word) || secretStems.some((stem) => word.includes(stem)));
}

/** `postgres://user:password@host/db`: a credential in a URL's user info, whatever the variable is called. */
export function embedsCredential(value: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i.test(value);
}

/**
 * Secret env values must be Pulumi secrets. Offline they read "[secret]". Under the CLI every secret reaches a
 * policy in plain text with no marker (pulumi/pulumi-policy#163, #241; engine AnalyzeRequest uses KeepSecrets and
 * the SDK unwraps them), so there the rule trusts the names the container declares secret in its
 * `hybridlab.secret-env` label, and only those: a plain password next to a secret one is still caught.
 */
function plainSecretEnvs(props: ContainerProps, allowed: readonly string[]): string[] {
  if (!Array.isArray(props.envs)) return [];
  const declared = (labelMap(props.labels)[LABEL_SECRET_ENV] ?? "").split(",");
  return props.envs
    .filter((entry): entry is string => typeof entry === "string" && entry !== OFFLINE_SECRET)
    .map((entry) => {
      const eq = entry.indexOf("=");
      return eq < 0 ? [entry, ""] : [entry.slice(0, eq), entry.slice(eq + 1)];
    })
    .filter(([name, value]) => value !== "" && (embedsCredential(value) || (isSecretLooking(name) && !/_FILE$/i.test(name))) && !allowed.includes(name) && !declared.includes(name))
    .map(([name]) => name);
}

const containerSecretEnv = resourceRule<ContainerProps, AllowList>({
  name: "container-no-plaintext-secret-env",
  description: "Secret-looking environment variables (PASSWORD, SECRET, TOKEN, KEY, ... in any case style) and values with credentials in a URL are Pulumi secrets, never plain values (CIS Docker 4.10; Pulumi secrets).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://www.pulumi.com/docs/iac/concepts/secrets/",
  // PVE_TOKEN_NAME is the Proxmox VE exporter's token name, the last part of its id (user@realm!name), which the
  // stack file states in plain text; the token's secret is PVE_TOKEN_VALUE.
  configSchema: allowListSchema("Variable names that look secret but are not (e.g. a public key).", ["PVE_TOKEN_NAME"]),
  validate: (props, _args, report, { allowed }) => {
    const names = plainSecretEnvs(props, allowed);
    if (names.length > 0) {
      report(`container "${componentOf(props)}" sets ${names.join(", ")} as plain text: pass the value with pulumi.secret (or a *_FILE path to a mounted secret)`);
    }
  },
});

const containerHostNetwork = resourceRule<ContainerProps, AllowList>({
  name: "container-no-host-network",
  description: "Containers do not share the host's network namespace unless allow-listed (CIS Docker 5.9, KICS 071a71ff-f868-47a4-ac0b-3c59e4ab5443).",
  enforcementLevel: "mandatory",
  types: [CONTAINER],
  url: "https://docs.docker.com/engine/network/drivers/host/",
  configSchema: allowListSchema("Components that may use networkMode host (node-exporter reads the host's interfaces).", ["node-exporter"]),
  validate: (props, _args, report, { allowed }) => {
    const component = componentOf(props);
    if (props.networkMode === "host" && !allowed.includes(component)) {
      report(`container "${component}" uses the host network: publish ports on a bridge network instead`);
    }
  },
});

export const containerPolicies: ResourceValidationPolicy[] = [
  containerImagePinned,
  containerNotPrivileged,
  containerCapabilities,
  containerDockerSocket,
  containerSensitiveMounts,
  containerMemoryLimit,
  containerHealthcheck,
  containerRestartPolicy,
  containerLogRotation,
  containerSecretEnv,
  containerHostNetwork,
];
