/**
 * Stack outputs as an indented tree, like the resources above them: one line per leaf, nested objects and lists as
 * branches. Secrets are already "[secret]" in the plan document and print as such.
 */

/** A leaf as a reader wants it: plain text unless quoting is needed to see it (empty, edge spaces, line breaks). */
function leaf(value: unknown): string {
  if (typeof value === "string") return value === "" || value.trim() !== value || /[\u0000-\u001f]/.test(value) ? JSON.stringify(value) : value;
  if (Array.isArray(value)) return "[]";
  if (value !== null && typeof value === "object") return "{}";
  return String(value);
}

function entries(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((v, i) => [`[${i}]`, v]);
  return value !== null && typeof value === "object" ? Object.entries(value) : [];
}

function branch(key: string, value: unknown, prefix: string, last: boolean): string[] {
  const children = entries(value);
  const head = `${prefix}${last ? "└─ " : "├─ "}${key}`;
  if (children.length === 0) return [`${head}: ${leaf(value)}`];
  const childPrefix = prefix + (last ? "   " : "│  ");
  return [head, ...children.flatMap(([k, v], i) => branch(k, v, childPrefix, i === children.length - 1))];
}

/** The lines under "Outputs:", in the document's (sorted) key order. */
export function outputTree(outputs: Readonly<Record<string, unknown>>): string[] {
  const top = Object.entries(outputs);
  return top.flatMap(([key, value], i) => branch(key, value, "", i === top.length - 1));
}
