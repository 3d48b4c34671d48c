/**
 * The layering rules (.dependency-cruiser.js) hold for the whole project, and they bite: a deliberately wrong import
 * of each kind is reported by dependency-cruiser itself.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const SOURCES = ["index.ts", "stacks", "components", "policies", "bench", "tests"];

interface Cruise {
  /** "rule: from → to" per violation. */
  readonly violations: string[];
}

function cruise(root = ROOT): Cruise {
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "--config", ".dependency-cruiser.js", "--output-type", "json", ...SOURCES], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error !== undefined || result.stdout === "") throw new Error(`dependency-cruiser could not run: ${result.error?.message ?? result.stderr}`);
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return { violations: report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`) };
}

/**
 * Cruises a copy of the project with probe modules (path relative to the project -> content) added: the working
 * tree is never touched, so nothing else running meanwhile (the build, other tests) sees a probe.
 */
function cruiseWith(files: Readonly<Record<string, string>>): Cruise {
  const copy = mkdtempSync(join(tmpdir(), "hybridlab-layering-"));
  try {
    for (const entry of [...SOURCES, "tsconfig.json", ".dependency-cruiser.js", "package.json"]) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: (source) => !source.includes("node_modules") });
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    Object.entries(files).forEach(([file, content]) => writeFileSync(join(copy, file), content));
    return cruise(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe("layering", () => {
  it("has no violation: components stand alone, no cycles, no orphans, pure renderers and policies", () => {
    expect(cruise().violations).toEqual([]);
  });

  it("reports each kind of wrong import (probe modules added to a copy of the project)", () => {
    const violations = cruiseWith({
      "components/layeringProbe.ts": 'import type { Estate } from "../stacks/estate/schema";\nexport type Probe = Estate;\n',
      "components/layeringOrphan.ts": "export const unused = 1;\n",
      "stacks/derive/layeringDead.ts": 'import { appKinds } from "../catalog/apps";\nexport const kinds = Object.keys(appKinds);\n',
      "stacks/derive/layeringProbeA.ts": 'import { b } from "./layeringProbeB";\nexport const a = (): number => b() + 1;\n',
      "stacks/derive/layeringProbeB.ts": 'import { a } from "./layeringProbeA";\nexport const b = (): number => a() - 1;\n',
      "stacks/render/layeringProbe.ts": 'import { ContainerService } from "../../components/docker/ContainerService";\nexport const probe = ContainerService;\n',
      "policies/rules/layeringProbe.ts": 'import { hybridlab } from "../../stacks/program";\nexport const probe = hybridlab;\n',
      "stacks/estate/layeringProbe.ts": 'import { hybridlab } from "../program";\nexport const probe = hybridlab;\n',
    }).violations;
    expect(violations).toEqual(
      expect.arrayContaining([
        "components-are-a-library: components/layeringProbe.ts → stacks/estate/schema.ts",
        "no-orphans: components/layeringOrphan.ts → components/layeringOrphan.ts",
        "no-dead-modules: stacks/derive/layeringDead.ts → stacks/derive/layeringDead.ts",
        "no-circular: stacks/derive/layeringProbeA.ts → stacks/derive/layeringProbeB.ts",
        expect.stringMatching(/^renderers-are-pure: stacks\/render\/layeringProbe\.ts → node_modules\/@pulumi\/docker\//),
        expect.stringMatching(/^policies-import-pure-modules: policies\/rules\/layeringProbe\.ts → /),
        "estate-before-composition: stacks/estate/layeringProbe.ts → stacks/program.ts",
      ]),
    );
  });
});
