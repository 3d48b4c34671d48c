/**
 * The service catalog's facts about each app kind: the host ports it publishes and which container listens behind
 * each, which port serves its public hostname, and where its metrics and health live. Proxy routes, scrape jobs,
 * probes, firewall rules and Tailscale ACLs are all derived from this table and the estate (its containers come
 * from ./deployments.ts), so adding an app needs no edit anywhere else. A `container` app states these facts itself
 * (`containerAppSpec`); `appSpecOf` is the one way to read them for any app. This module imports no derivation: the
 * derivations consume it.
 */
import type { App, AppKind, CatalogKind, ContainerApp, Estate, Exposure } from "../estate/schema";
import { remoteWorkerGroups, workerGroups } from "./workers";

/** An HTTP endpoint on one of the app's named host ports. */
export interface Endpoint {
  readonly port: string;
  readonly path: string;
}

/** What an app's container builder is given: the estate, the stack, and the app itself. */
export interface AppContext<K extends AppKind = AppKind> {
  readonly estate: Estate;
  readonly stack: string;
  readonly name: string;
  readonly app: Extract<App, { kind: K }>;
}

export interface AppKindSpec {
  /** Host ports the app publishes, by name, with their defaults (overridable per app through `ports`). */
  readonly ports: Readonly<Record<string, number>>;
  /** Per named port, the component (container) and container port behind it. */
  readonly listen: Readonly<Record<string, { readonly component: string; readonly port: number }>>;
  /** The port name that serves the app's public hostname; absent when the app cannot have one. */
  readonly upstream?: string;
  /**
   * The upstream asks who you are before it shows or changes anything (its own login). Without one the app is
   * never `public`: anyone who found the hostname could use it.
   */
  readonly ownLogin: boolean;
  /** Only a hub may run it (the reverse proxy is the estate's one public entry point). */
  readonly hubOnly?: boolean;
  /** Prometheus endpoints, scraped by the monitoring app. */
  readonly metrics: readonly Endpoint[];
  /** Where a healthy instance answers 2xx; probed by the monitoring app. */
  readonly health?: Endpoint;
  /** Named ports bound to the node's LAN address only, so not reachable over the tailnet; default none. */
  readonly lanOnly?: readonly string[];
  /**
   * Host ports the app publishes only while some of its workers run on other nodes (what those workers reach it
   * on), by name, with their defaults; their containers are in `listen`. Default none.
   */
  readonly workerPorts?: Readonly<Record<string, number>>;
  /**
   * What the app adds while it has workers on any node (Airflow's Celery executor runs Flower, which watches every
   * worker through the broker): its named host ports, with their defaults, and its metrics; their containers are in
   * `listen`. Default none.
   */
  readonly withWorkers?: Pick<AppKindSpec, "ports" | "metrics">;
  /** What the app's workers on another node need: what they reach on the app's node, and what they publish. */
  readonly remoteWorker?: {
    /** The app's named ports they reach at its node. */
    readonly reaches: readonly string[];
    /** Host ports each publishes on its node, by name (fixed: what it advertises is what others reach). */
    readonly ports: Readonly<Record<string, number>>;
    /** Of `ports`, those the app (master, driver) calls back on; the rest are for people and monitoring. */
    readonly calledOn: readonly string[];
    /** Where each remote worker answers 2xx; probed by the monitoring app. */
    readonly health?: Endpoint;
    /** Prometheus endpoints on each remote worker. */
    readonly metrics: readonly Endpoint[];
  };
}

