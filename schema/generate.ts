/**
 * Generated from the estate schema (stacks/estate/schema.ts), so editors and `pulumi config` know the stack keys:
 * - schema/stack.schema.json: a JSON Schema of a stack file (`Pulumi.<stack>.yaml`) for editor completion;
 * - the `config:` block of Pulumi.yaml: the `hybridlab:` keys Pulumi's project config schema can declare.
 *
 * `npm run schema` rewrites both; tests/projectConfig.test.ts fails when either is out of step with the schema.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { stringify } from "yaml";
import { CONFIG_NAMESPACE } from "../stacks/estate/load";
import { estateSchema, type EstateInput } from "../stacks/estate/schema";
import { SECRET_CONFIG_KEYS } from "../stacks/estate/secrets";

/** One line per top-level key, as `pulumi config` and an editor show it. Typed: a new key cannot go undescribed. */
export const keyDescriptions: Readonly<Record<keyof EstateInput, string>> = {
  environment: "dev or prod: prod protects stateful resources and tightens access.",
  proxmox: "Proxmox sites by name: endpoint, PVE node, storages, bridges, capacity.",
  nodes: "Machines by name: Proxmox VMs and LXCs, Hetzner, DigitalOcean and Azure nodes; `import` adopts an existing one.",
  apps: "Apps by name: kind, the node they run on, an optional public hostname.",
  dns: "The Cloudflare zone, subdomain, TTL and proxying of the public records; `import` adopts existing records.",
  tailnet: "The Tailscale tailnet: name, MagicDNS suffix, auth key expiry, groups of people; `importAcl` adopts its policy file.",
  operators: "Who may log in on every node: a Linux user name and an OpenSSH public key each.",
  access: "adminCidrs: networks allowed to reach SSH on public nodes (none: only over the tailnet); deployKey: the public key automation logs in with.",
  sso: "Single sign-on for apps with exposure sso: the identity app (Keycloak) or an external OIDC issuer and client id, allowed email domains.",
  budget: "The monthly budget (amount and EUR or USD) the cloud nodes' list prices must fit.",
  sshPrivateKey: "Secret: the private key remote commands use (pulumi config set --secret hybridlab:sshPrivateKey < key).",
  ssoClientSecret: "Secret: the external OIDC issuer's client secret (pulumi config set --secret hybridlab:ssoClientSecret ...).",
  smtpPassword: "Secret: the monitoring app's mail relay password (pulumi config set --secret hybridlab:smtpPassword ...).",
  appSecrets: "Secrets: values container apps read through secretEnv {config: <name>}, each set with pulumi config set --secret --path 'hybridlab:appSecrets.<name>'.",
  pveExporterTokens: "Secrets by site: each Proxmox VE exporter's read-only API token (pulumi config set --secret --path 'hybridlab:pveExporterTokens.<site>' ...).",
};

/** Keys whose values are secrets: a stack file holds them as `{secure: ...}`, never in plain text. */
const isSecretKey = (key: string): boolean => Object.hasOwn(SECRET_CONFIG_KEYS, `${CONFIG_NAMESPACE}:${key}`);

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; type?: unknown; items?: JsonSchema };

