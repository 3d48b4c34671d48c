/**
 * MLflow tracking server on the official image's "-full" variant, which includes psycopg2 (the PostgreSQL backend
 * store) and boto3 (S3 artifacts); the plain image has neither (https://github.com/mlflow/mlflow/tree/master/docker).
 * Backend store: a PostgreSQL sidecar. Artifacts: proxied by the server (`--serve-artifacts`) to the MinIO app named
 * by `artifactStore` over S3 (MLFLOW_S3_ENDPOINT_URL, AWS_* credentials as secrets), or to a local volume without
 * one. Since 3.5 the server checks the Host header (`--allowed-hosts`), so every name it is reached by is listed.
 * Server options: https://mlflow.org/docs/latest/self-hosting/architecture/tracking-server/
 */
import { nodeHost } from "../../derive/addressing";
import { publicFqdn } from "../../derive/hostnames";
import { reach } from "../../derive/routes";
import type { AppContext } from "../apps";
import { appHostPorts } from "../apps";
import { PASSWORD, postgresSidecar } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

const PORT = 5000;

export function mlflowDeployment({ estate, name, app }: AppContext<"mlflow">): AppDeploymentSpec {
  const store = app.artifactStore;
  const allowedHosts = [
    ...(app.hostname !== undefined && estate.dns ? [publicFqdn(app.hostname, estate.dns)] : []),
    `${containerName(name, "server")}:${PORT}`,
    `${nodeHost(estate, app.node)}:${appHostPorts(app).http}`,
    "localhost:*",
    "127.0.0.1:*",
  ];
  const server = [
    "exec mlflow server --host 0.0.0.0",
    `--port ${PORT}`,
    '--backend-store-uri "$MLFLOW_BACKEND_STORE_URI"',
    "--serve-artifacts",
    `--artifacts-destination ${store !== undefined ? `s3://${app.artifactBucket}` : "/mlflow/artifacts"}`,
    "--expose-prometheus /tmp/mlflow-metrics",
    `--allowed-hosts ${allowedHosts.join(",")}`,
  ].join(" ");
  return {
    secrets: { "db-password": PASSWORD },
    imports: store !== undefined ? { "s3-access-key": { app: store, secret: "root-user" }, "s3-secret-key": { app: store, secret: "root-password" } } : undefined,
    containers: [
      postgresSidecar("mlflow", "mlflow"),
      {
        component: "server",
        image: images.mlflow,
        // A shell only to expand the backend URI from the (secret) environment instead of the command line.
        entrypoint: ["/bin/sh", "-c"],
        command: [server],
        ports: [{ name: "http", containerPort: PORT }],
        env: store !== undefined ? { MLFLOW_S3_ENDPOINT_URL: `http://${reach(estate, app.node, store, "api")}` } : {},
        secretEnv: {
          MLFLOW_BACKEND_STORE_URI: `postgresql+psycopg2://mlflow:{{db-password}}@${containerName(name, "db")}:5432/mlflow`,
          ...(store !== undefined ? { AWS_ACCESS_KEY_ID: "{{s3-access-key}}", AWS_SECRET_ACCESS_KEY: "{{s3-secret-key}}" } : {}),
        },
        volumes: store !== undefined ? [] : [{ name: "artifacts", path: "/mlflow/artifacts" }],
        // The image is python:slim: no curl or wget, but Python.
        healthcheck: {
          test: ["CMD", "python", "-c", `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT}/health', timeout=5)`],
          startPeriodSeconds: 60,
        },
        memoryMiB: 1024,
        after: ["db"],
        // The artifact bucket must exist before the server serves artifacts: MinIO's one-shot bucket setup.
        afterApps: store !== undefined ? [store] : undefined,
      },
    ],
  };
}
