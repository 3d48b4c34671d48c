/**
 * Every image the platform runs, pinned to an exact upstream release tag (never `latest`). Bump deliberately:
 * a new tag is a new deployment, so it goes through review like any other change.
 */
export const images = {
  // Official image, https://hub.docker.com/_/caddy (2.11.x is the current 2.x series).
  caddy: "caddy:2.11.4",
  prometheus: "prom/prometheus:v3.15.0",
  alertmanager: "prom/alertmanager:v0.34.1",
  blackboxExporter: "prom/blackbox-exporter:v0.28.0",
  nodeExporter: "prom/node-exporter:v1.12.1",
  // Tags are the PyPI version without a "v" (its container-image workflow); Docker Hub and ghcr.io carry the same.
  pveExporter: "prompve/prometheus-pve-exporter:3.10.0",
  grafana: "grafana/grafana:13.2.3",
  // Since 3.6 the Loki image is distroless (no shell, wget or curl); `loki -health` is its own probe (grafana/loki#20313).
  loki: "grafana/loki:3.7.8",
  // Alloy replaces Promtail, which reached end of life in March 2026.
  alloy: "grafana/alloy:v1.20.1",
  // From v0.53.0 cAdvisor publishes to ghcr.io/google/cadvisor only; tags after 0.53.0 carry no "v" (google/cadvisor#3871).
  cadvisor: "ghcr.io/google/cadvisor:0.60.5",
  // Community Moodle image (Alpine, nginx + PHP-FPM) after Bitnami stopped publishing free images in 2025:
  // https://github.com/erseco/alpine-moodle
  moodle: "erseco/alpine-moodle:v5.2.3",
  // Official image; 18 keeps its data under /var/lib/postgresql/18/docker, so the volume mounts /var/lib/postgresql.
  postgres: "postgres:18.6",
  redis: "redis:8.10.1-alpine",
  // 3.3 is the current line; 3.3.2 (2026-09-17) also stops the backfill routes disclosing other Dags' backfill ids
  // (https://github.com/apache/airflow/releases/tag/3.3.2), which 3.2.2 lacks.
  airflow: "apache/airflow:3.3.2",
  // Beside every PostgreSQL sidecar; the project publishes to quay.io and Docker Hub, tags with a "v".
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.20.1",
  // The "-full" variant (MLflow >= 3.9) carries the database drivers (psycopg2) and boto3 for S3 artifacts;
  // the plain image has neither (mlflow/mlflow docker/README.md).
  mlflow: "ghcr.io/mlflow/mlflow:v3.17.0-full",
  // MinIO stopped publishing community images in October 2025 and removed its Docker Hub repositories in
  // September 2026. RELEASE.2025-09-07T16-13-09Z is the last server release pushed to quay.io (RELEASE.2025-10-15
  // was source-only) and RELEASE.2025-08-13T08-35-41Z the last mc. They get no further fixes: keep the object store
  // replaceable (apps reach it through the catalog's S3 endpoint and credentials only).
  minio: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
  minioClient: "quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z",
  // 4.2.0 is the newest release with an official image (apache/spark-docker#130, 2026-07-16). It is built against
  // Hadoop 3.5.0: S3A's jars in spark.ts (S3A_PACKAGES) match it, so bump them together.
  spark: "apache/spark:4.2.0-scala2.13-java17-python3-ubuntu",
  // Official image (https://www.keycloak.org/server/containers); 26.x configures the first admin with KC_BOOTSTRAP_ADMIN_*.
  // 26.8 is the supported minor (the community supports only the latest); its upgrade notes
  // (docs/documentation/upgrading/topics/changes/changes-26_8_0.adoc) change nothing this realm or client uses, and
  // it migrates its database schema itself at start.
  keycloak: "quay.io/keycloak/keycloak:26.8.0",
  // The "-alpine" variant: the default image is distroless, with nothing to run a healthcheck with
  // (oauth2-proxy/oauth2-proxy#2555); the alpine one has busybox wget for /ping.
  oauth2Proxy: "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3-alpine",
} as const;
