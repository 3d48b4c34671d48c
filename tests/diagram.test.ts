/** The README's prod diagram is what `npm run diagram` draws now: a stale copy fails here. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DIAGRAM_END, DIAGRAM_START, prodDiagram, withDiagram } from "../scripts/diagram";

const root = path.resolve(__dirname, "..");

describe("the README diagram", () => {
  it("is the prod estate as it stands (run npm run diagram after changing Pulumi.prod.yaml)", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(readme).toBe(withDiagram(readme, prodDiagram(root)));
  });

  it("is replaced between the markers only, and a stale copy is detected", () => {
    const readme = `# x\n\n${DIAGRAM_START}\n\n\`\`\`mermaid\nold\n\`\`\`\n\n${DIAGRAM_END}\n\nafter\n`;
    const fresh = withDiagram(readme, "architecture-beta\n");
    expect(fresh).toBe(`# x\n\n${DIAGRAM_START}\n\n\`\`\`mermaid\narchitecture-beta\n\`\`\`\n\n${DIAGRAM_END}\n\nafter\n`);
    expect(withDiagram(fresh, "architecture-beta\n")).toBe(fresh);
    expect(withDiagram(fresh, "architecture-beta\n    title new\n")).not.toBe(fresh);
  });

  it("fails when the markers are missing", () => {
    expect(() => withDiagram("# x\n", "architecture-beta\n")).toThrow(`README.md has no diagram block: put ${DIAGRAM_START} and ${DIAGRAM_END} on lines of their own`);
  });
});
