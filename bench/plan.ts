/**
 * Plan benchmark: prints a table, then the same figures as JSON. Measures, never asserts.
 *   npm run bench [-- --runs N] [--sizes 10,50,100,200] [--with-tests]
 *
 * - floor: a one-resource Pulumi program under the same mocks (bench/floor.ts), in a fresh process;
 * - dev and prod plans: the command `npm run plan` runs (without npm's own start), in a fresh process each;
 *   floor, dev and prod take turns within each round, so each ratio compares runs made side by side, and the
 *   reported ratio is the median of the rounds' ratios;
 * - per-phase times of dev and prod (bench/probe.ts), medians;
 * - scaling: generated estates (bench/estateGenerator.ts) of each size, planned once each, and the growth exponent
 *   between 50 and 200 nodes, of the wall time and of the time above the floor;
 * - the deploy's critical path of dev and prod (bench/criticalPath.ts);
 * - with --with-tests, the wall time of `npm test`.
 * Wall time by the clock around the child process; CPU time (user + system) and peak RSS by /usr/bin/time (GNU
 * time's %U, %S and %M): on a machine shared with other work, CPU time shows the cost apart from the waiting.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatedStackFile } from "./estateGenerator";
import type { ProbeResult } from "./probe";

const root = path.resolve(__dirname, "../..");
/** `npm run plan`'s node arguments (its script in package.json without the leading `node`), for a JSON plan. */
const PLAN = [...(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan.split(" ").slice(1), "--format", "json"];

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
}

function options(argv: readonly string[]): { runs: number; sizes: number[]; withTests: boolean } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i < 0 ? undefined : argv[i + 1];
  };
  const runs = Number(value("--runs") ?? 5);
  const sizes = (value("--sizes") ?? "10,50,100,200").split(",").map(Number);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${value("--runs")}`);
  if (sizes.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--sizes must list node counts >= 2, got ${value("--sizes")}`);
  return { runs, sizes, withTests: argv.includes("--with-tests") };
}

