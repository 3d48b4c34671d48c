/**
 * `npm run diagram`: redraws the prod estate's diagram in README.md, between the diagram markers.
 * tests/diagram.test.ts fails when the committed copy differs from what this would write.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { diagram } from "../stacks/plan/cli";

export const DIAGRAM_START = "<!-- diagram:prod (npm run diagram) -->";
export const DIAGRAM_END = "<!-- /diagram:prod -->";

/** The README with the block between the markers replaced by `mermaid`; throws when the markers are missing. */
export function withDiagram(readme: string, mermaid: string): string {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error(`README.md has no diagram block: put ${DIAGRAM_START} and ${DIAGRAM_END} on lines of their own`);
  return `${readme.slice(0, start + DIAGRAM_START.length)}\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n${readme.slice(end)}`;
}

/** The prod diagram as the README should hold it. */
export function prodDiagram(projectDir: string): string {
  return diagram({ configFile: "Pulumi.prod.yaml" }, projectDir);
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const file = path.join(root, "README.md");
  writeFileSync(file, withDiagram(readFileSync(file, "utf8"), prodDiagram(root)));
}
