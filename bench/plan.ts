/**
 * Plan benchmark: wall time of the offline plan for each stack, as a user runs it (a fresh `node` process,
 * including module loading), plus the in-process time of the program under mocks. Prints figures; asserts nothing.
 *   npm run bench [-- RUNS]
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs, plan } from "../stacks/plan/cli";

const root = path.resolve(__dirname, "..");
const runs = Number(process.argv[2] ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const tsNode = require.resolve("ts-node/dist/bin.js");
  console.log(`plan benchmark: ${runs} runs per stack, median (min-max) in ms`);
  for (const stack of ["dev", "prod"]) {
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [tsNode, "--transpile-only", "stacks/plan/cli.ts", "--stack", stack, "--format", "json", "--out", "/dev/null"], { cwd: root });
      if (result.status !== 0) throw new Error(`plan ${stack} failed: ${result.stderr}`);
      cold.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const warm: number[] = [];
    let resources = 0;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      resources = (await plan(parseArgs(["--stack", stack]), root)).document.summary.resources;
      warm.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}-${Math.max(...v).toFixed(0)})`;
    console.log(`${stack.padEnd(5)} resources=${resources}  process=${fmt(cold)}  in-process=${fmt(warm)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
