/**
 * Checks that relate one part of a well-shaped estate to another: references, uniqueness, addressing, capacity,
 * placement. Each returns every problem it finds, so a user fixes a config in one round.
 */
import type { Estate } from "../schema";
import { adoptionRules } from "./adoption";
import { capacityRules } from "./capacity";
import { appRules } from "./apps";
import { containerRules } from "./containers";
import { compositionRules, identityRules } from "./identity";
import { exposureRules } from "./exposure";
import type { EstateProblem } from "./problem";
import { providerFactRules } from "./providerFacts";
import { proxmoxRules } from "./proxmox";
import { reachabilityRules } from "./reachability";
import { accessRules, machineRules } from "./topology";
import { workerRules } from "./workers";

export type { EstateProblem } from "./problem";

/**
 * Every cross-reference problem in a schema-valid estate: machines first, then how they are reached, then apps, who
 * gets in and names, then access, then adoptions. Rules that compose the estate (the apps' deployments, their
 * rendered files, the memory their containers need) need its references to hold, so they run once the others pass.
 */
export function checkEstateRules(estate: Estate): EstateProblem[] {
  const problems = [...proxmoxRules, ...machineRules, ...reachabilityRules, ...providerFactRules, ...appRules, ...containerRules, ...workerRules, ...exposureRules, ...identityRules, ...accessRules, ...adoptionRules].flatMap((rule) => rule(estate));
  return problems.length > 0 ? problems : [...compositionRules, ...capacityRules].flatMap((rule) => rule(estate));
}
