/**
 * The one way an error message quotes a value from the config. A message lands in terminals, CI logs and pull-request
 * comments, so a value is shown short and never as key material: a 10 MB string is cut to its first characters, and
 * anything that looks like a private key is shown only by its length and a fingerprint.
 */
import { createHash } from "node:crypto";

/** Characters of a string shown before it is cut. */
export const QUOTED_CHARS = 60;

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-/;

/** A value's length and a short SHA-256 fingerprint, so a user can tell which value is meant without seeing it. */
export function fingerprint(value: string): string {
  return `${value.length} characters, sha256 ${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;
}

/** True for text that holds private-key material, which no message may echo. */
export function isPrivateKeyMaterial(value: string): boolean {
  return PRIVATE_KEY.test(value);
}

/** A string for a message: JSON-quoted, cut after QUOTED_CHARS characters, private keys replaced by a fingerprint. */
export function quoteValue(value: string): string {
  if (isPrivateKeyMaterial(value)) return `a private key (${fingerprint(value)}, not shown)`;
  if (value.length <= QUOTED_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, QUOTED_CHARS))}... (${value.length} characters)`;
}

/** Any config value for a message: strings quoted as above, scalars as written, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return quoteValue(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "a list" : value === null ? "null" : "an object";
}

/** Longest message a problem may be; past it, the rest is cut. */
const MESSAGE_CHARS = 1000;

/**
 * A problem message made safe to print, whoever wrote it: every double-quoted value in it goes through quoteValue
 * (cut, private keys fingerprinted), and a message still too long is cut. Rules quote the names they report as
 * `"${name}"`; this keeps them from echoing a 10 MB name without each rule having to remember.
 */
export function boundMessage(message: string): string {
  const quoted = message.replace(/"([^"]*)"/g, (whole, inner: string) => (inner.length > QUOTED_CHARS || isPrivateKeyMaterial(inner) ? quoteValue(inner) : whole));
  return quoted.length <= MESSAGE_CHARS ? quoted : `${quoted.slice(0, MESSAGE_CHARS)}... (message cut at ${MESSAGE_CHARS} of ${quoted.length} characters)`;
}
