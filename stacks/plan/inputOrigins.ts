/**
 * Which input paths of a resource hold values another resource computed (its id or an output that is not an echo
 * of its own inputs). A change preview needs this: when that other resource is replaced, `pulumi preview` knows
 * none of its computed outputs yet, so every input holding one is unknown, and an unknown input that the provider
 * replaces on (a VM's `initialization.userDataFileId` holding a snippet's id) replaces the dependent too.
 *
 * The engine only reports dependencies per top-level input; the leaf paths are found by matching values, which is
 * exact under the plan's mocks (ids and computed outputs are distinct, stable strings).
 */
import { specialResourceSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** Short values ("local", "0") would match by accident; ids and computed outputs the mocks produce are longer. */
const MIN_MATCH_LENGTH = 6;

/** Every string or number leaf of an RPC-serialized value, secrets unwrapped, as strings. */
export function leafValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) leafValues(v, out);
  else if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) leafValues(obj.value, out);
    else for (const [k, v] of Object.entries(obj)) if (k !== specialSigKey) leafValues(v, out);
  } else if (typeof value === "string" || typeof value === "number") out.push(String(value));
  return out;
}

/** What a registered custom resource hands its dependents, as matchable strings. */
export interface ResourceValues {
  /** Its id and the outputs its provider computed: unknown while it is being replaced. */
  readonly computed: readonly string[];
  /** Outputs that echo its own inputs: known even while it is replaced. */
  readonly echoed: readonly string[];
}

const matchable = (values: string[]): string[] => [...new Set(values)].filter((v) => v.length >= MIN_MATCH_LENGTH);

export function resourceValues(id: string, inputs: Record<string, unknown>, state: Record<string, unknown>): ResourceValues {
  const computed = Object.keys(state).filter((key) => !(key in inputs)).map((key) => state[key]);
  return { computed: matchable([id, ...leafValues(computed)]), echoed: matchable(leafValues(inputs)) };
}

function holds(leaf: unknown, urn: string, computed: readonly string[]): boolean {
  if (leaf !== null && typeof leaf === "object") return (leaf as Record<string, unknown>)[specialSigKey] === specialResourceSig && (leaf as { urn?: unknown }).urn === urn;
  if (typeof leaf === "number") return computed.includes(String(leaf));
  return typeof leaf === "string" && computed.some((v) => leaf.includes(v));
}

/** Leaf paths under `value` (path notation as the plan's inputs: `a.b[0].c`) whose value comes from `urn`. */
function matchingPaths(value: unknown, path: string, urn: string, computed: readonly string[], out: string[]): void {
  if (holds(value, urn, computed)) out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => matchingPaths(v, `${path}[${i}]`, urn, computed, out));
  else if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) matchingPaths(obj.value, path, urn, computed, out);
    else for (const key of Object.keys(obj).sort()) if (key !== specialSigKey) matchingPaths(obj[key], `${path}.${key}`, urn, computed, out);
  }
}

/**
 * Input path -> URNs whose computed values it holds. `propertyDependencies` is what the SDK registered (top-level
 * input -> URNs); `valuesByUrn` holds the custom resources registered so far. A dependency whose value is found at
 * no leaf, neither computed nor an echo of an input (transformed beyond recognition), is kept on the top-level
 * input, so it is never lost.
 */
export function inputOrigins(
  inputs: Record<string, unknown>,
  propertyDependencies: ReadonlyMap<string, readonly string[]>,
  valuesByUrn: ReadonlyMap<string, ResourceValues>,
): Record<string, string[]> {
  const origins = new Map<string, Set<string>>();
  for (const [key, urns] of propertyDependencies) {
    for (const urn of urns) {
      const values = valuesByUrn.get(urn);
      if (!values) continue; // a component: nothing a provider could replace
      const paths: string[] = [];
      matchingPaths(inputs[key], key, urn, values.computed, paths);
      if (paths.length === 0) {
        const echoes: string[] = [];
        matchingPaths(inputs[key], key, urn, values.echoed, echoes);
        if (echoes.length === 0) paths.push(key);
      }
      for (const path of paths) origins.set(path, (origins.get(path) ?? new Set()).add(urn));
    }
  }
  return Object.fromEntries([...origins.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, urns]) => [path, [...urns].sort()]));
}
