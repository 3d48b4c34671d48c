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
 * The PostgreSQL sidecar an app keeps its data in, component "db", password placeholder `{{db-password}}`.
 * https://hub.docker.com/_/postgres : from 18 on, PGDATA is /var/lib/postgresql/18/docker and the image's volume is
 * /var/lib/postgresql, so the named volume mounts there and survives a major upgrade's new subdirectory.
 */
export function postgresSidecar(database: string, user: string, memoryMiB = 512): ContainerSpec {
  return {
    component: "db",
    image: images.postgres,
    env: { POSTGRES_USER: user, POSTGRES_DB: database },
    secretEnv: { POSTGRES_PASSWORD: "{{db-password}}" },
    volumes: [{ name: "db", path: "/var/lib/postgresql" }],
    healthcheck: { test: ["CMD", "pg_isready", "-U", user, "-d", database], intervalSeconds: 10, retries: 5, startPeriodSeconds: 10 },
    memoryMiB,
    // The entrypoint initialises and chowns the data directory as root, then drops to the postgres user.
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
