/**
 * From a stack's raw config (the `namespace:key` -> string map Pulumi hands a program) to a validated estate, or
 * to every problem in it, each naming its config path.
 */
import { z } from "zod";
import { misspelledKeyProblems, namedCredentialKeys } from "./configKeys";
import { boundMessage, describeValue } from "./quote";
import { checkEstateRules, type EstateProblem } from "./rules";
import { stackProblems } from "./rules/identity";
import { problemsBesideShape } from "./partial";
import { estateSchema, type Estate } from "./schema";
import { plaintextSecretProblems, SECRET_CONFIG_KEYS } from "./secrets";
import { closest } from "./suggest";

export const CONFIG_NAMESPACE = "hybridlab";

export type EstateResult = { ok: true; estate: Estate } | { ok: false; problems: string[] };

/** Structured config values arrive JSON-encoded; plain scalars (`hybridlab:environment: prod`) do not. */
function decodeValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The `hybridlab:` keys of a Pulumi config map, decoded. Other namespaces (provider credentials) are left out. */
export function estateConfig(config: Readonly<Record<string, string>>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), decodeValue(value)]),
  );
}

/** `hybridlab:nodes.minio.networks[0].address` */
export function configPath(path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path;
  const tail = rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return head === undefined ? CONFIG_NAMESPACE : `${CONFIG_NAMESPACE}:${String(head)}${tail}`;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined), data);
}

/** The keys an object schema accepts at `path`, following records, lists, defaults and the `kind` of unions. */
function knownKeys(path: ReadonlyArray<PropertyKey>, data: unknown): string[] {
  let schema: z.ZodType = estateSchema;
  for (let depth = 0; depth <= path.length; depth++) {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodPrefault) {
      schema = schema.unwrap() as z.ZodType;
    }
    if (schema instanceof z.ZodDiscriminatedUnion) {
      const kind = (valueAt(data, path.slice(0, depth)) as { kind?: unknown } | undefined)?.kind;
      const match = (schema.options as z.ZodType[]).find((o) => o instanceof z.ZodObject && o.shape.kind instanceof z.ZodLiteral && o.shape.kind.value === kind);
      if (!match) return [];
      schema = match;
    }
    if (depth === path.length) break;
    const key = path[depth];
    if (schema instanceof z.ZodObject) schema = schema.shape[String(key)] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function isSecretPath(path: ReadonlyArray<PropertyKey>): boolean {
  return path.length > 0 && `${CONFIG_NAMESPACE}:${String(path[0])}` in SECRET_CONFIG_KEYS;
}

function shapeProblems(issue: z.core.$ZodIssue, data: unknown): EstateProblem[] {
  // A secret is never echoed, not even in part.
  const got = isSecretPath(issue.path) ? " (value hidden: it is a secret)" : ` (got ${describeValue(issue.input)})`;
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(issue.path, data);
      return issue.keys.map((key) => {
        const match = closest(key, known);
        const expected = `expected one of: ${known.join(", ")}`;
        return { path: [...issue.path, key], message: match === undefined ? `unknown key; ${expected}` : `unknown key; did you mean ${match}? (${expected})` };
      });
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      return [{ path: issue.path, message: `name ${describeValue(issue.input)} ${inner?.message ?? "is not allowed"}` }];
    }
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options)) {
        // The issue's input is the object whose discriminator (`kind`) matched nothing.
        const kind = valueAt(issue.input, [issue.path[issue.path.length - 1]]);
        return [{ path: issue.path, message: `expected one of: ${issue.options.map(String).join(", ")} (got ${describeValue(kind)})` }];
      }
      return [{ path: issue.path, message: `${issue.message}${got}` }];
    case "invalid_value": {
      const expected = `expected one of: ${issue.values.map(String).join(", ")}`;
      return [{ path: issue.path, message: issue.input === undefined ? `required: ${expected}` : `${expected}${got}` }];
    }
    case "invalid_type":
      return [{ path: issue.path, message: issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}${got}` }];
    case "too_small":
    case "too_big":
      return [{ path: issue.path, message: `${issue.message.replace(/^Too (small|big): /, "")}${typeof issue.input === "object" ? "" : got}` }];
    default:
      return [{ path: issue.path, message: `${issue.message}${typeof issue.input === "object" ? "" : got}` }];
  }
}

/** Control characters a value carried into a message, escaped: one problem stays one line, and a terminal is left alone. */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function render(problems: EstateProblem[]): string[] {
  return problems.map((p) => boundMessage(oneLine(`${configPath(p.path)}: ${p.message}`)));
}

/**
 * Parse and check an estate; on failure return every problem, one line each, config path first. `stack` (the
 * Pulumi stack the config belongs to) is checked against the environment when given.
 */
export function parseEstate(raw: Readonly<Record<string, unknown>>, stack?: string): EstateResult {
  const parsed = estateSchema.safeParse(raw, { reportInput: true });
  const rules = (estate: Estate): EstateProblem[] => [...(stack === undefined ? [] : stackProblems(estate, stack)), ...checkEstateRules(estate)];
  if (!parsed.success) {
    const shape = parsed.error.issues.flatMap((issue) => shapeProblems(issue, raw));
    return { ok: false, problems: render([...shape, ...problemsBesideShape(raw, parsed.error.issues, rules)]) };
  }
  const problems = rules(parsed.data);
  return problems.length > 0 ? { ok: false, problems: render(problems) } : { ok: true, estate: parsed.data };
}

/**
 * Checks a stack's whole config map: keys that look like typos of known ones, secrets set in plain text (when
 * `secretKeys`, the keys the stack holds encrypted, is known), then the estate itself, against its `stack` when
 * given. Every problem at once.
 */
export function checkStackConfig(config: Readonly<Record<string, string>>, secretKeys?: readonly string[], stack?: string): EstateResult {
  const raw = estateConfig(config);
  const named = namedCredentialKeys(raw);
  const keyProblems = [...misspelledKeyProblems(config, CONFIG_NAMESPACE, named), ...(secretKeys ? plaintextSecretProblems(config, secretKeys, named) : [])].map(boundMessage);
  const result = parseEstate(raw, stack);
  if (keyProblems.length === 0) return result;
  return { ok: false, problems: [...keyProblems, ...(result.ok ? [] : result.problems)] };
}

/** Thrown when the config cannot describe an estate: the message lists every problem. */
export class EstateConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the stack's hybridlab config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EstateConfigError";
  }
}

/** The estate, or an EstateConfigError listing every problem (see checkStackConfig). */
export function loadEstate(config: Readonly<Record<string, string>>, secretKeys?: readonly string[], stack?: string): Estate {
  const result = checkStackConfig(config, secretKeys, stack);
  if (!result.ok) throw new EstateConfigError(result.problems);
  return result.estate;
}
