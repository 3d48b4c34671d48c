/**
 * MinIO: one server with its console, root credentials generated as secrets, data on a retained volume, and the
 * estate's buckets created at deploy by a one-shot `mc` container.
 * Upstream deployment: https://github.com/minio/minio/blob/master/docs/orchestration/docker-compose/docker-compose.yaml
 * (`server /data --console-address ":9001"`, healthcheck `mc ready local`) and
 * https://min.io/docs/minio/linux/operations/monitoring/collect-minio-metrics-using-prometheus.html
 * (MINIO_PROMETHEUS_AUTH_TYPE=public lets Prometheus scrape without a bearer token).
 * The community images are frozen at their last release (see images.ts); other apps only see an S3 endpoint and
 * credentials, so another S3 server can take its place.
 */
import type { Estate } from "../../estate/schema";
import type { AppContext } from "../apps";
import { publicUrl } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec, ContainerSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

/** Buckets a MinIO app holds: its own list plus every MLflow artifact bucket stored on it, sorted. */
export function minioBuckets(estate: Pick<Estate, "apps">, name: string): string[] {
  const own = estate.apps[name];
  const buckets = new Set(own?.kind === "minio" ? own.buckets : []);
  for (const app of Object.values(estate.apps)) {
    if (app.kind === "mlflow" && app.artifactStore === name) buckets.add(app.artifactBucket);
  }
  return [...buckets].sort();
}

export function minioDeployment({ estate, name, app }: AppContext<"minio">): AppDeploymentSpec {
  const buckets = minioBuckets(estate, name);
  const consoleUrl = publicUrl(estate, app);
  const server: ContainerSpec = {
    component: "server",
    image: images.minio,
    command: ["server", "/data", "--console-address", ":9001"],
    ports: [
      { name: "api", containerPort: 9000 },
      { name: "console", containerPort: 9001 },
    ],
    env: { MINIO_PROMETHEUS_AUTH_TYPE: "public", ...(consoleUrl ? { MINIO_BROWSER_REDIRECT_URL: consoleUrl } : {}) },
    secretEnv: { MINIO_ROOT_USER: "{{root-user}}", MINIO_ROOT_PASSWORD: "{{root-password}}" },
    volumes: [{ name: "data", path: "/data" }],
    healthcheck: { test: ["CMD", "mc", "ready", "local"], intervalSeconds: 10, startPeriodSeconds: 10 },
    memoryMiB: 1024,
    capabilities: "image-default",
  };
  const createBuckets: ContainerSpec = {
    component: "buckets",
    image: images.minioClient,
    entrypoint: ["/bin/sh", "-c"],
    command: [`mc mb --ignore-existing ${buckets.map((b) => `minio/${b}`).join(" ")}`],
    // mc reads an alias from MC_HOST_<alias>: the credentials never appear on a command line.
    secretEnv: { MC_HOST_minio: `http://{{root-user}}:{{root-password}}@${containerName(name, "server")}:9000` },
    memoryMiB: 64,
    oneShot: true,
    after: ["server"],
    capabilities: "image-default",
  };
  return {
    secrets: { "root-user": { kind: "password", length: 20 }, "root-password": { kind: "password", length: 40 } },
    containers: buckets.length > 0 ? [server, createBuckets] : [server],
  };
}
