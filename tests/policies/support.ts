/** Builds recorded resources for policy tests and runs the pack on them through the offline evaluator. */
import type { RecordedResource } from "../../stacks/plan/harness";
import { evaluatePolicies, type PolicyPackConfig, type PolicyViolation } from "../../stacks/plan/policy";

export interface ResourceExtras {
  readonly stack?: string;
  readonly protect?: boolean;
  readonly dependsOn?: string[];
  /** Per input, the URNs its value came from (also added to dependsOn, as the engine does). */
  readonly propertyDependencies?: Record<string, string[]>;
  readonly additionalSecretOutputs?: string[];
  readonly ignoreChanges?: string[];
}

export function urnOf(type: string, name: string, stack = "prod"): string {
  return `urn:pulumi:${stack}::hybridlab::${type}::${name}`;
}

export function resource(type: string, name: string, inputs: Record<string, unknown>, extras: ResourceExtras = {}): RecordedResource {
  return {
    urn: urnOf(type, name, extras.stack),
    type,
    name,
    parent: "",
    custom: true,
    inputs,
    dependsOn: [...new Set([...(extras.dependsOn ?? []), ...Object.values(extras.propertyDependencies ?? {}).flat()])].sort(),
    propertyDependencies: extras.propertyDependencies ?? {},
    protect: extras.protect ?? false,
    retainOnDelete: false,
    ignoreChanges: extras.ignoreChanges ?? [],
    provider: "",
    secretPaths: [],
    secretDigests: {},
    inputDependencies: {},
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    importId: "",
    version: "",
    additionalSecretOutputs: extras.additionalSecretOutputs ?? [],
  };
}

/** The violations one policy reports for `resources`. */
export function check(policy: string, resources: RecordedResource[], options: { config?: PolicyPackConfig; stack?: string } = {}): PolicyViolation[] {
  const stack = options.stack ?? "prod";
  return evaluatePolicies(resources, { stack, config: options.config }).violations.filter((v) => v.policy === policy);
}

/** Just the messages, for exact assertions. */
export function messages(policy: string, resources: RecordedResource[], options: { config?: PolicyPackConfig; stack?: string } = {}): string[] {
  return check(policy, resources, options).map((v) => v.message);
}
