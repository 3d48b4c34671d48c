/**
 * The hybridlab program: stack config -> validated estate -> components -> stack outputs.
 * `index.ts` hands this to the Pulumi CLI; the plan command and the tests run the very same function under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { composeEstate, type EstateOutputs } from "./compose";
import { EstateConfigError, loadEstate } from "./estate/load";
import type { Estate } from "./estate/schema";

export function hybridlab(): EstateOutputs {
  try {
    // Validation completes before the first resource is constructed: a bad config registers nothing.
    const estate = loadEstate(pulumi.runtime.allConfig());
    return composeEstate(estate, pulumi.getStack());
  } catch (err) {
    // RunError prints its message without a stack trace: the user sees the config problems and nothing else.
    if (err instanceof EstateConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/**
 * The same program for an estate already validated from the stack's config: the plan command validates first (it
 * reports the problems and derives the cost and the policy settings from the estate), so the estate is not
 * validated a second time.
 */
export function hybridlabFor(estate: Estate): () => EstateOutputs {
  return () => composeEstate(estate, pulumi.getStack());
}
