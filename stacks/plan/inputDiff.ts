/**
 * Input paths and how two sets of recorded inputs differ. Paths read as the plan writes them: `a.b` for a nested
 * input, `a[0]` for a list item (`initialization.userAccount.keys[0]`). Patterns (the change rules, and the
 * `ignoreChanges`/`replaceOnChanges` options) may use `[]` or `[*]` for any item, and `*` alone for every input.
 */
import { SECRET } from "./harness";

type Segment = string | number | "*";

function segments(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/\[(\d*|\*)\]|([^.[\]]+)/g)) {
    if (m[2] !== undefined) out.push(m[2]);
    else out.push(m[1] === "" || m[1] === "*" ? "*" : Number(m[1]));
  }
  return out;
}

function segmentMatches(pattern: Segment, actual: Segment): boolean {
  return pattern === actual || (pattern === "*" && typeof actual === "number");
}

/** True when `pattern` names `path`, one of its parents, or (a whole object added or removed) one of its children. */
export function pathOverlaps(pattern: string, path: string): boolean {
  if (pattern === "*") return true;
  const p = segments(pattern);
  const a = segments(path);
  return p.slice(0, a.length).every((s, i) => segmentMatches(s, a[i]));
}

/** True when `pattern` names `path` or one of its parents: what an `ignoreChanges` entry hides. */
export function pathCovers(pattern: string, path: string): boolean {
  const p = segments(pattern);
  const a = segments(path);
  return p.length <= a.length && p.every((s, i) => segmentMatches(s, a[i]));
}

/** Inputs with each "[secret]" replaced by its fingerprint, so a changed secret compares as changed. */
export function withSecretDigests(value: unknown, digests: Readonly<Record<string, string>>, path = ""): unknown {
  if (value === SECRET && digests[path] !== undefined) return `[secret:${digests[path]}]`;
  if (Array.isArray(value)) return value.map((v, i) => withSecretDigests(v, digests, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSecretDigests(v, digests, path ? `${path}.${k}` : k)]));
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The deepest paths at which `before` and `after` differ (an added or removed key or item is one path). */
export function changedPaths(before: unknown, after: unknown, path = "", out: string[] = []): string[] {
  const join = (key: string): string => (path ? `${path}.${key}` : key);
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length || i >= after.length) out.push(`${path}[${i}]`);
      else changedPaths(before[i], after[i], `${path}[${i}]`, out);
    }
  } else if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (!(key in before) || !(key in after)) out.push(join(key));
      else changedPaths(before[key], after[key], join(key), out);
    }
  } else if (before !== after) out.push(path);
  return out;
}
