/**
 * MLflow tracking server on the official image's "-full" variant, which includes psycopg2 (the PostgreSQL backend
 * store) and boto3 (S3 artifacts); the plain image has neither (https://github.com/mlflow/mlflow/tree/master/docker).
 * Backend store: a PostgreSQL sidecar, its schema brought up to the image's by a one-shot `mlflow db upgrade` before
 * the server starts. Artifacts: proxied by the server (`--serve-artifacts`) to the MinIO app named
 * by `artifactStore` over S3 (MLFLOW_S3_ENDPOINT_URL, AWS_* credentials as secrets), or to a local volume without
 * one. Since 3.5 the server checks the Host header (`--allowed-hosts`), so every name it is reached by is listed, and
 * blocks cross-origin writes unless the origin is in `--cors-allowed-origins`: the URL people use is listed.
 * The S3 credentials are MLflow's own MinIO user, limited to its bucket (see minio.ts), never the root credentials.
 * MLflow has no login unless its basic-auth app runs (`--app-name basic-auth`, configured by the ini file named by
 * MLFLOW_AUTH_CONFIG_PATH, with the Flask secret MLFLOW_FLASK_SERVER_SECRET_KEY):
 * https://mlflow.org/docs/latest/self-hosting/security/basic-http-auth/ . Its users and permissions live in the
 * same PostgreSQL database; the admin is created on first start with the generated password.
 * Server options: https://mlflow.org/docs/latest/self-hosting/architecture/tracking-server/
 */
import { nodeHost } from "../../derive/addressing";
import { publicFqdn } from "../../derive/hostnames";
import { reach } from "../../derive/routes";
import type { AppContext } from "../apps";
import { appHostPorts } from "../apps";
import { PASSWORD, postgresSidecar, publicUrl, tailnetUrl } from "./common";
import { clientKeys } from "./minio";
import { images } from "./images";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

const PORT = 5000;
const DB_UPGRADE = [
  `python -c '${["import os, sqlalchemy as sa", 'engine = sa.create_engine(os.environ["MLFLOW_BACKEND_STORE_URI"])', 'raise SystemExit(0 if sa.inspect(engine).has_table("alembic_version") else 10)'].join("; ")}'`,
  'case $? in 0) exec mlflow db upgrade "$MLFLOW_BACKEND_STORE_URI" ;; 10) echo "empty database: the server creates its schema" ;; *) exit 1 ;; esac',
].join("; ");
const AUTH_CONFIG = "/mlflow/basic_auth.ini";

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
    `--cors-allowed-origins ${publicUrl(estate, app) ?? tailnetUrl(estate, app, appHostPorts(app).http)}`,
    ...(app.basicAuth ? ["--app-name basic-auth"] : []),
  ].join(" ");
  const backendStore = `postgresql+psycopg2://mlflow:{{db-password}}@${containerName(name, "db")}:5432/mlflow`;
  const authConfig = [
    "[mlflow]",
    // Nobody but the admin sees anything until granted: a new user starts with no permissions.
    "default_permission = NO_PERMISSIONS",
    `database_uri = ${backendStore}`,
    "admin_username = admin",
    "admin_password = {{admin-password}}",
    "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
    "",
  ].join("\n");
  return {
    secrets: { "db-password": PASSWORD, ...(app.basicAuth ? { "admin-password": PASSWORD, "flask-secret-key": { kind: "password", length: 48 } as const } : {}) },
    imports: store !== undefined ? { "s3-access-key": { app: store, secret: clientKeys(name).accessKey }, "s3-secret-key": { app: store, secret: clientKeys(name).secretKey } } : undefined,
    adminLogin: app.basicAuth ? { user: "admin", password: "{{admin-password}}" } : undefined,
    containers: [
      postgresSidecar("mlflow", "mlflow"),
      {
        // "Run database migrations before restarting the server" (https://mlflow.org/docs/latest/self-hosting/migration):
        // a new image whose schema is ahead of the database's would otherwise refuse to start, over and over. The
        // one-shot runs whenever its image changes (it is replaced with the server's), and the server waits for it.
        // An empty database is left to the server, which creates and stamps its schema on first start: `db upgrade`
        // on one failed before mlflow/mlflow#23752, and an unreachable database fails the one-shot (exit 1).
        component: "db-upgrade",
        image: images.mlflow,
        entrypoint: ["/bin/sh", "-c"],
        command: [DB_UPGRADE],
        secretEnv: { MLFLOW_BACKEND_STORE_URI: backendStore },
        memoryMiB: 512,
        oneShot: true,
        after: ["db"],
      },
      {
        component: "server",
        image: images.mlflow,
        // A shell only to expand the backend URI from the (secret) environment instead of the command line.
        entrypoint: ["/bin/sh", "-c"],
        command: [server],
        ports: [{ name: "http", containerPort: PORT }],
        env: {
          ...(store !== undefined ? { MLFLOW_S3_ENDPOINT_URL: `http://${reach(estate, app.node, store, "api")}` } : {}),
          ...(app.basicAuth ? { MLFLOW_AUTH_CONFIG_PATH: AUTH_CONFIG } : {}),
        },
        secretEnv: {
          MLFLOW_BACKEND_STORE_URI: backendStore,
          ...(store !== undefined ? { AWS_ACCESS_KEY_ID: "{{s3-access-key}}", AWS_SECRET_ACCESS_KEY: "{{s3-secret-key}}" } : {}),
          ...(app.basicAuth ? { MLFLOW_FLASK_SERVER_SECRET_KEY: "{{flask-secret-key}}" } : {}),
        },
        configFiles: app.basicAuth ? [{ path: AUTH_CONFIG, content: authConfig, artifact: "basic_auth.ini", secret: true }] : undefined,
        volumes: store !== undefined ? [] : [{ name: "artifacts", path: "/mlflow/artifacts" }],
        // The image is python:slim: no curl or wget, but Python.
        healthcheck: {
          test: ["CMD", "python", "-c", `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT}/health', timeout=5)`],
          startPeriodSeconds: 60,
        },
        memoryMiB: 1024,
        after: ["db", "db-upgrade"],
        // The artifact bucket must exist before the server serves artifacts: MinIO's one-shot bucket setup.
        afterApps: store !== undefined ? [store] : undefined,
      },
    ],
  };
}
