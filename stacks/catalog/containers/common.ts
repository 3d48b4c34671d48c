/** Building blocks the app definitions share: HTTP healthchecks, the PostgreSQL sidecar, the app's own URLs. */
import { nodeHost } from "../../derive/addressing";
import { publicFqdn } from "../../derive/hostnames";
import type { App, Estate } from "../../estate/schema";
import { DATABASE_EXPORTER } from "../apps";
import { images } from "./images";
import type { ContainerSpec, HealthcheckSpec, SecretSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

/** An HTTP GET that must succeed, with the client the image ships: busybox/GNU wget or curl. */
export function httpCheck(tool: "wget" | "curl", url: string, extra: Partial<HealthcheckSpec> = {}): HealthcheckSpec {
  const test = tool === "wget" ? ["CMD", "wget", "-q", "--spider", url] : ["CMD", "curl", "--fail", "--silent", "--show-error", "--output", "/dev/null", url];
  return { test, ...extra };
}

/** A password for a database or service account: letters and digits only, so it is safe inside URLs. */
export const PASSWORD: SecretSpec = { kind: "password", length: 32 };

/**
 * Where a postgres-based image (postgres, postgis/postgis) declares its data volume: from 18 on /var/lib/postgresql
 * (PGDATA is /var/lib/postgresql/18/docker, so the named volume survives a major upgrade's new subdirectory), before
 * 18 /var/lib/postgresql/data. The named volume must mount exactly there: a mount above the image's VOLUME would
 * leave the data in an anonymous volume. https://hub.docker.com/_/postgres, https://github.com/postgis/docker-postgis
 * ("Breaking change (PostgreSQL 18+): Default VOLUME path changed to /var/lib/postgresql").
 */
export function postgresDataPath(image: string): string {
  const tag = image.split("@")[0].split("/").pop()?.split(":")[1] ?? "";
  const major = /^(\d+)/.exec(tag)?.[1];
  return major !== undefined && Number(major) < 18 ? "/var/lib/postgresql/data" : "/var/lib/postgresql";
}

/**
 * The PostgreSQL sidecar an app keeps its data in, component "db", password placeholder `{{db-password}}`, on the
 * catalog's postgres image or a postgres-based one such as postgis/postgis.
 */
export function postgresSidecar(database: string, user: string, memoryMiB = 512, image: string = images.postgres): ContainerSpec {
  return {
    component: "db",
    image,
    env: { POSTGRES_USER: user, POSTGRES_DB: database },
    secretEnv: { POSTGRES_PASSWORD: "{{db-password}}" },
    volumes: [{ name: "db", path: postgresDataPath(image) }],
    healthcheck: { test: ["CMD", "pg_isready", "-U", user, "-d", database], intervalSeconds: 10, retries: 5, startPeriodSeconds: 10 },
    memoryMiB,
    // The entrypoint initialises and chowns the data directory as root, then drops to the postgres user.
    capabilities: "image-default",
  };
}

/**
 * A Redis sidecar with a password, component "redis", placeholder `{{redis-password}}`, appending to the volume
 * `redis`. redis-server reads its password only from its arguments or a config file, so it gets a config file (a
 * secret upload): given `redis-server <file>`, the image's entrypoint still drops to the redis user
 * (https://hub.docker.com/_/redis, "Additionally, If you want to use your own redis.conf"). redis-cli reads the
 * password from REDISCLI_AUTH, for the healthcheck.
 */
export function redisSidecar(image: string = images.redis, memoryMiB = 256): ContainerSpec {
  return {
    component: "redis",
    image,
    command: ["redis-server", "/usr/local/etc/redis/redis.conf"],
    configFiles: [{ path: "/usr/local/etc/redis/redis.conf", content: "requirepass {{redis-password}}\nappendonly yes\ndir /data\n", artifact: "redis.conf", secret: true }],
    secretEnv: { REDISCLI_AUTH: "{{redis-password}}" },
    volumes: [{ name: "redis", path: "/data" }],
    healthcheck: { test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"], intervalSeconds: 10, startPeriodSeconds: 10 },
    memoryMiB,
    // The entrypoint chowns /data as root, then drops to the redis user.
    capabilities: "image-default",
  };
}

/**
 * Whether a container is a database postgresSidecar built: its component, and the official image's contract
 * (POSTGRES_USER, POSTGRES_DB and the password), which an image that extends it (postgis/postgis) keeps. The
 * component matters: an app that reaches its database through the same variable names (Nextcloud) is not one.
 */
function isPostgresSidecar(container: ContainerSpec): boolean {
  return container.component === "db" && container.env?.POSTGRES_USER !== undefined && container.env.POSTGRES_DB !== undefined && container.secretEnv?.POSTGRES_PASSWORD !== undefined;
}

/**
 * The app's containers, each PostgreSQL sidecar followed by its exporter
 * (https://github.com/prometheus-community/postgres_exporter#running-with-docker): the database's own user and the
 * password as a secret file (DATA_SOURCE_PASS_FILE, which its README prefers to an environment variable), over the
 * app's network, published on the app's `db-metrics` port for the monitoring app to scrape. The image is busybox
 * (wget) and runs as nobody.
 */
export function withDatabaseExporters(app: string, containers: readonly ContainerSpec[]): ContainerSpec[] {
  return containers.flatMap((db) => {
    if (!isPostgresSidecar(db)) return [db];
    const { component, containerPort } = DATABASE_EXPORTER;
    const passwordFile = "/etc/postgres-exporter/password";
    const exporter: ContainerSpec = {
      component,
      image: images.postgresExporter,
      ports: [{ name: DATABASE_EXPORTER.port, containerPort }],
      env: {
        // The sidecar has no TLS; the traffic stays on the host's Docker network.
        DATA_SOURCE_URI: `${containerName(app, db.component)}:5432/${db.env?.POSTGRES_DB}?sslmode=disable`,
        DATA_SOURCE_USER: db.env?.POSTGRES_USER ?? "",
        DATA_SOURCE_PASS_FILE: passwordFile,
      },
      configFiles: [{ path: passwordFile, content: db.secretEnv?.POSTGRES_PASSWORD ?? "", artifact: `${db.component}-exporter-password`, secret: true }],
      healthcheck: httpCheck("wget", `http://127.0.0.1:${containerPort}/metrics`),
      memoryMiB: 64,
      after: [db.component],
    };
    return [db, exporter];
  });
}

/** The app's public base URL (https://<fqdn>), or undefined when it has no hostname. */
export function publicUrl(estate: Pick<Estate, "dns">, app: Pick<App, "hostname">): string | undefined {
  return app.hostname !== undefined && estate.dns ? `https://${publicFqdn(app.hostname, estate.dns)}` : undefined;
}

/** How operators reach a private app's port: its node's tailnet name and the published host port. */
export function tailnetUrl(estate: Pick<Estate, "tailnet" | "nodes">, app: Pick<App, "node">, hostPort: number): string {
  return `http://${nodeHost(estate, app.node)}:${hostPort}`;
}
