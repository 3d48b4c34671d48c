/**
 * Every generated config file of the estate, as the plan command emits them with --emit-dir: per app its uploaded
 * config files, per Docker host its agents' config, and per node its first-boot document (cloud-init user data, or
 * the bootstrap script of an LXC). Pure, deterministic and free of secrets (secrets are placeholders filled at
 * deploy time).
 */
import { renderCloudInit } from "./bootstrap/cloudInit";
import { lxcBootstrapScript } from "./bootstrap/script";
import { appDeployment } from "./catalog/deployments";
import { AGENTS_APP, hostAgentDeployment } from "./catalog/containers/agents";
import type { AppDeploymentSpec } from "../components/apps/deploymentSpec";
import { nodeBootstrap } from "./derive/bootstrap";
import { dockerHosts } from "./derive/proxmox";
import { nodeTags } from "./derive/tailnetAcl";
import type { Estate } from "./estate/schema";

export interface Artifact {
  /** "<node>/<app>/<file>", unique. */
  readonly path: string;
  readonly node: string;
  /** The app, "agents" for a host's agents, or "bootstrap" for a host's bootstrap script. */
  readonly app: string;
  readonly content: string;
}

/** The pseudo-app a host's bootstrap script is filed under. */
export const BOOTSTRAP_APP = "bootstrap";

/** Stands in for a node's tailnet auth key, a secret that exists only at deploy time. */
export const AUTH_KEY_PLACEHOLDER = "TAILNET-AUTH-KEY-SET-AT-DEPLOY";

/** A node's first-boot document: cloud-init user data, or the script an LXC template runs instead. */
function bootstrapArtifact(estate: Estate, node: string): Artifact {
  const tailscale = estate.tailnet ? { authKey: AUTH_KEY_PLACEHOLDER, tags: nodeTags(estate, node) } : undefined;
  const script = lxcBootstrapScript(estate, node, tailscale);
  return script !== undefined
    ? { path: `${node}/${BOOTSTRAP_APP}/bootstrap.sh`, node, app: BOOTSTRAP_APP, content: script }
    : { path: `${node}/${BOOTSTRAP_APP}/cloud-init.yaml`, node, app: BOOTSTRAP_APP, content: renderCloudInit({ ...nodeBootstrap(estate, node), ...(tailscale ? { tailscale } : {}) }) };
}

function fromSpec(node: string, app: string, spec: AppDeploymentSpec): Artifact[] {
  return spec.containers.flatMap((c) =>
    (c.configFiles ?? []).filter((f) => f.secret !== true).map((f) => ({ path: `${node}/${app}/${f.artifact}`, node, app, content: f.content })),
  );
}

/** All artifacts, sorted by path. Throws if two would land on the same path. */
export function estateArtifacts(estate: Estate, stack: string): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const node of [...dockerHosts(estate)].sort()) artifacts.push(...fromSpec(node, AGENTS_APP, hostAgentDeployment(estate, node)));
  for (const node of Object.keys(estate.nodes).sort()) artifacts.push(bootstrapArtifact(estate, node));
  for (const [name, app] of Object.entries(estate.apps)) artifacts.push(...fromSpec(app.node, name, appDeployment(estate, stack, name)));
  // Containers of one app may share a file (Spark's metrics.properties): one artifact, unless the contents differ.
  const byPath = new Map<string, Artifact>();
  for (const a of artifacts) {
    const existing = byPath.get(a.path);
    if (existing !== undefined && existing.content !== a.content) throw new Error(`estateArtifacts: two different files would be written to ${a.path}`);
    byPath.set(a.path, a);
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
