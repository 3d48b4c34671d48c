/** Building blocks the app definitions share: HTTP healthchecks, the PostgreSQL sidecar, the app's own URLs. */
import { nodeHost } from "../../derive/addressing";
import { publicFqdn } from "../../derive/hostnames";
import type { App, Estate } from "../../estate/schema";
import { images } from "./images";
import type { ContainerSpec, HealthcheckSpec, SecretSpec } from "../../../components/apps/deploymentSpec";

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

/** The app's public base URL (https://<fqdn>), or undefined when it has no hostname. */
export function publicUrl(estate: Pick<Estate, "dns">, app: Pick<App, "hostname">): string | undefined {
  return app.hostname !== undefined && estate.dns ? `https://${publicFqdn(app.hostname, estate.dns)}` : undefined;
}

/** How operators reach a private app's port: its node's tailnet name and the published host port. */
export function tailnetUrl(estate: Pick<Estate, "tailnet" | "nodes">, app: Pick<App, "node">, hostPort: number): string {
  return `http://${nodeHost(estate, app.node)}:${hostPort}`;
}
