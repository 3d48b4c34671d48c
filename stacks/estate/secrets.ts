/**
 * Config values that must be Pulumi secrets: the estate's own (`hybridlab:sshPrivateKey`, `hybridlab:smtpPassword`,
 * `hybridlab:ssoClientSecret`, `hybridlab:pveExporterTokens`)
 * and the providers' credentials. A stack file keeps a secret encrypted (`secure:`), and Pulumi keeps it secret in
 * state and previews; the same value set without `--secret` sits in the file and in git in plain text.
 */
import { createHash } from "node:crypto";
import { fingerprint } from "./quote";

/**
 * How a secret is best set: a short value is typed at the CLI's prompt, a key file is read from stdin, and a map of
 * secrets gets each entry by its path.
 */
type SetBy = "prompt" | "file" | "path";

/** Every config key (`namespace:name`) that must hold a secret, with how to set it. */
export const SECRET_CONFIG_KEYS: Readonly<Record<string, SetBy>> = {
  "hybridlab:sshPrivateKey": "file",
  "hybridlab:smtpPassword": "prompt",
  "hybridlab:ssoClientSecret": "prompt",
  "hybridlab:appSecrets": "path",
  "hybridlab:pveExporterTokens": "path",
  "proxmoxve:password": "prompt",
  "proxmoxve:apiToken": "prompt",
  "proxmoxve:sshPrivateKey": "file",
  "hcloud:token": "prompt",
  "digitalocean:token": "prompt",
  "digitalocean:spacesSecretKey": "prompt",
  "azure-native:clientSecret": "prompt",
  "azure-native:clientCertificatePassword": "prompt",
  "cloudflare:apiToken": "prompt",
  "cloudflare:apiKey": "prompt",
  "tailscale:apiKey": "prompt",
  "tailscale:oauthClientSecret": "prompt",
};

/** The command that stores `key` encrypted; without a value on the command line the CLI prompts for it. */
export function setSecretCommand(key: string): string {
  const setBy = SECRET_CONFIG_KEYS[key];
  if (setBy === "path") return `pulumi config set --secret --path '${key}.<name>' (each entry)`;
  return setBy === "file" ? `pulumi config set --secret ${key} < path/to/private-key` : `pulumi config set --secret ${key}`;
}

/**
 * Offline, a `secure:` value cannot be decrypted; the plan hands the program this stand-in instead (still marked
 * secret). It is no credential of any kind, so a format check may accept it without accepting a bad real value.
 */
const OFFLINE_PLACEHOLDER = /^secret-placeholder-[0-9a-f]{12}$/;

export function isOfflinePlaceholder(value: string): boolean {
  return OFFLINE_PLACEHOLDER.test(value);
}

/** The stand-in for a `secure:` value: stable for the same ciphertext (same file, same plan), never the plaintext. */
export function securePlaceholder(ciphertext: string): string {
  return `secret-placeholder-${createHash("sha256").update(ciphertext).digest("hex").slice(0, 12)}`;
}

/**
 * One problem per config key that must be a secret (a known one, or one the estate names as a credential:
 * `namedSecrets`) but is set in plain text, naming the command that fixes it.
 * The value itself is never shown: only its length and fingerprint.
 */
export function plaintextSecretProblems(config: Readonly<Record<string, string>>, secretKeys: readonly string[], namedSecrets: readonly string[] = []): string[] {
  const secret = new Set(secretKeys);
  return Object.keys(config)
    .filter((key) => (key in SECRET_CONFIG_KEYS || namedSecrets.includes(key)) && !secret.has(key))
    .sort()
    .map((key) => `${key}: must be a secret but is set in plain text (${fingerprint(config[key])}, not shown); store it encrypted with: ${setSecretCommand(key)}`);
}
