/**
 * The ownership labels every taggable resource carries, so a cloud console, `docker ps` or the Proxmox UI shows
 * which stack, node and app a thing belongs to, and the policy pack can check that nothing is unlabelled.
 */

/** What owns a resource: a node (machines, networks, firewalls) or an app (containers, volumes, DNS records). */
export type Owner = { readonly node: string; readonly app?: undefined } | { readonly app: string; readonly node?: undefined };

export const LABEL_STACK = "hybridlab-stack";
export const LABEL_NODE = "hybridlab-node";
export const LABEL_APP = "hybridlab-app";
/** A machine's role (hub, spoke, lab): lets the policy pack, and a console user, find the hub. */
export const LABEL_ROLE = "hybridlab-role";

/** The plain-tag form of a machine's role, for providers without key/value labels. */
export function roleTag(role: string): string {
  return `role-${role}`;
}

/** Key/value labels (Hetzner labels, Azure tags): `hybridlab-stack` plus `hybridlab-node` or `hybridlab-app`. */
export function ownerLabels(stack: string, owner: Owner): Record<string, string> {
  return owner.app !== undefined ? { [LABEL_STACK]: stack, [LABEL_APP]: owner.app } : { [LABEL_STACK]: stack, [LABEL_NODE]: owner.node };
}

/** Plain tags (DigitalOcean, Proxmox: lowercase, no ':' in Proxmox): `hybridlab`, `stack-<stack>`, `node-<node>`/`app-<app>`. */
export function ownerTags(stack: string, owner: Owner): string[] {
  return ["hybridlab", `stack-${stack}`, owner.app !== undefined ? `app-${owner.app}` : `node-${owner.node}`];
}

/**
 * The Docker label naming a container's secret environment variables (names only, never values): under the Pulumi
 * CLI a policy sees secrets as plain text, so this is how the plain-text-secret rule tells them apart.
 */
export const LABEL_SECRET_ENV = "hybridlab.secret-env";

/** Docker labels, in Docker's reverse-DNS style. */
export function containerLabels(stack: string, app: string, component: string): Record<string, string> {
  return { "hybridlab.stack": stack, "hybridlab.app": app, "hybridlab.component": component };
}

/**
 * Docker labels on a container whose published port serves without a login (`hybridlab.login: none`) and the node
 * whose Docker runs it (`hybridlab.node`): how the policy pack tells that a proxy route to it would publish an app
 * anyone could use, whether the route names the container or the node's address.
 */
export const LABEL_LOGIN = "hybridlab.login";
export const LABEL_CONTAINER_NODE = "hybridlab.node";
export const NO_LOGIN = "none";

/** The labels of a container that serves without a login on `node`. */
export function noLoginLabels(node: string): Record<string, string> {
  return { [LABEL_LOGIN]: NO_LOGIN, [LABEL_CONTAINER_NODE]: node };
}

/**
 * The Docker label on a container that relies on its image's own HEALTHCHECK (`hybridlab.healthcheck: image`): the
 * container's inputs then carry no healthcheck, and this is how the policy pack tells it is checked all the same.
 */
export const LABEL_HEALTHCHECK = "hybridlab.healthcheck";
export const IMAGE_HEALTHCHECK = "image";
