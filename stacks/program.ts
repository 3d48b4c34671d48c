/**
 * The hybridlab program: stack config -> validated estate -> components -> stack outputs.
 * `index.ts` hands this to the Pulumi CLI; the plan command and the tests run the very same function under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { composeEstate, type EstateOutputs } from "./compose";
import { EstateConfigError, loadEstate } from "./estate/load";
import type { Estate } from "./estate/schema";

/**
 * The config keys the stack holds encrypted. The SDK reads them from what the CLI (or `setAllConfig` under mocks)
 * passes, but keeps its accessor out of the type declarations; without it, plain-text secrets go unchecked.
 */
function secretConfigKeys(config: Readonly<Record<string, string>>): string[] | undefined {
  const { isConfigSecret } = runtimeConfig as { isConfigSecret?: (key: string) => boolean };
  return typeof isConfigSecret === "function" ? Object.keys(config).filter((key) => isConfigSecret(key)) : undefined;
}

export function hybridlab(): EstateOutputs {
  try {
    // Validation completes before the first resource is constructed: a bad config registers nothing.
    const config = pulumi.runtime.allConfig();
    const estate = loadEstate(config, secretConfigKeys(config), pulumi.getStack());
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
