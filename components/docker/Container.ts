import type * as docker from "@pulumi/docker";
import { getVersion } from "@pulumi/docker/utilities";
import * as pulumi from "@pulumi/pulumi";

/** The provider's type token for a container, as `docker.Container` registers it. */
export const CONTAINER_TYPE = "docker:index/container:Container";

/**
 * A Docker container registered exactly as the provider's `docker.Container` registers it (same type, inputs and
 * plugin version; tests/dockerContainer.test.ts compares the two), with Outputs only for the inputs it is given and
 * the exit code. The provider's class makes an Output for each of its 78 properties, set or not, and the SDK holds
 * several promises and closures for each until the engine answers: in a 200-node estate that was two thirds of the
 * program's memory while it waited. The SDK never sends an unset property, so the engine sees no difference.
 */
export class Container extends pulumi.CustomResource {
  /** The container's name on its host (an input, echoed by the provider). */
  declare public readonly name: pulumi.Output<string>;
  /** A one-shot's exit code once the provider has waited for it to finish. */
  declare public readonly exitCode: pulumi.Output<number | undefined>;

  constructor(name: string, args: docker.ContainerArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
    super(CONTAINER_TYPE, name, { ...inputs, exitCode: undefined }, pulumi.mergeOptions({ version: getVersion() }, opts));
  }
}
