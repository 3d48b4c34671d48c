/**
 * Reads a Pulumi stack file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands its config to a program: each
 * `namespace:key` maps to a string (structured values JSON-encoded), and `secure:` values are secrets. Offline there
 * is no key to decrypt them, so each becomes a stable placeholder that is still marked secret.
 */
import { createHash } from "node:crypto";
import { parse } from "yaml";

export interface StackConfig {
  /** `namespace:key` -> value, as the CLI passes it to the program. */
  readonly config: Record<string, string>;
  /** Keys holding a secret anywhere in their value. */
  readonly secretKeys: string[];
}

export class StackFileError extends Error {}

function isSecure(value: unknown): value is { secure: string } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

/** The stand-in for a `secure:` value: stable for the same ciphertext, recognisable, never the plaintext. */
export function securePlaceholder(ciphertext: string): string {
  return `secret-placeholder-${createHash("sha256").update(ciphertext).digest("hex").slice(0, 12)}`;
}

function replaceSecure(value: unknown, found: { secret: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    return securePlaceholder(value.secure);
  }
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, found)]));
  }
  return value;
}

export function readStackConfig(text: string, project: string, source: string): StackConfig {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true }) ?? {};
  } catch (err) {
    throw new StackFileError(`${source}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new StackFileError(`${source}: expected a YAML map with a 'config:' key`);
  const raw = (doc as { config?: unknown }).config ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new StackFileError(`${source}: 'config' must be a map of namespace:key to value`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const found = { secret: false };
    const plain = replaceSecure(value, found);
    config[fullKey] = typeof plain === "string" ? plain : typeof plain === "object" && plain !== null ? JSON.stringify(plain) : String(plain);
    if (found.secret) secretKeys.push(fullKey);
  }
  return { config, secretKeys: secretKeys.sort() };
}
