/** Computes the outputs a mocked provider adds to a resource's inputs (shared by the per-domain mock tables). */
export type StateFn = (inputs: Record<string, unknown>, name: string) => Record<string, unknown>;
