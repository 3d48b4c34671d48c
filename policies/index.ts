/**
 * The CrossGuard entry point: `pulumi preview --policy-pack policies` loads this file. Constructing the pack starts
 * the analyzer's gRPC server (and may exit the process), so this is the only place that does it; tests and the
 * offline plan import the rules from ./rules instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { hybridlabPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./rules";

new PolicyPack(PACK_NAME, {
  policies: hybridlabPolicies,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  description: "Security, reliability, cost and capacity rules for a hybridlab estate.",
});
