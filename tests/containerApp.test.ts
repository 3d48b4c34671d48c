/**
 * The `container` app kind, pure: its fields become catalog facts (appSpecOf) and a deployment, the derivations
 * (routes, scrape jobs, probes, connections, the tailnet policy) treat it as any catalog app, and each validation
 * error names its config path.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { appHostPorts, appSpecOf } from "../stacks/catalog/apps";
import { appDeployment } from "../stacks/catalog/deployments";
import { postgresDataPath } from "../stacks/catalog/containers/common";
import { crossHostConnections } from "../stacks/derive/connections";
import { blackboxProbes, scrapeJobs } from "../stacks/derive/monitoring";
import { proxyRoutes } from "../stacks/derive/routes";
import { tailnetPolicy } from "../stacks/derive/tailnetAcl";
import { isPinnedImage } from "../stacks/estate/containerSchema";
import { plaintextSecretProblems } from "../stacks/estate/secrets";
import { readStackConfig } from "../stacks/plan/stackFile";
import { caddyProblems } from "./support/batchValidators";
import { containerEstate } from "./fixtures/containers";
import { asStackFile, estateOf, problemsOf, withValue, withValues, type Json } from "./fixtures/estate";

const estate = estateOf(containerEstate());
const containersOf = (app: string) => Object.fromEntries(appDeployment(estate, "dev", app).containers.map((c) => [c.component, c]));

describe("a container app's catalog facts", () => {
  it("come from its own fields: ports, listeners, upstream, login, metrics, health, LAN-only ports", () => {
    expect(appSpecOf(estate.apps.jellyfin)).toEqual({
      ports: { http: 8096, discovery: 7359 },
      listen: { http: { component: "app", port: 8096 }, discovery: { component: "app", port: 7359 } },
      upstream: "http",
      ownLogin: false,
      metrics: [],
      health: { port: "http", path: "/health" },
      lanOnly: ["discovery"],
    });
    // A PostgreSQL sidecar brings its exporter: a port, the container behind it, and its metrics.
    expect(appSpecOf(estate.apps.gis)).toEqual({
      ports: { http: 8000, "db-metrics": 9191 },
      listen: { http: { component: "app", port: 8000 }, "db-metrics": { component: "db-exporter", port: 9187 } },
      upstream: "http",
      ownLogin: false,
      metrics: [{ port: "http", path: "/metrics" }, { port: "db-metrics", path: "/metrics" }],
    });
    // No HTTP port: nothing to route to, probe or scrape.
    expect(appSpecOf(estate.apps.ollama)).toEqual({ ports: { api: 11434 }, listen: { api: { component: "app", port: 11434 } }, ownLogin: false, metrics: [] });
  });

  it("publishes host ports at the container port unless ports overrides them", () => {
    expect(appHostPorts(estate.apps.nextcloud)).toEqual({ http: 8081, "db-metrics": 9191 });
    expect(appHostPorts(estate.apps.gis)).toEqual({ http: 8000, "db-metrics": 9192 });
    expect(appHostPorts(estate.apps.jellyfin)).toEqual({ http: 8096, discovery: 7359 });
  });
});

describe("a container app's deployment", () => {
  it("runs the image with its command, entrypoint, ports, volumes, limits, user, devices and GPUs", () => {
    expect(containersOf("jellyfin").app).toEqual({
      component: "app",
      image: "jellyfin/jellyfin:10.11.11",
      // The LAN port is bound to the guest's static LAN address alone.
      ports: [
        { name: "http", containerPort: 8096 },
        { name: "discovery", containerPort: 7359, protocol: "udp", bindIpv4: "192.168.1.100" },
      ],
      env: {},
      secretEnv: {},
      volumes: [
        { name: "config", path: "/config" },
        { name: "cache", path: "/cache" },
      ],
      healthcheck: { test: ["CMD", "curl", "--fail", "--silent", "--show-error", "--output", "/dev/null", "http://127.0.0.1:8096/health"] },
      memoryMiB: 2048,
      user: "1000:1000",
      devices: ["/dev/dri"],
      capabilities: "image-default",
      withoutLogin: { node: "devlab" },
    });
    expect(containersOf("ollama").app).toMatchObject({ gpus: "all", healthcheck: { test: ["CMD", "ollama", "list"] }, memoryMiB: 6144, ports: [{ name: "api", containerPort: 11434 }] });
    expect(containersOf("gis").app).toMatchObject({
      entrypoint: ["/usr/bin/tini", "--"],
      command: ["uvicorn", "app:api", "--host", "0.0.0.0"],
      imageHealthcheck: true,
      afterApps: ["minio"],
      after: ["db"],
      memoryMiB: 512,
    });
    expect(containersOf("gis").app.healthcheck).toBeUndefined();
    expect(containersOf("nextcloud").app).toMatchObject({ cpus: 2, healthcheck: { startPeriodSeconds: 300 } });
  });

  it("generates secrets, reads config ones from hybridlab:appSecrets, and hands the sidecars' connection details to the app", () => {
    const spec = appDeployment(estate, "dev", "nextcloud");
    expect(spec.secrets).toEqual({
      "env-nextcloud-admin-password": { kind: "password", length: 32 },
      "config-nextcloud-smtp": { kind: "config", key: "appSecrets", field: "nextcloud-smtp" },
      "db-password": { kind: "password", length: 32 },
      "redis-password": { kind: "password", length: 32 },
    });
    const app = containersOf("nextcloud").app;
    expect(app.env).toEqual({
      PGHOST: "nextcloud-db",
      PGPORT: "5432",
      PGDATABASE: "nextcloud",
      PGUSER: "nextcloud",
      REDIS_HOST: "nextcloud-redis",
      REDIS_PORT: "6379",
      POSTGRES_HOST: "nextcloud-db",
      POSTGRES_DB: "nextcloud",
      POSTGRES_USER: "nextcloud",
      NEXTCLOUD_ADMIN_USER: "admin",
    });
    expect(app.secretEnv).toEqual({
      PGPASSWORD: "{{db-password}}",
      DATABASE_URL: "postgresql://nextcloud:{{db-password}}@nextcloud-db:5432/nextcloud",
      REDIS_PASSWORD: "{{redis-password}}",
      REDIS_URL: "redis://:{{redis-password}}@nextcloud-redis:6379/0",
      POSTGRES_PASSWORD: "{{db-password}}",
      REDIS_HOST_PASSWORD: "{{redis-password}}",
      NEXTCLOUD_ADMIN_PASSWORD: "{{env-nextcloud-admin-password}}",
      SMTP_PASSWORD: "{{config-nextcloud-smtp}}",
    });
    expect(app.after).toEqual(["db", "redis"]);
    expect(spec.containers.map((c) => c.component)).toEqual(["db", "db-exporter", "redis", "app"]);
  });

  it("runs PostgreSQL on the catalog's image or the one the estate names, its volume where that image keeps data", () => {
    expect(containersOf("nextcloud").db).toMatchObject({ image: "postgres:18.6", env: { POSTGRES_USER: "nextcloud", POSTGRES_DB: "nextcloud" }, volumes: [{ name: "db", path: "/var/lib/postgresql" }] });
    expect(containersOf("gis").db).toMatchObject({ image: "postgis/postgis:18-3.6", env: { POSTGRES_USER: "gis", POSTGRES_DB: "gis" } });
    expect(containersOf("gis").app.env).toEqual({ PGHOST: "gis-db", PGPORT: "5432", PGDATABASE: "gis", PGUSER: "gis" });
  });

  it.each([
    ["postgres:18.6", "/var/lib/postgresql"],
    ["postgis/postgis:18-3.6", "/var/lib/postgresql"],
    ["postgis/postgis:17-3.5", "/var/lib/postgresql/data"],
    ["registry.example.com:5000/db/postgres:16.4@sha256:" + "a".repeat(64), "/var/lib/postgresql/data"],
  ])("mounts the data volume of %s at %s (the image's own VOLUME)", (image, path) => {
    expect(postgresDataPath(image)).toBe(path);
  });

  it("runs Redis with a generated password from a secret config file, its data in the volume redis", () => {
    expect(containersOf("nextcloud").redis).toEqual({
      component: "redis",
      image: "redis:8.10.1-alpine",
      command: ["redis-server", "/usr/local/etc/redis/redis.conf"],
      configFiles: [{ path: "/usr/local/etc/redis/redis.conf", content: "requirepass {{redis-password}}\nappendonly yes\ndir /data\n", artifact: "redis.conf", secret: true }],
      secretEnv: { REDISCLI_AUTH: "{{redis-password}}" },
      volumes: [{ name: "redis", path: "/data" }],
      healthcheck: { test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"], intervalSeconds: 10, startPeriodSeconds: 10 },
      memoryMiB: 256,
      capabilities: "image-default",
    });
  });

  it("labels a login-less container's HTTP port for the policy pack, and not one the estate says has a login", () => {
    expect(containersOf("jellyfin").app.withoutLogin).toEqual({ node: "devlab" });
    expect(containersOf("nextcloud").app.withoutLogin).toBeUndefined();
  });
});

describe("the derivations for container apps", () => {
  it("route the public hostname to the container's HTTP port (same host by name, across hosts over the tailnet)", () => {
    expect(proxyRoutes(estate).filter((r) => r.app === "nextcloud")).toEqual([{ app: "nextcloud", fqdn: "cloud.dev.example.com", upstream: "devlab:8081", aliases: [] }]);
  });

  it("scrape its metrics and probe its health URL from the monitoring app", () => {
    expect(scrapeJobs(estate).find((j) => j.job === "gis-http")).toEqual({ job: "gis-http", metricsPath: "/metrics", targets: [{ address: "devlab:8000", labels: { app: "gis", kind: "container", node: "devlab" } }] });
    const probes = blackboxProbes(estate).map((p) => p.url);
    expect(probes).toEqual(expect.arrayContaining(["https://cloud.dev.example.com/status.php", "http://devlab:8081/status.php", "http://devlab:8096/health"]));
    // No health path, no probe: the image's own healthcheck and a command are Docker's alone.
    expect(probes.filter((u) => u.includes(":8000") || u.includes(":11434"))).toEqual([]);
  });

  it("open the cross-host edges the container needs: proxy to its upstream, monitoring to its metrics and health", () => {
    const edges = crossHostConnections(estate).filter((c) => c.toApp !== undefined && ["nextcloud", "jellyfin", "gis", "ollama"].includes(c.toApp));
    expect(edges).toEqual([
      { fromNode: "hub", fromApp: "proxy", toNode: "devlab", toApp: "nextcloud", port: 8081, purpose: "proxy to nextcloud" },
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "nextcloud", port: 9191, purpose: "monitor nextcloud db-metrics" },
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "nextcloud", port: 8081, purpose: "monitor nextcloud http" },
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "jellyfin", port: 8096, purpose: "monitor jellyfin http" },
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "gis", port: 8000, purpose: "monitor gis http" },
      { fromNode: "hub", fromApp: "monitoring", toNode: "devlab", toApp: "gis", port: 9192, purpose: "monitor gis db-metrics" },
    ]);
  });

  it("let the allowed group reach a tailnet container's HTTP port, admins every tailnet port, and nobody its LAN-only port", () => {
    const policy = tailnetPolicy(estate);
    expect(policy.acls).toContainEqual({ action: "accept", src: ["group:family"], dst: ["tag:node-devlab:8096"] });
    const admins = policy.acls.find((a) => a.src.includes("autogroup:admin"));
    expect(admins?.dst).toEqual(expect.arrayContaining(["tag:node-devlab:8096", "tag:node-spoke:11434", "tag:node-devlab:8000", "tag:node-devlab:8081"]));
    expect(policy.acls.flatMap((a) => a.dst)).not.toContain("tag:node-devlab:7359");
  });

  it("give the proxy a Caddyfile that passes caddy validate with the container's site in it", () => {
    const caddy = appDeployment(estate, "dev", "proxy").containers.find((c) => c.component === "caddy");
    const caddyfile = caddy?.configFiles?.find((f) => f.artifact === "Caddyfile")?.content ?? "";
    expect(caddyfile).toContain("cloud.dev.example.com {");
    expect(caddyfile).toContain("reverse_proxy devlab:8081");
    expect(caddyProblems([caddyfile])).toEqual([[]]);
  });
});

describe("container app validation", () => {
  const base = containerEstate();
  const at = (app: string, field: string, value: unknown): Json => withValue(base, `apps.${app}.${field}`, value);

  it.each<[string, Json, string[]]>([
    ["an unpinned image", at("ollama", "image", "ollama/ollama"), ["hybridlab:apps.ollama.image: must be an image pinned to a version tag or a digest, such as nextcloud:32.0.2-apache or ghcr.io/me/site@sha256:<64 hex>; not latest, not untagged (got \"ollama/ollama\")"]],
    ["latest", at("ollama", "image", "ollama/ollama:latest"), ["hybridlab:apps.ollama.image: must be an image pinned to a version tag or a digest, such as nextcloud:32.0.2-apache or ghcr.io/me/site@sha256:<64 hex>; not latest, not untagged (got \"ollama/ollama:latest\")"]],
    ["an unpinned sidecar image", at("gis", "postgres.image", "postgis/postgis"), ["hybridlab:apps.gis.postgres.image: must be an image pinned to a version tag or a digest, such as nextcloud:32.0.2-apache or ghcr.io/me/site@sha256:<64 hex>; not latest, not untagged (got \"postgis/postgis\")"]],
    ["privileged", at("ollama", "privileged", true), ["hybridlab:apps.ollama.privileged: unknown key; expected one of: kind, node, hostname, exposure, allow, ownLogin, ports, image, entrypoint, command, env, secretEnv, volumes, http, publish, healthcheck, metrics, memoryMiB, cpus, user, devices, gpus, dependsOn, postgres, redis"]],
    ["a relative volume path", at("jellyfin", "volumes.config", "config"), ["hybridlab:apps.jellyfin.volumes.config: must be an absolute path such as /var/www/html (got \"config\")"]],
    ["a device outside /dev", at("jellyfin", "devices", ["/sys/class/drm"]), ["hybridlab:apps.jellyfin.devices[0]: must be a device path under /dev such as /dev/dri (got \"/sys/class/drm\")"]],
    ["a bad env name", at("gis", "env", { "1BAD": "x" }), ['hybridlab:apps.gis.env.1BAD: name "1BAD" must be an environment variable name: letters, digits or \'_\', not starting with a digit']],
    ["a plain-text secret", at("gis", "secretEnv", { API_KEY: "hunter2" }), ["hybridlab:apps.gis.secretEnv.API_KEY: must be {generate: password}, {config: <name in hybridlab:appSecrets>} or {sidecar: postgres|redis}; a secret is never written here (got \"hunter2\")"]],
    ["a bad user", at("jellyfin", "user", "root user"), ["hybridlab:apps.jellyfin.user: must be a user name or uid, optionally with :group, such as 1000:1000 (got \"root user\")"]],
    ["too many GPUs", at("ollama", "gpus", 99), ["hybridlab:apps.ollama.gpus: expected number to be <=16 (got 99)"]],
    ["a missing healthcheck", at("ollama", "healthcheck", undefined), ["hybridlab:apps.ollama.healthcheck: required: expected object"]],
    ["two kinds of healthcheck", at("ollama", "healthcheck", { command: ["true"], image: true }), ["hybridlab:apps.ollama.healthcheck: set exactly one of http (a path), command (run in the container) or image: true (the image's own HEALTHCHECK)"]],
    ["no kind of healthcheck", at("ollama", "healthcheck", {}), ["hybridlab:apps.ollama.healthcheck: set exactly one of http (a path), command (run in the container) or image: true (the image's own HEALTHCHECK)"]],
    ["an HTTP healthcheck without a client", at("jellyfin", "healthcheck", { http: "/health" }), ["hybridlab:apps.jellyfin.healthcheck.using: an HTTP healthcheck runs the client the image ships: set using: curl or using: wget"]],
    ["a start period for the image's own healthcheck", at("gis", "healthcheck", { image: true, startPeriodSeconds: 60 }), ["hybridlab:apps.gis.healthcheck.startPeriodSeconds: the image's own HEALTHCHECK keeps its own start period; remove startPeriodSeconds, or state the check as http or command"]],
    ["a client without an HTTP healthcheck", at("ollama", "healthcheck", { command: ["true"], using: "wget" }), ["hybridlab:apps.ollama.healthcheck.using: using is the client for healthcheck.http; remove it"]],
    ["an HTTP healthcheck without an HTTP port", at("ollama", "healthcheck", { http: "/", using: "curl" }), ["hybridlab:apps.ollama.healthcheck.http: an HTTP healthcheck is read on the HTTP port: set http (the container port)"]],
    ["metrics on an unknown port", at("gis", "metrics", { path: "/metrics", port: "admin" }), ['hybridlab:apps.gis.metrics.port: no published port "admin"; expected one of: http']],
    ["dependsOn an unknown app", at("gis", "dependsOn", ["minoi"]), ['hybridlab:apps.gis.dependsOn[0]: unknown app "minoi"; expected one of: proxy, monitoring, moodle, minio, nextcloud, jellyfin, ollama']],
    ["dependsOn itself", at("gis", "dependsOn", ["gis"]), ["hybridlab:apps.gis.dependsOn[0]: an app cannot wait for itself"]],
    ["a config secret that is not set", withValue(base, "appSecrets", undefined), ["hybridlab:apps.nextcloud.secretEnv.SMTP_PASSWORD.config: hybridlab:appSecrets has no \"nextcloud-smtp\"; set it with: pulumi config set --secret --path 'hybridlab:appSecrets.nextcloud-smtp'"]],
    ["a sidecar secret without the sidecar", at("nextcloud", "redis", undefined), ["hybridlab:apps.nextcloud.secretEnv.REDIS_HOST_PASSWORD.sidecar: the app has no redis sidecar; add redis: {} or choose another source"]],
    ["a variable the sidecar sets", at("gis", "env", { PGHOST: "elsewhere" }), ["hybridlab:apps.gis.env.PGHOST: PGHOST is set by the postgres sidecar; remove it here"]],
    ["the sidecar's volume name", at("gis", "volumes", { db: "/srv/db" }), ["hybridlab:apps.gis.volumes.db: the volume db holds the postgres sidecar's data; choose another name"]],
    ["a LAN port on a cloud node", at("ollama", "publish.api.to", "lan"), ["hybridlab:apps.ollama.publish.api.to: a LAN port is bound to a Proxmox guest's static LAN address, but nodes.spoke is a digitalocean node; publish it to the tailnet"]],
    ["an override of an undeclared port", at("ollama", "ports", { http: 8080 }), ['hybridlab:apps.ollama.ports.http: container has no port "http"; expected one of: api (declare it under http or publish)']],
    ["a hostname without an HTTP port", at("ollama", "hostname", "llm"), ["hybridlab:apps.ollama.hostname: a container is served under a hostname only with http: set http (the container port that serves it), or remove hostname"]],
    ["a port clash with another app", at("gis", "http", 8096), ["hybridlab:apps.gis.ports.http: host port 8096 on node devlab is already claimed by apps.jellyfin (http); set apps.gis.ports.http to a free port"]],
    ["a port clash with a host agent", at("gis", "http", 9100), ["hybridlab:apps.gis.ports.http: host port 9100 on node devlab is already claimed by the node-exporter agent every app host runs; set apps.gis.ports.http to a free port"]],
    [
      "public without a login",
      at("nextcloud", "ownLogin", undefined),
      ["hybridlab:apps.nextcloud.hostname: a container has no login of its own, so it cannot be public (anyone could use it); set exposure: sso (behind single sign-on), or exposure: tailnet and remove hostname (over the mesh only), or ownLogin: true if the image asks everyone to log in"],
    ],
  ])("refuses %s", (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  it("refuses a port published to the tailnet in an estate without one (whatever else that estate lacks)", () => {
    const raw = withValues(base, [["tailnet", undefined], ["apps.jellyfin", undefined]]);
    expect(problemsOf(raw)).toContain("hybridlab:apps.ollama.publish.api.to: publishing to the tailnet needs hybridlab:tailnet; publish it to lan (a Proxmox guest's LAN address) instead");
  });

  it("refuses a variable set in both env and secretEnv", () => {
    expect(problemsOf(withValues(base, [["apps.gis.env", { API_TOKEN: "x" }], ["apps.gis.secretEnv", { API_TOKEN: { generate: "password" } }]]))).toEqual([
      "hybridlab:apps.gis.env.API_TOKEN: API_TOKEN is in secretEnv too; set it once",
    ]);
  });

  it("refuses two generated secrets that would be one", () => {
    expect(problemsOf(withValue(base, "apps.gis.secretEnv", { API_TOKEN: { generate: "password" }, api_token: { generate: "password" } }))).toEqual([
      "hybridlab:apps.gis.secretEnv.api_token: api_token and API_TOKEN differ only in case or '_'; their generated secrets would be one",
    ]);
  });

  it("accepts every field of the seed services", () => {
    expect(problemsOf(base)).toEqual([]);
  });

  it.each([
    ["nextcloud:33.0.8-apache", true],
    ["ghcr.io/example/gis-api:2.3.1", true],
    ["registry.example.com:5000/team/app:1.0", true],
    [`ollama/ollama@sha256:${"0".repeat(64)}`, true],
    ["registry.example.com:5000/team/app", false],
    ["nextcloud", false],
    ["nextcloud:latest", false],
    ["Nextcloud:33", false],
  ])("judges %s pinned: %s", (image, pinned) => {
    expect(isPinnedImage(image)).toBe(pinned);
  });

  it("wants hybridlab:appSecrets encrypted, and says how to set each entry", () => {
    const [problem] = plaintextSecretProblems({ "hybridlab:appSecrets": '{"nextcloud-smtp":"x"}' }, []);
    expect(problem).toMatch(/^hybridlab:appSecrets: must be a secret but is set in plain text \(.*, not shown\); store it encrypted with: pulumi config set --secret --path 'hybridlab:appSecrets.<name>' \(each entry\)$/);
    expect(plaintextSecretProblems({ "hybridlab:appSecrets": '{"nextcloud-smtp":"x"}' }, ["hybridlab:appSecrets"])).toEqual([]);
  });

  it("counts hybridlab:appSecrets as secret in a stack file only when every entry is a secure: value", () => {
    const secretKeys = (entries: Json) => readStackConfig(asStackFile(withValue(containerEstate(), "appSecrets", entries)), "hybridlab", "Pulumi.dev.yaml").secretKeys;
    expect(secretKeys({ "nextcloud-smtp": { secure: "v1:abc" }, other: { secure: "v1:def" } })).toEqual(["hybridlab:appSecrets"]);
    // The CLI would call the whole key secret, while one entry sits in git in plain text.
    expect(secretKeys({ "nextcloud-smtp": { secure: "v1:abc" }, other: "plain" })).toEqual([]);
  });
});

describe("README, Your own containers", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Your own containers\n"), readme.indexOf("\n## ", readme.indexOf("## Your own containers\n") + 1));
  const example = parse(/```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "") as { "hybridlab:apps": Record<string, Json> };

  it("shows each seed service as a container app, and the estate accepts every one of them as written", () => {
    const apps = example["hybridlab:apps"];
    expect(Object.keys(apps)).toEqual(["portfolio", "nextcloud", "jellyfin", "ollama", "jupyterhub", "gis", "falkordb"]);
    const guest = (vmid: number, memoryMiB: number) => ({ kind: "proxmox-vm", role: "lab", site: "home", vmid, cores: 1, memoryMiB, diskGiB: 10, networks: [{ bridge: "vmbr0", address: `192.168.1.${vmid - 100}/24` }] });
    const raw = withValues(containerEstate(), [
      ["apps.nextcloud", undefined],
      ["apps.jellyfin", undefined],
      ["apps.ollama", undefined],
      ["apps.gis", undefined],
      ["proxmox.home.capacity", { cores: 64, memoryMiB: 262_144, diskGiB: 2000 }],
      ["nodes.nas", guest(150, 8192)],
      ["nodes.gpu", guest(151, 20480)],
      ["nodes.lab", guest(152, 4096)],
      ["nodes.spoke-do", { kind: "digitalocean", role: "spoke", size: "s-2vcpu-4gb" }],
      ...Object.entries(apps).map(([name, app]): [string, unknown] => [`apps.${name}`, app]),
    ]);
    expect(problemsOf(raw)).toEqual([]);
    for (const app of Object.values(apps)) expect(isPinnedImage(String(app.image))).toBe(true);
  });
});
