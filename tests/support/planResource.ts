/** A plan document's resource, built by hand for change-preview tests: every field at its "nothing set" value. */
import type { PlanResource } from "../../stacks/plan/document";

export const urnOf = (type: string, name: string): string => `urn:pulumi:prod::hybridlab::${type}::${name}`;

export function planResource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}): PlanResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    parent: "",
    inputs,
    dependsOn: [],
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    secretDigests: {},
    inputDependencies: {},
    ...extra,
  };
}
