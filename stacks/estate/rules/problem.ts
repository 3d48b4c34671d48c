/** What every estate rule returns: problems, each at a config path below `hybridlab:`. */
import type { Estate } from "../schema";

export interface EstateProblem {
  /** Path below `hybridlab:`, e.g. ["nodes", "minio", "vmid"]. */
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
}

/** One check over a schema-valid estate; it returns every problem it finds, not just the first. */
export type Rule = (estate: Estate) => EstateProblem[];

/** "expected one of: a, b" (or "none are defined"), for messages that list what would be accepted. */
export function oneOf(values: Iterable<string>): string {
  const list = [...values];
  return list.length === 0 ? "none are defined" : `expected one of: ${list.join(", ")}`;
}
