/** Apps: placement on nodes, hostnames, host ports, and what their settings refer to. */
import { appHostPorts, appKinds, appSpecOf, hostAgents, overridablePorts } from "../../catalog/apps";
import { remoteWorkerGroups } from "../../catalog/workers";
import { publicFqdn } from "../../derive/hostnames";
import { DOCKER_METRICS_PORT, hostAgentPorts } from "../../derive/hostAgents";
import { dockerHosts } from "../../derive/proxmox";
import { oneOf, type EstateProblem, type Rule } from "./problem";

const appPlacement: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  for (const [name, app] of Object.entries(estate.apps)) {
    const node = estate.nodes[app.node];
    const spec = appSpecOf(app);
    if (!node) {
      problems.push({ path: ["apps", name, "node"], message: `unknown node "${app.node}"; ${oneOf(Object.keys(estate.nodes))}` });
    } else if (spec.hubOnly && node.role !== "hub") {
      problems.push({ path: ["apps", name, "node"], message: `a ${app.kind} runs on the hub, but nodes.${app.node} has role ${node.role}` });
    }
    for (const portName of Object.keys(app.ports)) {
      if (!overridablePorts(app).includes(portName)) {
        const declare = app.kind === "container" ? " (declare it under http or publish)" : "";
        problems.push({ path: ["apps", name, "ports", portName], message: `${app.kind} has no port "${portName}"; ${oneOf(overridablePorts(app))}${declare}` });
      }
    }
    const [storeKey, storeName] = app.kind === "mlflow" ? ["artifactStore", app.artifactStore] : app.kind === "spark" ? ["objectStore", app.objectStore] : [undefined, undefined];
    if (storeKey !== undefined && storeName !== undefined && estate.apps[storeName]?.kind !== "minio") {
      const minios = Object.keys(estate.apps).filter((a) => estate.apps[a].kind === "minio");
      problems.push({ path: ["apps", name, storeKey], message: `"${storeName}" is not a minio app; ${oneOf(minios)}` });
    }
  }
  const proxies = Object.keys(estate.apps).filter((a) => estate.apps[a].kind === "reverse-proxy");
  for (const extra of proxies.slice(1)) {
    problems.push({ path: ["apps", extra, "kind"], message: `apps.${proxies[0]} is already the reverse proxy; an estate has one` });
  }
  return problems;
};

const hostnames: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const owners = new Map<string, string>();
  const hasProxy = Object.values(estate.apps).some((a) => a.kind === "reverse-proxy");
  for (const [name, app] of Object.entries(estate.apps)) {
    if (app.hostname === undefined) continue;
    const at = ["apps", name, "hostname"];
    if (!appSpecOf(app).upstream) {
      const message = app.kind === "container" ? "a container is served under a hostname only with http: set http (the container port that serves it), or remove hostname" : `a ${app.kind} is not served under a hostname; remove it`;
      problems.push({ path: at, message });
      continue;
    }
    if (!estate.dns) {
      problems.push({ path: at, message: "a public hostname needs hybridlab:dns (the zone it lives in)" });
      continue;
    }
    if (!hasProxy) {
      problems.push({ path: at, message: "a public hostname is served by the hub's reverse proxy, but no app has kind reverse-proxy" });
    }
    const fqdn = publicFqdn(app.hostname, estate.dns);
    // DNS caps a name at 253 characters; `www.` is added in front of the apex when dns.www is set.
    const longest = app.hostname === "@" && estate.dns.www ? `www.${fqdn}` : fqdn;
    if (longest.length > 253) {
      problems.push({ path: at, message: `${longest.slice(0, 40)}... is ${longest.length} characters; a DNS name has at most 253: shorten the hostname, dns.subdomain or dns.zone` });
    }
    const owner = owners.get(fqdn);
    if (owner) {
      problems.push({ path: at, message: `${fqdn} is already claimed by apps.${owner}; hostnames must be unique` });
    } else {
      owners.set(fqdn, name);
    }
  }
  return problems;
};

const wwwAlias: Rule = (estate) => {
  if (!estate.dns?.www || !Object.values(estate.apps).some((a) => a.hostname === "@")) return [];
  return Object.entries(estate.apps)
    .filter(([, a]) => a.hostname === "www")
    .map(([name]) => ({ path: ["apps", name, "hostname"], message: "www is taken by dns.www (an alias of the apex app); choose another hostname or set dns.www: false" }));
};

/** Ports the host's own system listens on: an app published there would fail to start or take the port over. */
const systemPorts: Readonly<Record<number, string>> = { 22: "sshd, which operators and the remote commands log in through" };

