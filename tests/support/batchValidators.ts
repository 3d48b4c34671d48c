/**
 * The real validators, run once over many files: what a fuzz test needs when one process per file would take
 * minutes. Each returns the problems per file, in the order given, `[]` for a valid one.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLOUD_INIT_KNOWN_KEYS_PY, runValidator } from "./validators";

/** Writes each content to its own file in a fresh directory, calls `fn` with the paths, then removes them. */
export function withTempFiles<T>(name: string, contents: readonly string[], fn: (paths: string[], dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "hybridlab-batch-"));
  try {
    const paths = contents.map((content, i) => {
      const path = join(dir, `${i}-${name}`);
      writeFileSync(path, content);
      return path;
    });
    return fn(paths, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// cloud-init's own validation of a user-data file (what `cloud-init schema --config-file` runs: errors and
// deprecations both fail it), plus the top-level keys its schema does not know, which it would pass silently.
const CLOUD_INIT_BATCH = `
import json, sys, yaml
from cloudinit.config.schema import SchemaValidationError, validate_cloudconfig_file
${CLOUD_INIT_KNOWN_KEYS_PY}
results = []
for path in sys.argv[1:]:
    problems = []
    try:
        validate_cloudconfig_file(path, schema)
    except SchemaValidationError as e:
        problems.append(str(e))
    except Exception as e:
        problems.append("%s: %s" % (type(e).__name__, e))
    if not problems:
        with open(path) as f:
            doc = yaml.safe_load(f)
        problems += ["%s: not a cloud-config key known to this cloud-init" % k for k in sorted(doc) if k not in known]
    results.append(problems)
print(json.dumps(results))
`;

/** cloud-init's schema validation of each user-data document, in one Python process. */
export function cloudInitProblems(documents: readonly string[]): string[][] {
  if (documents.length === 0) return [];
  return withTempFiles("user-data", documents, (paths) => {
    // The interpreter cloud-init itself runs on (its shebang), where its modules and PyYAML are installed.
    const result = runValidator("cloud-init", "/usr/bin/python3", ["-c", CLOUD_INIT_BATCH, ...paths]);
    if (result.status !== 0) throw new Error(`cloud-init batch validation failed to run: ${result.stderr}`);
    return JSON.parse(result.stdout) as string[][];
  });
}

/**
 * A tool that takes many files (`promtool check config`, `amtool check-config`) runs once over all of them; only when
 * that fails is each file checked alone, to say which failed and why (their interleaved output does not).
 */
function allThenEach(paths: readonly string[], check: (paths: readonly string[]) => { status: number; output: string }): string[][] {
  if (check(paths).status === 0) return paths.map(() => []);
  return paths.map((path) => {
    const one = check([path]);
    return one.status === 0 ? [] : [one.output.trim()];
  });
}

/** `promtool check config` over every prometheus.yml, each with the alert rules it names at `rulesPath` in place. */
export function promtoolProblems(configs: readonly string[], rules: string, rulesPath: string): string[][] {
  if (configs.length === 0) return [];
  return withTempFiles("alerts.yml", [rules], ([rulesFile]) =>
    withTempFiles("prometheus.yml", configs.map((c) => c.split(rulesPath).join(rulesFile)), (paths) =>
      allThenEach(paths, (some) => {
        const result = runValidator("prometheus", "promtool", ["check", "config", ...some]);
        return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
      }),
    ),
  );
}

/** `amtool check-config` over every alertmanager.yml. */
export function amtoolProblems(configs: readonly string[]): string[][] {
  if (configs.length === 0) return [];
  return withTempFiles("alertmanager.yml", configs, (paths) =>
    allThenEach(paths, (some) => {
      const result = runValidator("prometheus-alertmanager", "amtool", ["check-config", ...some]);
      return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
    }),
  );
}

/** `caddy validate` of each Caddyfile (one process each: Caddy takes one config). */
export function caddyProblems(caddyfiles: readonly string[]): string[][] {
  return withTempFiles("Caddyfile", caddyfiles, (paths, dir) =>
    paths.map((path) => {
      const result = runValidator("caddy", "caddy", ["validate", "--adapter", "caddyfile", "--config", path], { env: { HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir } });
      const output = `${result.stdout}\n${result.stderr}`;
      return result.status === 0 && output.includes("Valid configuration") && !/"level":"(warn|error)"/.test(output) ? [] : [output.trim()];
    }),
  );
}

/** `prometheus-blackbox-exporter --config.check` of each blackbox.yml. */
export function blackboxProblems(configs: readonly string[]): string[][] {
  return withTempFiles("blackbox.yml", configs, (paths) =>
    paths.map((path) => {
      const result = runValidator("prometheus-blackbox-exporter", "prometheus-blackbox-exporter", ["--config.check", `--config.file=${path}`]);
      return result.status === 0 ? [] : [`${result.stdout}\n${result.stderr}`.trim()];
    }),
  );
}

/** `bash -n` of each script: it parses, so no value broke out of its quoting. */
export function bashProblems(scripts: readonly string[]): string[][] {
  return withTempFiles("bootstrap.sh", scripts, (paths) =>
    paths.map((path) => {
      const result = runValidator("bash", "bash", ["-n", path]);
      return result.status === 0 ? [] : [result.stderr.trim()];
    }),
  );
}