/** Runs `node args` in the project directory under GNU time; throws with its stderr if it fails. */
function measure(args: readonly string[], command = process.execPath): Sample {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hybridlab-bench-"));
  const rssFile = path.join(dir, "rss");
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "-o", rssFile, command, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    const [user, system, rssKiB] = (readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "").split(" ").map(Number);
    return { wallMs, cpuMs: (user + system) * 1000, peakRssMiB: rssKiB / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

function probe(stack: string, runs: number): ProbeResult & { phasesMedianMs: ProbeResult["phases"] } {
  const results: ProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ["bin/bench/probe.js", "--stack", stack], { cwd: root, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`probe ${stack} failed: ${result.stderr}`);
    results.push(JSON.parse(result.stdout) as ProbeResult);
  }
  const phase = (key: keyof ProbeResult["phases"]) => round(median(results.map((r) => r.phases[key])));
  return { ...results[0], phasesMedianMs: { load: phase("load"), validation: phase("validation"), program: phase("program"), policy: phase("policy"), render: phase("render") } };
}

function main(): void {
  const { runs, sizes, withTests } = options(process.argv.slice(2));
  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverage1m: round(os.loadavg()[0], 2),
    date: new Date().toISOString(),
  };

  const stacks = ["dev", "prod"] as const;
  const floor: Sample[] = [];
  const plans: Record<(typeof stacks)[number], Sample[]> = { dev: [], prod: [] };
  for (let i = 0; i < runs; i++) {
    floor.push(measure(["bin/bench/floor.js"]));
    for (const stack of stacks) plans[stack].push(measure([...PLAN, "--out", "/dev/null", "--stack", stack]));
  }
  const summary = (samples: readonly Sample[]) => ({
    wallMs: round(median(samples.map((s) => s.wallMs))),
    cpuMs: round(median(samples.map((s) => s.cpuMs))),
    peakRssMiB: round(median(samples.map((s) => s.peakRssMiB))),
  });
  const probes = { dev: probe("dev", runs), prod: probe("prod", runs) };
  const planFigures = Object.fromEntries(
    stacks.map((stack) => [
      stack,
      {
        ...summary(plans[stack]),
        resources: probes[stack].resources,
        ratioToFloor: round(median(plans[stack].map((s, i) => s.wallMs / floor[i].wallMs)), 2),
        cpuRatioToFloor: round(median(plans[stack].map((s, i) => s.cpuMs / floor[i].cpuMs)), 2),
        phasesMs: probes[stack].phasesMedianMs,
      },
    ]),
  );

  const dir = mkdtempSync(path.join(os.tmpdir(), "hybridlab-estates-"));
  const floorWall = median(floor.map((s) => s.wallMs));
  const scaling = sizes.map((nodes) => {
    const [file, out] = [path.join(dir, `Pulumi.gen-${nodes}.yaml`), path.join(dir, `plan-${nodes}.json`)];
    writeFileSync(file, generatedStackFile(nodes));
    const sample = measure([...PLAN, "--out", out, "--config", file]);
    const resources = (JSON.parse(readFileSync(out, "utf8")) as { summary: { resources: number } }).summary.resources;
    return { nodes, resources, wallMs: round(sample.wallMs), cpuMs: round(sample.cpuMs), peakRssMiB: round(sample.peakRssMiB), aboveFloorMs: round(sample.wallMs - floorWall) };
  });
  rmSync(dir, { recursive: true, force: true });
  const at = (nodes: number) => scaling.find((s) => s.nodes === nodes);
  const [small, large] = [at(50), at(200)];
  const exponent = (key: "wallMs" | "aboveFloorMs" | "cpuMs") => (small && large ? round(Math.log(large[key] / small[key]) / Math.log(200 / 50), 2) : undefined);

  let npmTestMs: number | undefined;
  if (withTests) {
    const started = process.hrtime.bigint();
    const result = spawnSync("npm", ["test"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
    npmTestMs = round(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`npm test failed:\n${result.stderr}`);
  }

  const figures = {
    machine,
    runs,
    floor: summary(floor),
    plans: planFigures,
    scaling: { estates: scaling, growthExponent50to200: { wall: exponent("wallMs"), aboveFloor: exponent("aboveFloorMs"), cpu: exponent("cpuMs") } },
    criticalPath: { dev: probes.dev.criticalPath, prod: probes.prod.criticalPath },
    ...(npmTestMs === undefined ? {} : { npmTestMs }),
  };
  printTable(figures);
  console.log(JSON.stringify(figures, null, 2));
}

function printTable(f: {
  machine: Record<string, unknown>;
  runs: number;
  floor: { wallMs: number; cpuMs: number; peakRssMiB: number };
  plans: Record<string, { wallMs: number; cpuMs: number; peakRssMiB: number; resources: number; ratioToFloor: number; cpuRatioToFloor: number; phasesMs: Record<string, number> }>;
  scaling: { estates: Array<{ nodes: number; resources: number; wallMs: number; cpuMs: number; peakRssMiB: number; aboveFloorMs: number }>; growthExponent50to200: { wall?: number; aboveFloor?: number; cpu?: number } };
  criticalPath: Record<string, { depth: number; chain: string[] }>;
  npmTestMs?: number;
}): void {
  const row = (...cells: Array<string | number>) => console.log(cells.map((c, i) => (i === 0 ? String(c).padEnd(12) : String(c).padStart(11))).join(" "));
  console.log(`machine: ${f.machine.cpu}, ${f.machine.cores} cores, ${f.machine.memoryGiB} GiB, node ${f.machine.node}, load ${f.machine.loadAverage1m}, ${f.machine.date}`);
  console.log(`medians of ${f.runs} runs; floor, dev and prod alternate within each round\n`);
  row("", "wall ms", "x floor", "cpu ms", "x floor", "peak MiB", "resources", "load", "validation", "program", "policy", "render");
  row("floor", f.floor.wallMs, 1, f.floor.cpuMs, 1, f.floor.peakRssMiB, 1);
  for (const [stack, p] of Object.entries(f.plans)) row(stack, p.wallMs, p.ratioToFloor, p.cpuMs, p.cpuRatioToFloor, p.peakRssMiB, p.resources, ...Object.values(p.phasesMs));
  console.log("(phases: medians of the in-process probe, ms)");
  console.log("\nscaling (generated estates, one run each)");
  row("nodes", "resources", "wall ms", "cpu ms", "peak MiB", "above floor");
  for (const s of f.scaling.estates) row(s.nodes, s.resources, s.wallMs, s.cpuMs, s.peakRssMiB, s.aboveFloorMs);
  const growth = f.scaling.growthExponent50to200;
  console.log(`growth exponent 50 -> 200 nodes: wall ${growth.wall ?? "n/a"}, wall above the floor ${growth.aboveFloor ?? "n/a"}, cpu ${growth.cpu ?? "n/a"}`);
  for (const [stack, cp] of Object.entries(f.criticalPath)) console.log(`\ncritical path ${stack}: ${cp.depth} resources\n  ${cp.chain.join("\n  ")}`);
  if (f.npmTestMs !== undefined) console.log(`\nnpm test: ${f.npmTestMs} ms`);
  console.log("");
}

main();
