import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import type { AppDeploymentSpec, ContainerSpec, SecretSpec } from "./deploymentSpec";
import { ContainerService } from "../docker/ContainerService";

export interface AppDeploymentArgs {
  /** Stack name, for labels; required. */
  readonly stack: string;
  /** App name as in the estate (container names `<app>-<component>`); required. */
  readonly app: string;
  /** The app's containers, secrets and ordering, from the catalog; required. */
  readonly spec: AppDeploymentSpec;
  /** Host port per named port (the catalog's defaults after the app's overrides); required, may be empty. */
  readonly hostPorts: Readonly<Record<string, number>>;
  /** The shared Docker network the containers join; required. */
  readonly network: pulumi.Input<string>;
  /** Values for the spec's `imports` placeholders (another app's secrets), by placeholder name; default none. */
  readonly importedSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Resources every container waits for (the host's readiness); default none. */
  readonly readyAfter?: readonly pulumi.Resource[];
  /** Other apps' deployments by app name, for the containers whose spec names them in `afterApps`; default none. */
  readonly otherApps?: Readonly<Record<string, pulumi.Resource>>;
  /** Protect volumes from deletion (prod); default false. */
  readonly protect?: boolean;
  /** The host machine's identity (DockerHost.machineIdentity): containers are recreated on a rebuilt machine. Default none. */
  readonly machineIdentity?: pulumi.Input<string>;
}

const PLACEHOLDER = /\{\{([a-z0-9-]+)\}\}/g;

/** Containers in an order where each comes after the components it names in `after`. Throws on unknown or cyclic names. */
export function orderContainers(where: string, containers: readonly ContainerSpec[]): ContainerSpec[] {
  const byName = new Map(containers.map((c) => [c.component, c]));
  if (byName.size !== containers.length) throw new Error(`${where}: container components must be unique, got ${containers.map((c) => c.component).join(", ")}`);
  const ordered: ContainerSpec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (c: ContainerSpec, path: string[]): void => {
    if (state.get(c.component) === "done") return;
    if (state.get(c.component) === "visiting") throw new Error(`${where}: containers must not wait on each other in a cycle, got ${[...path, c.component].join(" -> ")}`);
    state.set(c.component, "visiting");
    for (const dep of c.after ?? []) {
      const next = byName.get(dep);
      if (!next) throw new Error(`${where}: ${c.component}.after must name components of the app (${[...byName.keys()].join(", ")}), got "${dep}"`);
      visit(next, [...path, c.component]);
    }
    state.set(c.component, "done");
    ordered.push(c);
  };
  containers.forEach((c) => visit(c, []));
  return ordered;
}

/** Placeholder names a template refers to. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * One app's containers from its catalog spec: generates its secrets once (random, kept in state) or reads them from
 * the stack's secret config, fills the
 * `{{secret}}` placeholders as Pulumi secrets, and starts containers in dependency order, sharing volumes by name.
 */
export class AppDeployment extends pulumi.ComponentResource {
  /** The app's generated secrets, by name (Pulumi secrets), for apps that import them. */
  public readonly secrets: Record<string, pulumi.Output<string>>;
  /** The app's containers, by component. */
  public readonly services: Record<string, ContainerService>;
  /** Docker container names, by component. */
  public readonly containerNames: Record<string, pulumi.Output<string>>;
  /** The generated administrator login (a Pulumi secret), when the spec names one. */
  public readonly adminLogin: pulumi.Output<{ user: string; password: string }> | undefined;

