/**
 * What the mocked providers answer: a stable id and the outputs a real provider would compute, so that programs
 * wiring one resource's outputs into another behave as they do under `pulumi up`. Everything is derived from the
 * resource's type and name, never from time or randomness, so plans are byte-for-byte repeatable.
 */
import { createHash } from "node:crypto";
import type { MockCallArgs, MockCallResult, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { cloudCalls, cloudOutputs } from "./mockCloud";
import { containerOutputs } from "./mockContainers";
import type { StateFn } from "./mockState";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** A stable number in [0, range) for a resource. */
export function stableNumber(seed: string, range: number): number {
  return digest(seed).readUInt32BE(0) % range;
}


/** Providers whose ids are numbers on the wire (their SDKs parse `id` as a number). */
const numericIdPackages = ["hcloud", "digitalocean"];

/** Outputs a provider computes, by type token; absent types echo their inputs. */
const computed: Readonly<Record<string, StateFn>> = {
  "random:index/randomPassword:RandomPassword": (inputs, name) => ({ result: `mock-${digest(name).toString("hex").slice(0, Number(inputs.length ?? 24))}` }),
  ...cloudOutputs,
  ...containerOutputs,
};

export function mockResourceState(args: MockResourceArgs): MockResourceResult {
  const seed = `${args.type}::${args.name}`;
  const pkg = args.type.split(":")[0];
  // An imported resource keeps the id of the object it adopts, as under `pulumi up`.
  const generated = numericIdPackages.includes(pkg) ? String(1_000_000 + stableNumber(seed, 8_999_999)) : `${args.name}-id`;
  const id = args.custom === false ? undefined : args.id || generated;
  const extra = computed[args.type]?.(args.inputs as Record<string, unknown>, args.name) ?? {};
  return { id, state: { ...args.inputs, ...extra } };
}

/** Provider functions (invokes) the program may call; anything else is a bug in the program or a missing mock. */
const calls: Readonly<Record<string, (inputs: Record<string, unknown>) => MockCallResult>> = { ...cloudCalls };

export function mockCall(args: MockCallArgs): MockCallResult {
  const fn = calls[args.token];
  if (!fn) throw new Error(`unmocked provider call ${args.token}: add it to stacks/plan/mockProviders.ts`);
  return fn(args.inputs as Record<string, unknown>);
}
