/**
 * Checks that relate one part of a well-shaped estate to another: references, uniqueness, addressing, capacity,
 * placement. Each returns every problem it finds, so a user fixes a config in one round.
 */
import type { Estate } from "../schema";
import { appRules } from "./apps";
import { exposureRules } from "./exposure";
import type { EstateProblem } from "./problem";
import { proxmoxRules } from "./proxmox";
import { accessRules, machineRules } from "./topology";

export type { EstateProblem } from "./problem";

/** Every cross-reference problem in a schema-valid estate, machines first, then apps and who gets in, then access. */
export function checkEstateRules(estate: Estate): EstateProblem[] {
  return [...proxmoxRules, ...machineRules, ...appRules, ...exposureRules, ...accessRules].flatMap((rule) => rule(estate));
}
