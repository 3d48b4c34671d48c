/**
 * What each app kind publishes on its host. The estate's port and hostname checks read this table, and the
 * container platform builds on it, so an app kind's ports are stated once.
 */
import type { AppKind } from "../estate/schema";

export interface AppKindSpec {
  /** Host ports the app publishes, by name, with their defaults (overridable per app through `ports`). */
  readonly ports: Readonly<Record<string, number>>;
  /** The port name that serves the app's public hostname; absent when the app cannot have one. */
  readonly upstream?: string;
  /** Only a hub may run it (the reverse proxy is the estate's one public entry point). */
  readonly hubOnly?: boolean;
}

export const appKinds: Readonly<Record<AppKind, AppKindSpec>> = {
  "reverse-proxy": { ports: { http: 80, https: 443 }, hubOnly: true },
  moodle: { ports: { http: 8080 }, upstream: "http" },
  airflow: { ports: { http: 8080 }, upstream: "http" },
  mlflow: { ports: { http: 5000 }, upstream: "http" },
  minio: { ports: { api: 9000, console: 9001 }, upstream: "console" },
  spark: { ports: { "master-ui": 8080, "worker-ui": 8081, master: 7077 }, upstream: "master-ui" },
  monitoring: { ports: { grafana: 3000, prometheus: 9090, alertmanager: 9093, loki: 3100 }, upstream: "grafana" },
};

/** The app's host ports after its overrides, by name. */
export function appHostPorts(app: { kind: AppKind; ports: Readonly<Record<string, number>> }): Record<string, number> {
  return { ...appKinds[app.kind].ports, ...app.ports };
}
