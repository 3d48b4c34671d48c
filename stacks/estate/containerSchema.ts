/**
 * The fields of a `kind: container` app: any image, run with the same guarantees as the catalog's apps. Shape only;
 * what refers to the rest of the estate (ports, dependsOn, secrets, nodes) is checked in rules/containers.ts.
 */
import { z } from "zod";

/** An image reference with a version tag or a digest: `nextcloud:32.0.2-apache`, `ghcr.io/me/site:1.4.0`, `x@sha256:...`. */
const IMAGE = /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Whether `image` is pinned: a digest, or a tag that is not `latest`. */
export function isPinnedImage(image: string): boolean {
  if (!IMAGE.test(image)) return false;
  const [named, digest] = image.split("@");
  if (digest !== undefined) return true;
  const colon = named.lastIndexOf(":");
  return colon > named.lastIndexOf("/") && named.slice(colon + 1) !== "latest";
}

export const pinnedImage = z
  .string()
  .refine(isPinnedImage, "must be an image pinned to a version tag or a digest, such as nextcloud:32.0.2-apache or ghcr.io/me/site@sha256:<64 hex>; not latest, not untagged");

const absolutePath = z.string().regex(/^\/[^\s\u0000-\u001f]*$/, "must be an absolute path such as /var/www/html");
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name: letters, digits or '_', not starting with a digit");
const envValue = z.string().regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, "must be one line of text without control characters");
const portName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a port name: lowercase letters, digits or '-'");
const name = z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, "must be 2-40 lowercase letters, digits or '-', starting with a letter");
const port = z.number().int().min(1).max(65535);

/** Where a secret environment value comes from; never the value itself. */
const secretSource = z.union(
  [
    /** A password the program generates once (32 letters and digits) and keeps in state. */
    z.strictObject({ generate: z.literal("password") }),
    /** An entry of `hybridlab:appSecrets`, set with `pulumi config set --secret --path 'hybridlab:appSecrets.<name>'`. */
    z.strictObject({ config: name }),
    /** The password of the app's own `postgres` or `redis` sidecar. */
    z.strictObject({ sidecar: z.enum(["postgres", "redis"]) }),
  ],
  { error: "must be {generate: password}, {config: <name in hybridlab:appSecrets>} or {sidecar: postgres|redis}; a secret is never written here" },
);

export const containerFields = {
  /** The image, pinned by version tag or `@sha256:` digest; `latest` and untagged images are refused. */
  image: pinnedImage,
  /** Replaces the image's entrypoint; default the image's. */
  entrypoint: z.array(z.string()).min(1).optional(),
  /** Replaces the image's command; default the image's. */
  command: z.array(z.string()).min(1).optional(),
  /** Plain environment; nothing secret (secretEnv is for that). Default none. */
  env: z.record(envName, envValue).default({}),
  /** Secret environment, by variable: where each value comes from (it stays a Pulumi secret). Default none. */
  secretEnv: z.record(envName, secretSource).default({}),
  /** Named volumes (state) by name, each at its mount path: retained on delete, protected in prod. Default none. */
  volumes: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a volume name: lowercase letters, digits or '-'"), absolutePath).default({}),
  /**
   * The container port that serves HTTP: behind the public hostname, and where `healthcheck.http` and `metrics` are
   * read. Published as the host port `http` (default the same number; override with `ports.http`).
   */
  http: port.optional(),
  /**
   * Other ports, by name, published to the tailnet (default; over the mesh, never the internet) or to the LAN (bound to
   * the Proxmox guest's static LAN address only). Host port default the container port; override with `ports.<name>`.
   */
  publish: z
    .record(
      portName.refine((n) => n !== "http", "must not be http (the HTTP port is `http`)"),
      z.strictObject({ port, protocol: z.enum(["tcp", "udp"]).default("tcp"), to: z.enum(["tailnet", "lan"]).default("tailnet") }),
    )
    .default({}),
  /**
   * How Docker tells the container is healthy, exactly one of: `http` (a path GET on the HTTP port, with the client the
   * image ships in `using`, also probed by monitoring), `command` (run in the container, exit 0 when healthy) or
   * `image: true` (the image's own HEALTHCHECK). `startPeriodSeconds`: failures that early do not count (default 30).
   */
  healthcheck: z.strictObject({
    http: z.string().regex(/^\/[^\s]*$/, "must be a path such as /health").optional(),
    using: z.enum(["curl", "wget"]).optional(),
    command: z.array(z.string().min(1)).min(1).optional(),
    image: z.literal(true).optional(),
    startPeriodSeconds: z.number().int().min(0).max(3600).optional(),
  }),
  /** A Prometheus endpoint scraped by the monitoring app: its path, on `port` (a published port name; default http). */
  metrics: z.strictObject({ path: z.string().regex(/^\/[^\s]*$/, "must be a path such as /metrics"), port: portName.default("http") }).optional(),
  /** Hard memory limit in MiB; default 512. */
  memoryMiB: z.number().int().min(16).max(262_144).default(512),
  /** CPU limit in cores; default none. */
  cpus: z.number().positive().max(256).optional(),
  /** The user the process runs as: a name or uid, optionally `:group`; default the image's. */
  user: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, "must be a user name or uid, optionally with :group, such as 1000:1000").optional(),
  /** Host devices passed through at the same path, e.g. /dev/dri (Intel/AMD video decoding). Default none. */
  devices: z.array(z.string().regex(/^\/dev\/[A-Za-z0-9._/-]+$/, "must be a device path under /dev such as /dev/dri")).default([]),
  /** NVIDIA GPUs (Docker's --gpus; the host needs the NVIDIA driver and container toolkit): all, or a count. */
  gpus: z.union([z.literal("all"), z.number().int().min(1).max(16)]).optional(),
  /** Apps (by name) whose deployment finishes before this container starts. Default none. */
  dependsOn: z.array(z.string()).default([]),
  /**
   * Whether the image asks who you are before it shows or changes anything. A container has none unless this says
   * `true`; without one it is never `public`.
   */
  ownLogin: z.boolean().optional(),
  /**
   * A PostgreSQL sidecar (`<app>-db`, data in the volume `db`, password generated): the app gets PGHOST, PGPORT,
   * PGDATABASE, PGUSER, PGPASSWORD and DATABASE_URL. `image` default the catalog's postgres (e.g. postgis/postgis:18-3.6);
   * `database` and `user` default the app's name.
   */
  postgres: z.strictObject({ image: pinnedImage.optional(), database: name.optional(), user: name.optional() }).optional(),
  /**
   * A Redis sidecar (`<app>-redis`, password generated, data in the volume `redis`): the app gets REDIS_HOST,
   * REDIS_PORT, REDIS_PASSWORD and REDIS_URL. `image` default the catalog's redis.
   */
  redis: z.strictObject({ image: pinnedImage.optional() }).optional(),
};
