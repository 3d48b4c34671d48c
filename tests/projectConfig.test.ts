/**
 * Pulumi.yaml's `config:` block and schema/stack.schema.json are generated from the estate schema; these tests fail
 * when either is out of step (run `npm run schema`), and check both against what Pulumi and JSON Schema accept.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { PROJECT_FILE, projectFile, STACK_SCHEMA_FILE, stackSchemaText } from "../schema/generate";
import { estateSchema } from "../stacks/estate/schema";

const root = path.resolve(__dirname, "..");

describe("Pulumi.yaml's config block", () => {
  const text = readFileSync(PROJECT_FILE, "utf8");
  const config = (parse(text) as { config: Record<string, Record<string, unknown>> }).config;

  it("is in step with the estate schema (npm run schema rewrites it)", () => {
    expect(text).toBe(projectFile(text));
  });

  it("declares keys as Pulumi's project schema allows: type string|integer|boolean|array (with items), description", () => {
    // sdk/go/common/workspace/project.json, $defs.configTypeDeclaration (additionalProperties: false).
    const allowed = ["type", "items", "description", "secret", "default"];
    for (const [key, declaration] of Object.entries(config)) {
      expect([key, Object.keys(declaration).filter((k) => !allowed.includes(k))]).toEqual([key, []]);
      expect(["string", "integer", "boolean", "array"]).toContain(declaration.type);
      if (declaration.type === "array") expect(declaration.items).toMatchObject({ type: expect.stringMatching(/^(string|integer|boolean)$/) });
      expect(typeof declaration.description).toBe("string");
    }
  });

  it("declares environment, the one key every stack must set that Pulumi can type, with the schema's values", () => {
    expect(config).toEqual({ environment: { type: "string", description: "dev or prod: prod protects stateful resources and tightens access." } });
    expect(estateSchema.shape.environment.options).toEqual(["dev", "prod"]);
  });
});

describe("schema/stack.schema.json", () => {
  const text = readFileSync(STACK_SCHEMA_FILE, "utf8");
  // An independent reading of the JSON Schema (zod's JSON Schema interpreter), to validate real stack files with it.
  const validator = z.fromJSONSchema(JSON.parse(text));
  const stackFile = (name: string): Record<string, unknown> => parse(readFileSync(path.join(root, name), "utf8")) as Record<string, unknown>;

  it("is in step with the estate schema (npm run schema rewrites it)", () => {
    expect(text).toBe(stackSchemaText());
  });

  it("describes every hybridlab: key, secrets as secure: values", () => {
    const schema = JSON.parse(text) as { properties: { config: { properties: Record<string, { description?: string }>; required: string[] } } };
    const keys = Object.keys(schema.properties.config.properties);
    expect(keys).toEqual(Object.keys(estateSchema.shape).map((k) => `hybridlab:${k}`));
    expect(keys.filter((k) => !schema.properties.config.properties[k].description)).toEqual([]);
    expect(schema.properties.config.required).toEqual(["hybridlab:environment", "hybridlab:operators", "hybridlab:access"]);
    expect(schema.properties.config.properties["hybridlab:smtpPassword"]).toMatchObject({ required: ["secure"] });
  });

  it.each(["Pulumi.dev.yaml", "Pulumi.prod.yaml"])("accepts the shipped %s", (file) => {
    const result = validator.safeParse(stackFile(file));
    expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
  });

  it.each<[string, (config: Record<string, unknown>) => void, string]>([
    ["an unknown node key", (c) => ((c["hybridlab:nodes"] as Record<string, Record<string, unknown>>).hub.colour = "red"), "config.hybridlab:nodes.hub"],
    ["a plain-text secret", (c) => (c["hybridlab:smtpPassword"] = "hunter2"), "config.hybridlab:smtpPassword"],
    ["a Proxmox import id in the wrong form", (c) => ((c["hybridlab:nodes"] as Record<string, Record<string, unknown>>).minio.import = "200"), "config.hybridlab:nodes.minio"],
  ])("refuses %s", (_case, change, at) => {
    const file = stackFile("Pulumi.dev.yaml");
    const config = file.config as Record<string, unknown>;
    config["hybridlab:nodes"] = { ...(config["hybridlab:nodes"] as object), hub: { kind: "hetzner", role: "hub", size: "small" }, minio: { kind: "proxmox-vm", role: "lab", site: "home", vmid: 200, cores: 1, memoryMiB: 1024, diskGiB: 10, networks: [{ bridge: "vmbr0", address: "dhcp" }] } };
    expect(validator.safeParse(file).success).toBe(true);
    change(config);
    const result = validator.safeParse(file);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(at);
  });
});
