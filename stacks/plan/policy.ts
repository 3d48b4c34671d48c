/**
 * Applies the CrossGuard pack (policies/rules) offline to the resources a plan recorded, the way the Pulumi CLI's
 * analyzer would: enforcement levels resolved config > policy > pack > advisory ("disabled" skips, "remediate"
 * reports as mandatory), config-schema defaults filled in, props behind @pulumi/policy's unknown-checking proxy,
 * and a rule that reads an unknown value reported as advisory "can't run during preview". The rules themselves are
 * the pack's objects: nothing here knows what any rule checks.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { hybridlabPolicies, PACK_ENFORCEMENT_LEVEL } from "../../policies/rules";
import { stackOf } from "../../policies/rules/shared";
import { cloudCatalog } from "../../components/cloud/cloudSizes";
import { isBackedUp, proxmoxGuests } from "../derive/proxmox";
import { isProxmoxGuest, type Estate } from "../estate/schema";
import type { RecordedResource } from "./harness";

// @pulumi/policy 1.21 exports both at runtime, but its proxy.d.ts marks them @internal, so they type as `any`.
const unknownCheckingProxy: <T>(value: T) => T = policySdk.unknownCheckingProxy;
const UnknownValueError: new (...args: never[]) => Error = policySdk.UnknownValueError;

/** What the harness records in place of a value the engine would only know after `pulumi up`. */
const OFFLINE_UNKNOWN = "[unknown]";

export type { PolicyPackConfig };


export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly urn?: string;
  readonly name?: string;
  readonly type?: string;
  readonly message: string;
}

export interface PolicyReport {
  /** Sorted by policy, then URN, then message. */
  readonly violations: PolicyViolation[];
  readonly mandatory: number;
  readonly advisory: number;
}

export interface EvaluateOptions {
  /** Per-policy level and settings, the same JSON `pulumi preview --policy-pack-config` reads. */
  readonly config?: PolicyPackConfig;
  /** The stack the resources were planned for; every URN must name it. */
  readonly stack: string;
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy;
}

/** The CLI's resolution: the config's level, else the policy's, else the pack's. */
function enforcementLevel(policy: ResourceValidationPolicy | StackValidationPolicy, config: PolicyPackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
  return configured ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
}

/** The policy's settings: configured properties over the schema's defaults (the CLI fills those in too). */
function policySettings(schema: PolicyConfigSchema | undefined, entry: PolicyPackConfig[string] | undefined): Record<string, unknown> {
  const defaults = Object.entries(schema?.properties ?? {}).flatMap(([key, prop]) =>
    typeof prop === "object" && prop !== null && "default" in prop ? [[key, structuredClone(prop.default)] as const] : [],
  );
  const { enforcementLevel: _level, ...configured } = typeof entry === "object" && entry !== null ? entry : {};
  return { ...Object.fromEntries(defaults), ...configured };
}

/** Recorded inputs as the engine sends them: "[unknown]" becomes the unknown sentinel the proxy throws on. */
function revive(value: unknown): unknown {
  if (value === OFFLINE_UNKNOWN) return unknownValue;
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

function resourceOptions(r: RecordedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...(r.additionalSecretOutputs ?? [])],
    parent: r.parent || undefined,
  };
}