const kinds: Readonly<Record<CatalogKind, AppKindSpec>> = {
  "reverse-proxy": {
    ports: { http: 80, https: 443, metrics: 2019 },
    listen: { http: { component: "caddy", port: 80 }, https: { component: "caddy", port: 443 }, metrics: { component: "caddy", port: 2019 } },
    ownLogin: false,
    hubOnly: true,
    metrics: [{ port: "metrics", path: "/metrics" }],
  },
  moodle: {
    ports: { http: 8080 },
    listen: { http: { component: "web", port: 8080 } },
    ownLogin: true,
    upstream: "http",
    metrics: [],
    health: { port: "http", path: "/login/index.php" },
  },
  airflow: {
    ports: { http: 8080 },
    listen: {
      http: { component: "api-server", port: 8080 },
      broker: { component: "redis", port: 6379 },
      db: { component: "db", port: 5432 },
      flower: { component: "flower", port: 5555 },
    },
    // Celery workers elsewhere reach the broker and the metadata database (and the API server's execution API).
    workerPorts: { broker: 6379, db: 5432 },
    // Celery workers serve no HTTP; Flower's /metrics has a series per worker, wherever it runs. Flower has no login
    // here, so it is nobody's upstream: reached over the tailnet (or LAN) by monitoring only.
    withWorkers: { ports: { flower: 5555 }, metrics: [{ port: "flower", path: "/metrics" }] },
    remoteWorker: { reaches: ["http", "broker", "db"], ports: {}, calledOn: [], metrics: [] },
    ownLogin: true,
    upstream: "http",
    metrics: [],
    health: { port: "http", path: "/api/v2/monitor/health" },
  },
  mlflow: {
    ports: { http: 5000 },
    listen: { http: { component: "server", port: 5000 } },
    ownLogin: false,
    upstream: "http",
    metrics: [{ port: "http", path: "/metrics" }],
    health: { port: "http", path: "/health" },
  },
  minio: {
    ports: { api: 9000, console: 9001 },
    listen: { api: { component: "server", port: 9000 }, console: { component: "server", port: 9001 } },
    ownLogin: true,
    upstream: "console",
    metrics: [{ port: "api", path: "/minio/v2/metrics/cluster" }],
    health: { port: "api", path: "/minio/health/live" },
  },
  spark: {
    ports: { "master-ui": 8080, "worker-ui": 8081, master: 7077 },
    listen: {
      "master-ui": { component: "master", port: 8080 },
      master: { component: "master", port: 7077 },
      "worker-ui": { component: "worker-1", port: 8081 },
      driver: { component: "master", port: 7079 },
      "driver-block-manager": { component: "master", port: 7080 },
    },
    // Jobs are submitted from the master's container (client mode): executors on other nodes call its driver back.
    workerPorts: { driver: 7079, "driver-block-manager": 7080 },
    remoteWorker: {
      reaches: ["master", "driver", "driver-block-manager"],
      ports: { worker: 7078, "worker-ui": 8081, "block-manager": 7080 },
      calledOn: ["worker", "block-manager"],
      health: { port: "worker-ui", path: "/" },
      metrics: [{ port: "worker-ui", path: "/metrics/prometheus/" }],
    },
    ownLogin: false,
    upstream: "master-ui",
    metrics: [{ port: "master-ui", path: "/metrics/master/prometheus/" }],
    health: { port: "master-ui", path: "/" },
  },
  monitoring: {
    ports: { grafana: 3000, prometheus: 9090, alertmanager: 9093, loki: 3100 },
    listen: {
      grafana: { component: "grafana", port: 3000 },
      prometheus: { component: "prometheus", port: 9090 },
      alertmanager: { component: "alertmanager", port: 9093 },
      loki: { component: "loki", port: 3100 },
    },
    ownLogin: true,
    upstream: "grafana",
    metrics: [
      { port: "prometheus", path: "/metrics" },
      { port: "alertmanager", path: "/metrics" },
      { port: "grafana", path: "/metrics" },
      { port: "loki", path: "/metrics" },
    ],
    health: { port: "grafana", path: "/api/health" },
  },
  identity: {
    // Keycloak's management port (9000, health) stays inside the container: only its healthcheck reads it.
    ports: { http: 8180 },
    listen: { http: { component: "keycloak", port: 8080 } },
    upstream: "http",
    ownLogin: true,
    metrics: [],
    health: { port: "http", path: "/realms/master" },
  },
};

/**
 * The PostgreSQL exporter beside each database (containers/common.ts adds one to every database postgresSidecar
 * builds): its named host port, its component and the port it listens on.
 */
export const DATABASE_EXPORTER = { port: "db-metrics", component: "db-exporter", containerPort: 9187 } as const;

/**
 * The kinds that keep their data in a PostgreSQL sidecar, with their exporter's default host port: each kind its
 * own, so apps of different kinds share a node without overrides.
 */
const databaseExporterPorts: Readonly<Partial<Record<AppKind, number>>> = { moodle: 9187, airflow: 9188, mlflow: 9189, identity: 9190, container: 9191 };

