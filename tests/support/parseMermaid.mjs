// Parses Mermaid architecture-beta text from stdin with the real parser (@mermaid-js/parser is ESM only, so the
// jest tests spawn this script) and prints the parsed groups, services and edges as JSON, or the parser's error.
import { parse } from "@mermaid-js/parser";

let text = "";
for await (const chunk of process.stdin) text += chunk;
try {
  const ast = await parse("architecture", text);
  const pick = (items, keys) => items.map((item) => Object.fromEntries(keys.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])));
  process.stdout.write(
    JSON.stringify({
      title: ast.title,
      groups: pick(ast.groups, ["id", "icon", "title", "in"]),
      services: pick(ast.services, ["id", "icon", "title", "in"]),
      edges: pick(ast.edges, ["lhsId", "lhsGroup", "lhsDir", "title", "rhsId", "rhsGroup", "rhsDir"]),
    }),
  );
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
