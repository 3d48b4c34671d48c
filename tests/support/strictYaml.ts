/**
 * Parses YAML the way a strict consumer would: a duplicate key, a syntax error or any parser warning is an error.
 * The Go tools that read our YAML (Prometheus, Alertmanager, Loki, blackbox_exporter) use YAML 1.1 semantics
 * (gopkg.in/yaml.v2), so the document is read as 1.1 too: an unquoted `yes` or `on` parses as a boolean here
 * exactly as it would there.
 */
import { parseDocument } from "yaml";

/** Returns the parsed value of `text`; throws listing every error and warning, each with its position. */
export function parseStrictYaml(text: string): unknown {
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: true, strict: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings].map((problem) => problem.message);
  if (problems.length > 0) throw new Error(`invalid YAML:\n${problems.join("\n")}`);
  return doc.toJS({ maxAliasCount: 0 });
}

/** A plain object (mapping) or a failure naming what was found instead, for walking parsed documents in tests. */
export function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A sequence or a failure naming what was found instead. */
export function asList(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a sequence, got ${JSON.stringify(value)}`);
  return value;
}
