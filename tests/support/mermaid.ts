/** Runs Mermaid's own parser (@mermaid-js/parser, ESM only) on a diagram, through tests/support/parseMermaid.mjs. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export interface ArchitectureAst {
  title?: string;
  groups: Array<{ id: string; icon?: string; title?: string; in?: string }>;
  services: Array<{ id: string; icon?: string; title?: string; in?: string }>;
  edges: Array<{ lhsId: string; lhsGroup?: boolean; lhsDir: string; title?: string; rhsId: string; rhsGroup?: boolean; rhsDir: string }>;
}

/** The parsed diagram; throws with the parser's own message when it rejects the text. */
export function parseArchitecture(text: string): ArchitectureAst {
  const result = spawnSync(process.execPath, [join(__dirname, "parseMermaid.mjs")], { input: text, encoding: "utf8", timeout: 60_000 });
  if (result.error !== undefined) throw new Error(`the Mermaid parser could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`Mermaid rejects the diagram: ${result.stderr}`);
  return JSON.parse(result.stdout) as ArchitectureAst;
}