function isTypeOf(type: string, resourceClass: object): boolean {
  return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

/** What the engine shows a rule of one resource: who it is, and its inputs behind the unknown-checking proxy. */
function resourceView(r: RecordedResource) {
  const props = unknownCheckingProxy(revive(r.inputs) as Record<string, unknown>);
  return { type: r.type, props, urn: r.urn, name: r.name, opts: resourceOptions(r), isType: (cls: object) => isTypeOf(r.type, cls) };
}

type ResourceView = ReturnType<typeof resourceView>;

function stackResources(resources: readonly RecordedResource[], views: readonly ResourceView[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const built = resources.map((r, i) => {
    const view = views[i];
    const resource: PolicyResource = {
      ...view,
      dependencies: [],
      propertyDependencies: {},
      // Typed views of plain JSON, as the SDK's own asType returns.
      asType: <T extends Resource>(cls: object) => (view.isType(cls) ? (view.props as unknown as ResolvedResource<T>) : undefined),
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    built[i].parent = byUrn.get(r.parent);
    built[i].dependencies = r.dependsOn.flatMap((urn) => byUrn.get(urn) ?? []);
    built[i].propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([key, urns]) => [key, urns.flatMap((urn) => byUrn.get(urn) ?? [])]),
    );
  });
  return built;
}

const noStackTags: ReadonlyMap<string, string> = new Map();

/** Runs every rule of the pack on `resources` and reports what they find. */
export function evaluatePolicies(resources: readonly RecordedResource[], options: EvaluateOptions): PolicyReport {
  const foreign = resources.find((r) => stackOf(r.urn) !== options.stack);
  if (foreign) throw new Error(`evaluatePolicies: ${foreign.urn} is not a resource of stack "${options.stack}"`);
  const config = options.config ?? {};
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const violations: PolicyViolation[] = [];
  // Each resource is copied (revived) once and shared by every rule, as the CLI's analyzer hands all the pack's
  // rules the same deserialized resource; the stack rules share one view of the stack.
  const views = resources.map(resourceView);
  const stack = stackResources(resources, views);

  for (const policy of hybridlabPolicies) {
    const level = enforcementLevel(policy, config);
    if (level === "disabled") continue;
    const reported: PolicyViolation["enforcementLevel"] = level === "advisory" ? "advisory" : "mandatory";
    const settings = policySettings(policy.configSchema, config[policy.name]);
    const getConfig = <T extends object>(): T => settings as T;
    const add = (message: string, urn: string | undefined, enforcement = reported): void => {
      const r = urn === undefined ? undefined : byUrn.get(urn);
      violations.push({ policy: policy.name, enforcementLevel: enforcement, ...(urn && { urn }), ...(r && { name: r.name, type: r.type }), message });
    };
    const run = (urn: string | undefined, body: () => void): void => {
      try {
        body();
      } catch (err) {
        if (err instanceof NotApplicable) return;
        // The engine cannot run a rule on values only `pulumi up` knows; it says so as an advisory.
        if (err instanceof UnknownValueError) add(`can't run during preview: ${err.message}`, urn, "advisory");
        else throw new Error(`policy ${policy.name} failed${urn ? ` on ${urn}` : ""}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };

    if (isStackPolicy(policy)) {
      const report: ReportViolation = (message, urn) => add(message, urn);
      run(undefined, () => policy.validateStack({ resources: stack, stackTags: noStackTags, getConfig, notApplicable }, report));
      continue;
    }
    const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
    for (const [i, r] of resources.entries()) {
      const view = views[i];
      for (const validate of validations) {
        const args: ResourceValidationArgs = {
          ...view,
          stackTags: noStackTags,
          asType: <T>(cls: object) => (view.isType(cls) ? (view.props as T) : undefined),
          getConfig,
          notApplicable,
        };
        run(r.urn, () => validate(args, (message) => add(message, r.urn)));
      }
    }
  }

  violations.sort((a, b) => compare(a.policy, b.policy) || compare(a.urn ?? "", b.urn ?? "") || compare(a.message, b.message));
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return { violations, mandatory, advisory: violations.length - mandatory };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Proxmox hub's stated public address, which no resource reports: the DNS rule takes it from the estate. */
function statedHubAddresses(estate: Estate): PolicyPackConfig {
  const hub = Object.values(estate.nodes).find((node) => node.role === "hub");
  const stated = hub && isProxmoxGuest(hub) ? hub.publicAddress : undefined;
  if (stated === undefined) return {};
  return { "dns-records-point-at-hub": { statedHubAddresses: [stated.ipv4, ...(stated.ipv6 === undefined ? [] : [stated.ipv6])] } };
}

/**
 * The pack's settings that the estate already states, so nothing is typed twice: the budget, the admin CIDRs,
 * each Proxmox node's capacity and overcommit, the allowed regions (the size catalog's), which stacks count as
 * prod and which guests opted out of backups. Written to a file, it is what `--policy-pack-config` takes.
 */
export function policyConfigFromEstate(estate: Estate, stack: string): PolicyPackConfig {
  const prodStacks = estate.environment === "prod" ? [stack] : [];
  const nodes = Object.fromEntries(
    Object.values(estate.proxmox).map((site) => [site.node, { ...site.capacity, overcommit: { ...site.overcommit } }]),
  );
  const exemptVmids = proxmoxGuests(estate)
    .filter(([, guest]) => !isBackedUp(guest, estate.environment))
    .map(([, guest]) => guest.vmid)
    .sort((a, b) => a - b);
  return {
    // Without a budget (no paid node) the rule does not apply.
    "monthly-budget": estate.budget ? { monthlyBudget: estate.budget.monthly, currency: estate.budget.currency } : {},
    "ssh-only-from-admin-cidrs": { adminCidrs: [...estate.access.adminCidrs] },
    "proxmox-node-capacity": { nodes },
    "cloud-region-allowed": {
      regions: {
        hetzner: [...cloudCatalog.hetzner.regions],
        digitalocean: [...cloudCatalog.digitalocean.regions],
        azure: [...cloudCatalog.azure.regions],
      },
    },
    "proxmox-guests-protected-in-prod": { prodStacks },
    "docker-volumes-protected-in-prod": { prodStacks },
    "proxmox-guests-backed-up": { prodStacks, exemptVmids },
    ...statedHubAddresses(estate),
  };
}