const hostPorts: Rule = (estate) => {
  const problems: EstateProblem[] = [];
  const claimed = new Map<string, string>();
  for (const node of dockerHosts(estate)) {
    for (const [port, owner] of Object.entries(systemPorts)) claimed.set(`${node}:${port}`, owner);
    for (const [agent, port] of Object.entries(hostAgentPorts(estate, node))) claimed.set(`${node}:${port}`, `the ${agent} agent ${agent in hostAgents ? "every app host runs" : "this host runs"}`);
    if (estate.nodes[node].dockerMetrics) claimed.set(`${node}:${DOCKER_METRICS_PORT}`, "the Docker daemon's metrics (dockerMetrics)");
  }
  for (const [name, app] of Object.entries(estate.apps)) {
    for (const [portName, port] of Object.entries(appHostPorts(app))) {
      const key = `${app.node}:${port}`;
      const owner = claimed.get(key);
      if (owner) {
        problems.push({ path: ["apps", name, "ports", portName], message: `host port ${port} on node ${app.node} is already claimed by ${owner}; set apps.${name}.ports.${portName} to a free port` });
      } else {
        claimed.set(key, `apps.${name} (${portName})`);
      }
    }
  }
  // Workers on other nodes publish their own ports there (fixed: they advertise them); a clash is the workers' entry.
  for (const [name, app] of Object.entries(estate.apps)) {
    for (const group of remoteWorkerGroups(app)) {
      if (estate.nodes[group.node] === undefined) continue;
      const at = ["apps", name, ...group.at, "node"];
      for (const [portName, port] of Object.entries(appSpecOf(app).remoteWorker?.ports ?? {})) {
        const owner = claimed.get(`${group.node}:${port}`);
        if (owner) {
          problems.push({ path: at, message: `the workers of apps.${name} publish ${portName} on host port ${port} of node ${group.node}, already claimed by ${owner}: move the workers, or that app's port` });
        } else {
          claimed.set(`${group.node}:${port}`, `the workers of apps.${name} (${portName})`);
        }
      }
    }
  }
  return problems;
};

const alertMail: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    if (app.kind !== "monitoring") return [];
    if (app.alertEmail !== undefined && app.smtp === undefined) return [{ path: ["apps", name, "smtp"], message: "alertEmail needs the mail relay to send through: set smtp {smarthost, from, username}" }];
    if (app.smtp !== undefined && app.alertEmail === undefined) return [{ path: ["apps", name, "alertEmail"], message: "smtp is set but nobody receives alerts: set alertEmail" }];
    if (app.smtp !== undefined && estate.smtpPassword === undefined) return [{ path: ["smtpPassword"], message: "the mail relay needs its password: pulumi config set --secret hybridlab:smtpPassword ..." }];
    return [];
  });

/** Let's Encrypt validates on 80 and browsers come to 443: the reverse proxy's public ports are not negotiable. */
const proxyPorts: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]) =>
    app.kind !== "reverse-proxy"
      ? []
      : (["http", "https"] as const)
          .filter((port) => app.ports[port] !== undefined && app.ports[port] !== appKinds["reverse-proxy"].ports[port])
          .map((port) => ({ path: ["apps", name, "ports", port], message: `the reverse proxy must listen on ${appKinds["reverse-proxy"].ports[port]} (ACME and browsers expect it), got ${app.ports[port]}` })),
  );

/**
 * S3 bucket naming (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), which MinIO
 * enforces too: 3-63 characters; lowercase letters, digits, '.' and '-'; a letter or digit at each end; no '..',
 * '.-' or '-.' (not a valid DNS name); not an IPv4 address; none of the prefixes and suffixes AWS reserves.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return "must be 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit";
  if (/\.\.|\.-|-\./.test(name)) return "must not contain '..', '.-' or '-.'";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be an IP address";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix) return `must not start with "${prefix}" (reserved)`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `must not end with "${suffix}" (reserved)`;
  return undefined;
}

const bucketNames: Rule = (estate) =>
  Object.entries(estate.apps).flatMap(([name, app]): EstateProblem[] => {
    const named: Array<[PropertyKey[], string]> =
      app.kind === "minio"
        ? app.buckets.map((b, i) => [["apps", name, "buckets", i], b])
        : app.kind === "mlflow"
          ? [[["apps", name, "artifactBucket"], app.artifactBucket]]
          : app.kind === "spark" && app.objectStore !== undefined
            ? [[["apps", name, "bucket"], app.bucket]]
            : [];
    const seen = new Set<string>();
    return named.flatMap(([path, bucket]) => {
      const problem = bucketNameProblem(bucket);
      const repeated = seen.has(bucket);
      seen.add(bucket);
      if (problem) return [{ path, message: `bucket "${bucket}" ${problem}` }];
      return repeated ? [{ path, message: `bucket "${bucket}" is listed twice` }] : [];
    });
  });

export const appRules: readonly Rule[] = [appPlacement, hostnames, wwwAlias, proxyPorts, hostPorts, alertMail, bucketNames];
