/**
 * MinIO: one server with its console, root credentials generated as secrets, data on a retained volume, and the
 * estate's buckets created at deploy by a one-shot `mc` container, and every app that stores objects here given its
 * own user, limited to its buckets, by another one-shot: no app container holds the root credentials.
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

/** An app that keeps objects in a MinIO app, and the buckets it may use. */
export interface ObjectStoreClient {
  readonly app: string;
  readonly buckets: readonly string[];
}

/** Every app that stores objects in the MinIO app `name` (MLflow's artifacts, Spark's data), in app-name order. */
export function objectStoreClients(estate: Pick<Estate, "apps">, name: string): ObjectStoreClient[] {
  return Object.entries(estate.apps)
    .flatMap(([app, spec]): ObjectStoreClient[] => {
      if (spec.kind === "mlflow" && spec.artifactStore === name) return [{ app, buckets: [spec.artifactBucket] }];
      if (spec.kind === "spark" && spec.objectStore === name) return [{ app, buckets: [spec.bucket] }];
      return [];
    })
    .sort((a, b) => a.app.localeCompare(b.app));
}

/** The names of the store's secrets holding a client app's own access key and secret key. */
export function clientKeys(app: string): { readonly accessKey: string; readonly secretKey: string } {
  return { accessKey: `${app}-access-key`, secretKey: `${app}-secret-key` };
}

/**
 * The IAM policy a client app gets: list and locate its buckets, read, write and delete objects in them, and
 * nothing else (no other bucket, no admin API). https://min.io/docs/minio/linux/administration/identity-access-management/policy-based-access-control.html
 */
export function clientPolicy(buckets: readonly string[]): string {
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: buckets.map((b) => `arn:aws:s3:::${b}`) },
      { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: buckets.map((b) => `arn:aws:s3:::${b}/*`) },
    ],
  };
  return JSON.stringify(policy, null, 2) + "\n";
}

/** Buckets a MinIO app holds: its own list plus every client app's buckets stored on it, sorted. */
export function minioBuckets(estate: Pick<Estate, "apps">, name: string): string[] {
  const own = estate.apps[name];
  const buckets = new Set(own?.kind === "minio" ? own.buckets : []);
  for (const client of objectStoreClients(estate, name)) client.buckets.forEach((b) => buckets.add(b));
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
  const clients = objectStoreClients(estate, name);
  // Each client app gets its own user and policy. Only this one-shot (and the server) hold the root credentials;
  // the users' secret keys come from the environment, never a command line. `policy attach` fails on a policy that
  // is already attached, which on a second run means the work is done, so that case is checked and accepted.
  const users: ContainerSpec = {
    component: "users",
    image: images.minioClient,
    entrypoint: ["/bin/sh", "-c"],
    command: [
      [
        "set -e",
        ...clients.flatMap(({ app: client }) => [
          `mc admin user add minio "$${keyEnv(client, "ACCESS")}" "$${keyEnv(client, "SECRET")}"`,
          `mc admin policy create minio ${client} /policies/${client}.json`,
          `mc admin policy attach minio ${client} --user "$${keyEnv(client, "ACCESS")}" || mc admin user info minio "$${keyEnv(client, "ACCESS")}" --json | grep -q '"policyName":"${client}"'`,
        ]),
      ].join("\n"),
    ],
    secretEnv: {
      MC_HOST_minio: `http://{{root-user}}:{{root-password}}@${containerName(name, "server")}:9000`,
      ...Object.fromEntries(
        clients.flatMap(({ app: client }) => [
          [keyEnv(client, "ACCESS"), `{{${clientKeys(client).accessKey}}}`],
          [keyEnv(client, "SECRET"), `{{${clientKeys(client).secretKey}}}`],
        ]),
      ),
    },
    configFiles: clients.map(({ app: client, buckets: own }) => ({ path: `/policies/${client}.json`, content: clientPolicy(own), artifact: `policy-${client}.json` })),
    memoryMiB: 64,
    oneShot: true,
    after: buckets.length > 0 ? ["buckets"] : ["server"],
    capabilities: "image-default",
  };
  return {
    secrets: {
      "root-user": { kind: "password", length: 20 },
      "root-password": { kind: "password", length: 40 },
      ...Object.fromEntries(
        clients.flatMap(({ app: client }) => [
          [clientKeys(client).accessKey, { kind: "password", length: 20 } as const],
          [clientKeys(client).secretKey, { kind: "password", length: 40 } as const],
        ]),
      ),
    },
    adminLogin: { user: "{{root-user}}", password: "{{root-password}}" },
    containers: [server, ...(buckets.length > 0 ? [createBuckets] : []), ...(clients.length > 0 ? [users] : [])],
  };
}

/** The one-shot's environment variable holding a client's access or secret key. */
function keyEnv(client: string, which: "ACCESS" | "SECRET"): string {
  return `${which}_KEY_${client.toUpperCase().replace(/-/g, "_")}`;
}
