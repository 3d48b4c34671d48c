/** Mocked outputs and invokes of the cloud, DNS and mesh providers (Hetzner, DigitalOcean, Azure, Cloudflare, Tailscale). */
import type { MockCallResult } from "@pulumi/pulumi/runtime/mocks";
import type { StateFn } from "./mockProviders";

export const cloudOutputs: Readonly<Record<string, StateFn>> = {};

export const cloudCalls: Readonly<Record<string, (inputs: Record<string, unknown>) => MockCallResult>> = {};