  constructor(name: string, args: AppDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:apps:AppDeployment", name, {}, opts);
    const where = `AppDeployment ${name}`;
    const ordered = orderContainers(where, args.spec.containers);

    this.secrets = Object.fromEntries(Object.entries(args.spec.secrets).map(([secret, spec]) => [secret, generate(`${name}-${secret}`, spec, this)]));
    const known: Record<string, pulumi.Input<string>> = { ...this.secrets };
    for (const [placeholder, value] of Object.entries(args.importedSecrets ?? {})) known[placeholder] = pulumi.secret(value);
    for (const placeholder of Object.keys(args.spec.imports ?? {})) {
      if (!(placeholder in known)) throw new Error(`${where}: importedSecrets must provide "${placeholder}" (imported from apps.${args.spec.imports?.[placeholder].app})`);
    }

    const resolve = (component: string, field: string, template: string): pulumi.Input<string> => {
      const names = placeholders(template);
      for (const n of names) {
        if (!(n in known)) throw new Error(`${where}: ${component}.${field} must refer to a known secret (${Object.keys(known).join(", ") || "none"}), got "{{${n}}}"`);
      }
      return pulumi.secret(pulumi.all(names.map((n) => known[n])).apply((values) => template.replace(PLACEHOLDER, (_, n: string) => values[names.indexOf(n)])));
    };

    this.services = {};
    const volumeOwners = new Map<string, ContainerService>();
    for (const spec of ordered) {
      for (const port of spec.ports ?? []) {
        if (args.hostPorts[port.name] === undefined) throw new Error(`${where}: ${spec.component}.ports must use the app's named ports (${Object.keys(args.hostPorts).join(", ")}), got "${port.name}"`);
      }
      const ownVolumes = (spec.volumes ?? []).filter((v) => !volumeOwners.has(v.name));
      const sharedVolumes = (spec.volumes ?? [])
        .filter((v) => volumeOwners.has(v.name))
        .map((v) => ({ volume: volumeOwners.get(v.name)?.volumeNames[v.name] ?? v.name, path: v.path }));
      const service = new ContainerService(
        `${name}-${spec.component}`,
        {
          stack: args.stack,
          app: args.app,
          component: spec.component,
          image: spec.image,
          entrypoint: spec.entrypoint,
          command: spec.command,
          ports: (spec.ports ?? []).flatMap((p) =>
            [p.bindIpv4, ...(p.bindIpv6 ?? [])].map((ip) => ({ internal: p.containerPort, external: args.hostPorts[p.name], protocol: p.protocol, ip })),
          ),
          env: spec.env,
          secretEnv: Object.fromEntries(Object.entries(spec.secretEnv ?? {}).map(([key, template]) => [key, resolve(spec.component, `secretEnv.${key}`, template)])),
          volumes: ownVolumes,
          sharedVolumes,
          binds: spec.binds,
          configFiles: spec.configFiles?.filter((f) => f.secret !== true).map((f) => ({ path: f.path, content: f.content })),
          secretFiles: spec.configFiles?.filter((f) => f.secret === true).map((f) => ({ path: f.path, content: resolve(spec.component, f.path, f.content) })),
          healthcheck: spec.healthcheck,
          memoryMiB: spec.memoryMiB,
          cpus: spec.cpus,
          oneShot: spec.oneShot,
          networks: spec.hostNetwork === true ? [] : [args.network],
          hosts: spec.hosts,
          hostNetwork: spec.hostNetwork,
          hostPid: spec.hostPid,
          devices: spec.devices,
          gpus: spec.gpus,
          user: spec.user,
          imageHealthcheck: spec.imageHealthcheck,
          dockerSocket: spec.dockerSocket,
          capabilities: spec.capabilities,
          capAdd: spec.capAdd,
          hostGateway: spec.hostGateway,
          protectVolumes: args.protect,
          machineIdentity: args.machineIdentity,
          withoutLogin: spec.withoutLogin,
        },
        { parent: this, dependsOn: [...(args.readyAfter ?? []), ...(spec.after ?? []).map((dep) => this.services[dep]), ...otherApps(where, spec, args.otherApps ?? {})] },
      );
      for (const v of ownVolumes) volumeOwners.set(v.name, service);
      this.services[spec.component] = service;
    }
    this.containerNames = Object.fromEntries(Object.entries(this.services).map(([component, s]) => [component, s.containerName]));
    const login = args.spec.adminLogin;
    this.adminLogin = login && pulumi.secret(pulumi.all([resolve("adminLogin", "user", login.user), resolve("adminLogin", "password", login.password)]).apply(([user, password]) => ({ user, password })));
    this.registerOutputs({ containerNames: this.containerNames, ...(this.adminLogin ? { adminLogin: this.adminLogin } : {}) });
  }
}

/** The deployments a container waits for besides its own app's. */
function otherApps(where: string, spec: ContainerSpec, deployed: Readonly<Record<string, pulumi.Resource>>): pulumi.Resource[] {
  return (spec.afterApps ?? []).map((app) => {
    const deployment = deployed[app];
    if (deployment === undefined) throw new Error(`${where}: otherApps must provide "${app}" (${spec.component}.afterApps), got ${Object.keys(deployed).join(", ") || "none"}`);
    return deployment;
  });
}

function generate(name: string, spec: SecretSpec, parent: pulumi.Resource): pulumi.Output<string> {
  if (spec.kind === "config") {
    const config = new pulumi.Config("hybridlab");
    const field = spec.field;
    if (field === undefined) return config.requireSecret(spec.key);
    // A structured value with `secure:` entries arrives whole; the entry stays a secret through the apply.
    return config.requireSecretObject<Readonly<Record<string, string>>>(spec.key).apply((entries) => {
      const value = entries[field];
      if (typeof value !== "string") throw new Error(`${name}: hybridlab:${spec.key}.${field} must be set: pulumi config set --secret --path 'hybridlab:${spec.key}.${field}'`);
      return value;
    });
  }
  if (spec.kind === "fernet-key") {
    // Fernet wants 32 bytes as URL-safe base64 with padding; RandomId's b64Url is that without the final "=".
    const id = new random.RandomId(name, { byteLength: 32 }, { parent });
    return pulumi.secret(pulumi.interpolate`${id.b64Url}=`);
  }
  // Letters and digits only: the values go into connection URLs and env files unescaped.
  const password = new random.RandomPassword(name, { length: spec.length, special: false }, { parent });
  return pulumi.secret(password.result);
}