/** A kind with a database gains its exporter's port, the container behind it, and its metrics, scraped. */
function withDatabase(spec: AppKindSpec, exporterHostPort: number | undefined): AppKindSpec {
  if (exporterHostPort === undefined) return spec;
  const { port, component, containerPort } = DATABASE_EXPORTER;
  return {
    ...spec,
    ports: { ...spec.ports, [port]: exporterHostPort },
    listen: { ...spec.listen, [port]: { component, port: containerPort } },
    metrics: [...spec.metrics, { port, path: "/metrics" }],
  };
}

export const appKinds: Readonly<Record<CatalogKind, AppKindSpec>> = Object.fromEntries(
  Object.entries(kinds).map(([kind, spec]) => [kind, withDatabase(spec, databaseExporterPorts[kind as CatalogKind])]),
) as Record<CatalogKind, AppKindSpec>;

/**
 * Agents on every host, apps or not: node metrics, container metrics. Their ports are reserved on every host (a
 * Proxmox site's VE exporter adds its own on the guest that runs it: derive/hostAgents.ts).
 * (Logs are pushed by the log shipper to the monitoring app's Loki port, so it publishes none.)
 */
export const hostAgents: Readonly<Record<string, number>> = { "node-exporter": 9100, cadvisor: 9338 };

/** The component of a container app's own container (`<app>-app`); its sidecars are `db` and `redis`. */
export const CONTAINER_COMPONENT = "app";

/**
 * A `container` app's facts, read from its own fields instead of a kind's table entry: the same shape, so routes,
 * scrape jobs, probes, firewall and ACL edges are derived for it exactly as for the catalog apps.
 */
export function containerAppSpec(app: ContainerApp): AppKindSpec {
  const named: Array<readonly [string, number]> = [
    ...(app.http === undefined ? [] : [["http", app.http] as const]),
    ...Object.entries(app.publish).map(([name, p]) => [name, p.port] as const),
  ];
  const lanOnly = Object.keys(app.publish).filter((name) => app.publish[name].to === "lan");
  const health = app.healthcheck.http;
  const spec: AppKindSpec = {
    ports: Object.fromEntries(named),
    listen: Object.fromEntries(named.map(([name, port]) => [name, { component: CONTAINER_COMPONENT, port }])),
    ...(app.http === undefined ? {} : { upstream: "http" }),
    ownLogin: app.ownLogin === true,
    metrics: app.metrics === undefined ? [] : [{ port: app.metrics.port, path: app.metrics.path }],
    ...(health !== undefined && app.http !== undefined ? { health: { port: "http", path: health } } : {}),
    ...(lanOnly.length > 0 ? { lanOnly } : {}),
  };
  return withDatabase(spec, app.postgres === undefined ? undefined : databaseExporterPorts.container);
}

/**
 * The catalog's facts about an app: its kind's table entry (with what it adds while it has workers), or for a
 * `container` what its own fields state.
 */
export function appSpecOf(app: App): AppKindSpec {
  if (app.kind === "container") return containerAppSpec(app);
  const spec = appKinds[app.kind];
  const added = spec.withWorkers;
  if (added === undefined || workerGroups(app).length === 0) return spec;
  return { ...spec, ports: { ...spec.ports, ...added.ports }, metrics: [...spec.metrics, ...added.metrics] };
}

/** The app's host ports after its overrides, by name: with its worker ports while workers run on other nodes. */
export function appHostPorts(app: App): Record<string, number> {
  const spec = appSpecOf(app);
  const forWorkers = remoteWorkerGroups(app).length > 0 ? spec.workerPorts : undefined;
  return { ...spec.ports, ...forWorkers, ...app.ports };
}

/** Port names an app may override: its ports and the ports it publishes for workers on other nodes. */
export function overridablePorts(app: App): string[] {
  const spec = appSpecOf(app);
  return [...Object.keys(spec.ports), ...Object.keys(spec.workerPorts ?? {})];
}

/**
 * Whether the app's upstream has a login of its own: the kind's fact, MLflow only with its basic-auth app, and never
 * when the estate marks the app `ownLogin: false`.
 */
export function hasOwnLogin(app: App): boolean {
  if (app.ownLogin === false) return false;
  return app.kind === "mlflow" ? app.basicAuth : appSpecOf(app).ownLogin;
}

/** Who gets in: the app's `exposure`, or `public` for an app with a hostname and `tailnet` for one without. */
export function exposureOf(app: Pick<App, "exposure" | "hostname">): Exposure {
  return app.exposure ?? (app.hostname !== undefined ? "public" : "tailnet");
}
