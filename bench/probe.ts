/**
 * One plan in a fresh process, timed phase by phase, printed as one JSON line:
 *   node bin/bench/probe.js --stack NAME [--config FILE]
 * The phases are those of `plan()` in stacks/plan/cli.ts, called in the same order: load (node's start, the modules
 * and the stack file), validation, program (under mocks), policy, render (artifacts, the document, its JSON).
 * It also reports the deploy's critical path from the recorded dependency graph.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "yaml";
import { estateArtifacts } from "../stacks/artifacts";
import { estateCost } from "../stacks/derive/cost";
import { estateConfig, parseEstate } from "../stacks/estate/load";
import { parseArgs, render } from "../stacks/plan/cli";
import { planDocument } from "../stacks/plan/document";
import { runProgram } from "../stacks/plan/harness";
import { evaluatePolicies, policyConfigFromEstate } from "../stacks/plan/policy";
import { readStackConfig } from "../stacks/plan/stackFile";
import { hybridlabFor } from "../stacks/program";
import { criticalPath } from "./criticalPath";

export interface ProbeResult {
  /** Milliseconds per phase. */
  readonly phases: { load: number; validation: number; program: number; policy: number; render: number };
  readonly resources: number;
  readonly criticalPath: ReturnType<typeof criticalPath>;
}

async function probe(): Promise<ProbeResult> {
  const args = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const project = (parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
  const { config, secretKeys } = readStackConfig(readFileSync(path.resolve(root, args.configFile), "utf8"), project, args.configFile);
  // performance.now() counts from the process's start, so the first phase includes node's own start.
  const marks = [0, performance.now()];
  const checked = parseEstate(estateConfig(config));
  if (!checked.ok) throw new Error(checked.problems.join("\n"));
  marks.push(performance.now());
  const run = await runProgram(hybridlabFor(checked.estate), { project, stack: args.stack, config, secretKeys });
  marks.push(performance.now());
  const policy = evaluatePolicies(run.resources, { stack: args.stack, config: policyConfigFromEstate(checked.estate, args.stack) });
  marks.push(performance.now());
  const document = planDocument(run, estateCost(checked.estate), policy, estateArtifacts(checked.estate, args.stack));
  render(document, "json");
  marks.push(performance.now());
  const [load, validation, program, policyMs, renderMs] = marks.slice(1).map((mark, i) => mark - marks[i]);
  return { phases: { load, validation, program, policy: policyMs, render: renderMs }, resources: run.resources.length, criticalPath: criticalPath(run.resources) };
}

probe().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
