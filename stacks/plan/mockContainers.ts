/** Mocked outputs of the container platform's providers (Docker, remote commands). */
import type { StateFn } from "./mockProviders";

export const containerOutputs: Readonly<Record<string, StateFn>> = {};
