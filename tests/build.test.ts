/**
 * The compiled program in bin/ (what `npm run plan` and `pulumi up` run) must never be older than its sources:
 * the build recompiles exactly what changed, removes what was deleted, and rebuilds all when the compiler options do.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

interface BuildResult {
  compiled: string[];
  removed: string[];
  files: number;
}
// Plain JavaScript: it runs before anything is compiled.
const { ensureBuilt } = require("../scripts/build") as { ensureBuilt: (root: string) => BuildResult };

describe("the build in bin/", () => {
  const root = mkdtempSync(path.join(tmpdir(), "hybridlab-build-"));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const run = () => execFileSync(process.execPath, [path.join(root, "bin/index.js")], { encoding: "utf8" });

  beforeAll(() => {
    write("tsconfig.json", '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "esModuleInterop": true } }');
    write("index.ts", 'import { greeting } from "./stacks/greeting";\nconsole.log(greeting(2));\n');
    write("stacks/greeting.ts", "export const greeting = (n: number): string => `hello ${n}`;\n");
    write("stacks/unused.ts", "export const unused: number = 1;\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("compiles every source the first time, and the result runs", () => {
    expect(ensureBuilt(root)).toEqual({ compiled: ["index.ts", "stacks/greeting.ts", "stacks/unused.ts"], removed: [], files: 3 });
    expect(run()).toBe("hello 2\n");
  });

  it("compiles nothing when nothing changed", () => {
    expect(ensureBuilt(root)).toEqual({ compiled: [], removed: [], files: 3 });
  });

  it("recompiles a changed source even when its modification time went back", () => {
    write("stacks/greeting.ts", "export const greeting = (n: number): string => `hi ${n}`;\n");
    execFileSync("touch", ["-d", "2001-01-01", path.join(root, "stacks/greeting.ts")]);
    expect(ensureBuilt(root).compiled).toEqual(["stacks/greeting.ts"]);
    expect(run()).toBe("hi 2\n");
  });

  it("removes the output of a deleted source", () => {
    rmSync(path.join(root, "stacks/unused.ts"));
    expect(ensureBuilt(root)).toEqual({ compiled: [], removed: ["stacks/unused.ts"], files: 2 });
    expect(() => readFileSync(path.join(root, "bin/stacks/unused.js"))).toThrow(/ENOENT/);
  });

  it("recompiles everything when the compiler options change", () => {
    write("tsconfig.json", '{ "compilerOptions": { "target": "ES2020", "module": "commonjs", "esModuleInterop": true } }');
    expect(ensureBuilt(root).compiled).toEqual(["index.ts", "stacks/greeting.ts"]);
  });

  it("recompiles an output that was deleted by hand", () => {
    rmSync(path.join(root, "bin/index.js"));
    expect(ensureBuilt(root).compiled).toEqual(["index.ts"]);
    expect(run()).toBe("hi 2\n");
  });
});