/** The estate's input shape (defaults make keys optional) as JSON Schema, one property per top-level key. */
function estateJsonSchema(): JsonSchema {
  return z.toJSONSchema(estateSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The JSON Schema of a stack file: `config` holds `hybridlab:<key>` entries; other namespaces (credentials) are free. */
export function stackFileSchema(): JsonSchema {
  const estate = estateJsonSchema();
  const properties: Record<string, JsonSchema> = {};
  for (const [key, schema] of Object.entries(estate.properties ?? {})) {
    const description = keyDescriptions[key as keyof EstateInput];
    const secure = { type: "object", properties: { secure: { type: "string" } }, required: ["secure"], additionalProperties: false };
    const byPath = SECRET_CONFIG_KEYS[`${CONFIG_NAMESPACE}:${key}`] === "path";
    properties[`${CONFIG_NAMESPACE}:${key}`] = !isSecretKey(key)
      ? { description, ...schema }
      : byPath
        ? { description, type: "object", propertyNames: schema.propertyNames, additionalProperties: secure }
        : { description, ...secure };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "hybridlab stack file (Pulumi.<stack>.yaml)",
    description: "Generated from stacks/estate/schema.ts by `npm run schema`; do not edit.",
    type: "object",
    properties: {
      secretsprovider: { type: "string", description: "The secrets provider: passphrase (default without Pulumi Cloud), awskms://, azurekeyvault://, gcpkms://, hashivault://." },
      encryptedkey: { type: "string", description: "The data key, encrypted by a cloud secrets provider." },
      encryptionsalt: { type: "string", description: "The passphrase secrets provider's salt." },
      environment: { description: "Pulumi ESC environments imported into this stack (provider credentials).", oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      config: {
        type: "object",
        properties,
        required: (estate.required ?? []).map((key) => `${CONFIG_NAMESPACE}:${key}`),
        // Provider credentials (proxmoxve:, hcloud:, ...) live beside the estate.
        additionalProperties: true,
      },
    },
    additionalProperties: false,
  };
}

/** A key declaration in Pulumi.yaml's `config:` block (sdk/go/common/workspace/project.json, `configTypeDeclaration`). */
export interface ProjectConfigType {
  type: "string" | "integer" | "boolean" | "array";
  description: string;
  items?: { type: "string" | "integer" | "boolean" };
}

const SIMPLE = ["string", "integer", "boolean"] as const;
type Simple = (typeof SIMPLE)[number];

function simpleType(schema: JsonSchema | undefined): Simple | undefined {
  return SIMPLE.find((t) => schema?.type === t);
}

/**
 * The keys Pulumi.yaml can declare. Pulumi's project config takes only string, integer, boolean and arrays of
 * those, and a declared key without a default is required in every stack (a default would be handed to the
 * program as if the stack set it). So: required keys of those types. The rest are objects, lists of objects or
 * optional; the stack file schema covers them.
 */
export function projectConfig(): Record<string, ProjectConfigType> {
  const estate = estateJsonSchema();
  const declared: Record<string, ProjectConfigType> = {};
  for (const key of estate.required ?? []) {
    const schema = estate.properties?.[key];
    const description = keyDescriptions[key as keyof EstateInput];
    const scalar = simpleType(schema);
    const item = schema?.type === "array" ? simpleType(schema.items) : undefined;
    if (scalar) declared[key] = { type: scalar, description };
    else if (item) declared[key] = { type: "array", description, items: { type: item } };
  }
  return declared;
}

const CONFIG_HEADER = `# Generated by \`npm run schema\` from stacks/estate/schema.ts (tests/projectConfig.test.ts keeps it in step).
# Pulumi's project config declares only required string, integer, boolean and list-of-those keys; every other
# hybridlab: key (objects such as nodes, apps, proxmox, dns, tailnet, budget; the list of operators; the optional
# secrets) is described by schema/stack.schema.json, which editors use to complete and check a stack file.
`;

/** Pulumi.yaml with its `config:` block (the file's last block) regenerated. */
export function projectFile(current: string): string {
  const start = current.search(/^(# Generated by `npm run schema`|config:)/m);
  const head = start === -1 ? current : current.slice(0, start);
  return `${head.trimEnd()}\n${CONFIG_HEADER}${stringify({ config: projectConfig() }, { lineWidth: 0 })}`;
}

export const STACK_SCHEMA_FILE = path.join(__dirname, "stack.schema.json");
export const PROJECT_FILE = path.join(__dirname, "..", "Pulumi.yaml");

/** The committed stack schema's text. */
export function stackSchemaText(): string {
  return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(STACK_SCHEMA_FILE, stackSchemaText());
  writeFileSync(PROJECT_FILE, projectFile(readFileSync(PROJECT_FILE, "utf8")));
}
