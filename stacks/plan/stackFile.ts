/**
 * Reads a Pulumi stack file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands its config to a program: each
 * `namespace:key` maps to a string (structured values JSON-encoded), and `secure:` values are secrets. Offline there
 * is no key to decrypt them, so each becomes a stable placeholder that is still marked secret.
 *
 * The CLI reads the file with Go's gopkg.in/yaml.v3, and this reader accepts and refuses the same: CRLF line endings,
 * anchors, aliases and merge keys (`<<`) are fine; a duplicate key, a tab used for indentation or an alias to an
 * anchor that does not exist is an error, and so is a key that is not `namespace:name`. Where the CLI would silently keep one of two spellings of the same key
 * (`budget` and `hybridlab:budget`), this reader refuses both.
 */
import { parseDocument } from "yaml";
import { quoteValue } from "../estate/quote";
import { SECRET_CONFIG_KEYS, securePlaceholder } from "../estate/secrets";

export interface StackConfig {
  /** `namespace:key` -> value, as the CLI passes it to the program. */
  readonly config: Record<string, string>;
  /**
   * Keys holding a secret anywhere in their value; a map of secrets (set entry by entry with `--path`) only when every
   * entry is one, since the CLI would call the whole key secret while a plain entry sits in the file.
   */
  readonly secretKeys: string[];
}

export class StackFileError extends Error {}

function isSecure(value: unknown): value is { secure: string } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

function replaceSecure(value: unknown, found: { secret: boolean; plain: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    return securePlaceholder(value.secure);
  }
  if (value === null || typeof value !== "object") found.plain = true;
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, found)]));
  }
  return value;
}

/**
 * A stack file key as the CLI names it: `namespace:name`, `name` (the project's namespace) or the old
 * `namespace:config:name`; anything else is refused, as the CLI's config.ParseKey refuses it.
 */
function configKey(key: string, project: string): string | undefined {
  const parts = key.split(":");
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 2) return key;
  return parts.length === 3 && parts[1] === "config" && /^[A-Za-z_.][A-Za-z0-9_.-]*$/.test(parts[2]) ? `${parts[0]}:${parts[2]}` : undefined;
}

/**
 * Integers as yaml.v3 reads them (it drops `_` and parses with Go's base prefixes): `16_384`, `0x1F`, `0b101`, `0o17`
 * and, kept from YAML 1.1, `0755` as octal. The YAML 1.2 core schema would read `16_384` as a string and `0755` as
 * 755, so the estate would see other values than `pulumi up` does. A leading-zero number with an 8 or 9 in it is no
 * octal there either, and falls through to the decimal it reads as.
 */
const goInteger = {
  identify: (value: unknown): boolean => typeof value === "number" && Number.isInteger(value),
  default: true,
  tag: "tag:yaml.org,2002:int",
  test: /^[-+]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]+|[1-9][0-9_]*|0)$/,
  resolve(text: string): number {
    const digits = text.replace(/_/g, "");
    const sign = digits.startsWith("-") ? -1 : 1;
    const body = digits.replace(/^[-+]/, "");
    const radix = /^0[xX]/.test(body) ? 16 : /^0[bB]/.test(body) ? 2 : /^0[oO]?[0-7]/.test(body) ? 8 : 10;
    return sign * parseInt(radix === 10 ? body : body.replace(/^0[xXbBoO]?/, "") || "0", radix);
  },
};

/** The document as plain data, or a StackFileError quoting each syntax error with the offending lines and a caret. */
function parseStackYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: true, customTags: (tags) => [goInteger, ...tags] });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => error.message.trimEnd());
    throw new StackFileError(`${source}: not valid YAML:\n${errors.join("\n\n")}`);
  }
  try {
    return doc.toJS() ?? {};
  } catch (err) {
    // An alias whose anchor is missing is only found when the document is resolved.
    throw new StackFileError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
}

export function readStackConfig(text: string, project: string, source: string): StackConfig {
  const doc = parseStackYaml(text, source);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new StackFileError(`${source}: expected a YAML map with a 'config:' key`);
  const raw = (doc as { config?: unknown }).config ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new StackFileError(`${source}: 'config' must be a map of namespace:key to value`);

  const config: Record<string, string> = {};
  const spelledAs = new Map<string, string>();
  const keyProblems: string[] = [];
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = configKey(key, project);
    if (fullKey === undefined) {
      keyProblems.push(`${source}: could not parse ${quoteValue(key)} as a configuration key (configuration keys should be of the form <namespace>:<name>)`);
      continue;
    }
    const earlier = spelledAs.get(fullKey);
    if (earlier !== undefined) keyProblems.push(`${source}: config keys ${quoteValue(earlier)} and ${quoteValue(key)} are the same key, ${quoteValue(fullKey)} (a key without a namespace belongs to the project); keep one`);
    spelledAs.set(fullKey, key);
    const found = { secret: false, plain: false };
    const plain = replaceSecure(value, found);
    config[fullKey] = typeof plain === "string" ? plain : typeof plain === "object" && plain !== null ? JSON.stringify(plain) : String(plain);
    if (found.secret && !(SECRET_CONFIG_KEYS[fullKey] === "path" && found.plain)) secretKeys.push(fullKey);
  }
  if (keyProblems.length > 0) throw new StackFileError(keyProblems.join("\n"));
  return { config, secretKeys: secretKeys.sort() };
}
