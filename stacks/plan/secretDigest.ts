/**
 * A fingerprint of each secret input, so that a change preview can tell a changed secret from an unchanged one
 * without ever showing it.
 *
 * Why this cannot leak a value: offline, no real secret ever reaches the program. `secure:` config values are
 * ciphertext the plan cannot decrypt (each becomes a placeholder derived from the ciphertext, see stackFile.ts),
 * generated passwords and keys are the mocks' stand-ins, and what remains inside a secret (user data, a connection)
 * is built from config that is already in the repository in clear. On top of that, each digest is keyed by the
 * resource's URN and the input's path, so equal secrets in two places give unrelated fingerprints (nothing to
 * correlate, no precomputed table applies), and it is cut to 64 bits: enough that a change is never missed by
 * accident (a collision is a 2^-64 chance), too little to confirm a guess with certainty.
 */
import { createHmac } from "node:crypto";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** JSON with keys sorted at every level, so the same value always gives the same bytes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The fingerprint of one secret value at `path` of the resource `urn`. */
export function secretDigest(urn: string, path: string, value: unknown): string {
  return createHmac("sha256", `hybridlab-plan\0${urn}\0${path}`).update(canonical(value)).digest("hex").slice(0, 16);
}

/** Input path -> fingerprint, for every secret in an RPC-serialized input object (paths as `sanitize` writes them). */
export function secretDigests(urn: string, value: unknown, path = "", out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => secretDigests(urn, v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) out[path] = secretDigest(urn, path, obj.value);
    else for (const key of Object.keys(obj).sort()) if (key !== specialSigKey) secretDigests(urn, obj[key], path ? `${path}.${key}` : key, out);
  }
  return out;
}
