/**
 * Config keys outside the estate that are most likely typos: a stray `hybridlb:budget` would otherwise leave only
 * "hybridlab:budget: required" behind, and a misspelled provider credential would be ignored until the provider fails.
 */
import { SECRET_CONFIG_KEYS } from "./secrets";
import { closest } from "./suggest";

/** Provider config keys the README tells users to set, besides the secrets. */
const PROVIDER_SETTINGS = ["proxmoxve:username", "azure-native:subscriptionId", "azure-native:tenantId", "azure-native:clientId", "tailscale:oauthClientId"];

const providerKeys = [...Object.keys(SECRET_CONFIG_KEYS), ...PROVIDER_SETTINGS];

/** Namespaces this program's providers read, besides the estate's own; `pulumi:` holds the engine's settings. */
const providerNamespaces = [...new Set([...providerKeys.map((key) => key.split(":")[0]), "docker", "command", "random", "pulumi"])];

/**
 * The config keys the estate itself names as credentials (each Proxmox site's `credential`), read from its raw,
 * unvalidated config: they are provider keys like the others, and secrets.
 */
export function namedCredentialKeys(estate: Readonly<Record<string, unknown>>): string[] {
  const sites = estate.proxmox;
  if (typeof sites !== "object" || sites === null) return [];
  return Object.values(sites).flatMap((site: unknown) => {
    const key = typeof site === "object" && site !== null ? (site as { credential?: unknown }).credential : undefined;
    return typeof key === "string" ? [key] : [];
  });
}

/**
 * One problem per key whose namespace is unknown but a typo away from a known one, and per provider key a typo away
 * from a key the program or its providers read (`namedKeys`: those the estate names). `estateNamespace` is the
 * estate's own (`hybridlab`); unrelated
 * namespaces are left alone, since a stack file may configure other tools.
 */
export function misspelledKeyProblems(config: Readonly<Record<string, string>>, estateNamespace: string, namedKeys: readonly string[] = []): string[] {
  const namespaces = [estateNamespace, ...providerNamespaces];
  const problems: string[] = [];
  for (const key of Object.keys(config).sort()) {
    const [namespace, ...rest] = key.split(":");
    const name = rest.join(":");
    if (!namespaces.includes(namespace)) {
      const match = closest(namespace, namespaces);
      if (match !== undefined) problems.push(`${key}: unknown config namespace "${namespace}"; did you mean ${match}:${name}?`);
    } else if (namespace !== estateNamespace && !providerKeys.includes(key) && !namedKeys.includes(key)) {
      const match = closest(key, providerKeys.filter((known) => known.startsWith(`${namespace}:`)));
      if (match !== undefined) problems.push(`${key}: unknown ${namespace} setting; did you mean ${match}?`);
    }
  }
  return problems;
}
