/**
 * `container` apps: what their fields refer to (ports, other apps, secrets, sidecars, the node's networks) holds,
 * so a container is refused up front as strictly as a catalog app. Shape (pinned image, paths, names) is the schema's.
 */
import { generatedSecretName, sidecarEnv } from "../../catalog/containers/container";
import { isProxmoxGuest, type ContainerApp, type Estate } from "../schema";
import { oneOf, type EstateProblem, type Rule } from "./problem";

type Check = (estate: Estate, name: string, app: ContainerApp) => EstateProblem[];

const healthcheck: Check = (_estate, name, app) => {
  const at = ["apps", name, "healthcheck"];
  const { http, using, command, image, startPeriodSeconds } = app.healthcheck;
  const kinds = [http !== undefined, command !== undefined, image === true].filter(Boolean).length;
  if (kinds !== 1) return [{ path: at, message: "set exactly one of http (a path), command (run in the container) or image: true (the image's own HEALTHCHECK)" }];
  const problems: EstateProblem[] = [];
  if (http !== undefined && using === undefined) problems.push({ path: [...at, "using"], message: "an HTTP healthcheck runs the client the image ships: set using: curl or using: wget" });
  if (http === undefined && using !== undefined) problems.push({ path: [...at, "using"], message: "using is the client for healthcheck.http; remove it" });
  if (http !== undefined && app.http === undefined) problems.push({ path: [...at, "http"], message: "an HTTP healthcheck is read on the HTTP port: set http (the container port)" });
  if (image === true && startPeriodSeconds !== undefined) {
    problems.push({ path: [...at, "startPeriodSeconds"], message: "the image's own HEALTHCHECK keeps its own start period; remove startPeriodSeconds, or state the check as http or command" });
  }
  return problems;
};

const metricsPort: Check = (_estate, name, app) => {
  if (app.metrics === undefined) return [];
  const ports = [...(app.http === undefined ? [] : ["http"]), ...Object.keys(app.publish)];
  if (ports.includes(app.metrics.port)) return [];
  return [{ path: ["apps", name, "metrics", "port"], message: `no published port "${app.metrics.port}"; ${oneOf(ports)}` }];
};

const dependsOn: Check = (estate, name, app) =>
  app.dependsOn.flatMap((other, i): EstateProblem[] => {
    const at = ["apps", name, "dependsOn", i];
    if (other === name) return [{ path: at, message: "an app cannot wait for itself" }];
    if (!(other in estate.apps)) return [{ path: at, message: `unknown app "${other}"; ${oneOf(Object.keys(estate.apps).filter((a) => a !== name))}` }];
    return [];
  });

const secretSources: Check = (estate, name, app) =>
  Object.entries(app.secretEnv).flatMap(([key, source]): EstateProblem[] => {
    const at = ["apps", name, "secretEnv", key];
    if ("config" in source && estate.appSecrets?.[source.config] === undefined) {
      return [{ path: [...at, "config"], message: `hybridlab:appSecrets has no "${source.config}"; set it with: pulumi config set --secret --path 'hybridlab:appSecrets.${source.config}'` }];
    }
    if ("sidecar" in source && app[source.sidecar] === undefined) {
      return [{ path: [...at, "sidecar"], message: `the app has no ${source.sidecar} sidecar; add ${source.sidecar}: {} or choose another source` }];
    }
    return [];
  });

const environment: Check = (_estate, name, app) => {
  const problems: EstateProblem[] = [];
  const provided = new Map(
    Object.entries(sidecarEnv(name, app)).flatMap(([sidecar, set]) => [...Object.keys(set.env), ...Object.keys(set.secretEnv)].map((key) => [key, sidecar] as const)),
  );
  for (const [field, keys] of [["env", Object.keys(app.env)], ["secretEnv", Object.keys(app.secretEnv)]] as const) {
    for (const key of keys) {
      const sidecar = provided.get(key);
      if (sidecar) problems.push({ path: ["apps", name, field, key], message: `${key} is set by the ${sidecar} sidecar; remove it here` });
    }
  }
  for (const key of Object.keys(app.env).filter((k) => k in app.secretEnv)) {
    problems.push({ path: ["apps", name, "env", key], message: `${key} is in secretEnv too; set it once` });
  }
  const generated = new Map<string, string>();
  for (const [key, source] of Object.entries(app.secretEnv)) {
    if (!("generate" in source)) continue;
    const twin = generated.get(generatedSecretName(key));
    if (twin !== undefined) problems.push({ path: ["apps", name, "secretEnv", key], message: `${key} and ${twin} differ only in case or '_'; their generated secrets would be one` });
    generated.set(generatedSecretName(key), key);
  }
  return problems;
};

const volumes: Check = (_estate, name, app) =>
  (
    [
      ["db", "postgres"],
      ["redis", "redis"],
    ] as const
  )
    .filter(([volume, sidecar]) => volume in app.volumes && app[sidecar] !== undefined)
    .map(([volume, sidecar]) => ({ path: ["apps", name, "volumes", volume], message: `the volume ${volume} holds the ${sidecar} sidecar's data; choose another name` }));

const publishTargets: Check = (estate, name, app) =>
  Object.entries(app.publish).flatMap(([port, p]): EstateProblem[] => {
    const at = ["apps", name, "publish", port, "to"];
    const node = estate.nodes[app.node];
    if (p.to === "tailnet" && estate.tailnet === undefined) return [{ path: at, message: "publishing to the tailnet needs hybridlab:tailnet; publish it to lan (a Proxmox guest's LAN address) instead" }];
    if (p.to === "lan" && node !== undefined) {
      if (!isProxmoxGuest(node)) return [{ path: at, message: `a LAN port is bound to a Proxmox guest's static LAN address, but nodes.${app.node} is a ${node.kind} node; publish it to the tailnet` }];
      if (node.networks.every((nic) => nic.address === "dhcp")) return [{ path: at, message: `a LAN port is bound to the guest's static LAN address, but nodes.${app.node} has only DHCP networks; give it a static address` }];
    }
    return [];
  });

const checks: readonly Check[] = [healthcheck, metricsPort, dependsOn, secretSources, environment, volumes, publishTargets];

const containerApps: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]) => (app.kind === "container" ? checks.flatMap((check) => check(estate, name, app)) : []));

export const containerRules: readonly Rule[] = [containerApps];
