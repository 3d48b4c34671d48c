/** The plan command as `npm run plan` runs it (package.json): the compiled CLI, rebuilt first if a source changed. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** Runs `npm run plan -- ...args` without npm's own start, in the project directory. */
export function planCommand(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ["-r", "./scripts/fresh.js", "bin/stacks/plan/cli.js", ...args], { cwd: root, encoding: "utf8" });
}
