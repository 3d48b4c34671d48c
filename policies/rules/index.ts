/**
 * Every hybridlab rule, in one list. `policies/index.ts` hands it to `new PolicyPack(...)` for the Pulumi CLI;
 * the offline plan (stacks/plan/policy.ts) evaluates the very same objects.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { capacityPolicies } from "./capacity";
import { containerPolicies } from "./containers";
import { conventionPolicies } from "./conventions";
import { costPolicies } from "./cost";
import { exposurePolicies } from "./exposure";
import { machinePolicies } from "./machines";
import { networkPolicies } from "./network";
import { reliabilityPolicies } from "./reliability";

export const PACK_NAME = "hybridlab";

/** The pack-wide level for a rule that names none (every rule here names its own). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export const hybridlabPolicies: Policies = [
  ...containerPolicies,
  ...networkPolicies,
  ...exposurePolicies,
  ...machinePolicies,
  ...reliabilityPolicies,
  ...capacityPolicies,
  ...costPolicies,
  ...conventionPolicies,
];
