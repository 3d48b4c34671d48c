/** The plan command exactly as `npm run plan` runs it (package.json): the compiled CLI, rebuilt first if a source changed. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");
/** `npm run plan`'s node arguments: its script with the leading `node`. */
const planArgs: string[] = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan.split(" ").slice(1);

/** Runs `npm run plan -- ...args` without npm's own start, in the project directory. */
export function planCommand(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...planArgs, ...args], { cwd: root, encoding: "utf8" });
}
