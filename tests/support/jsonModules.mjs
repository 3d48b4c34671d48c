// A module loader hook: @actions/workflow-parser imports its schema JSON without `with { type: "json" }` (it is
// built for bundlers), which Node refuses; this loads such imports as JSON modules.
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json")) {
    return { format: "json", source: await readFile(new URL(url), "utf8"), shortCircuit: true };
  }
  return nextLoad(url, context);
}
