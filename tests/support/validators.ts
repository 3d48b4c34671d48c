/**
 * Runs real upstream validators (cloud-init, caddy, promtool, ...) from tests. A validator that is not installed is a
 * failure naming every validator missing on this machine and how to install them, never a silent skip: a test that
 * cannot validate has not passed.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** What a validator printed and how it exited. */
export interface ValidatorResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An upstream tool the tests run generated files through, and where it comes from. */
interface Validator {
  /** The command as tests name it (its Debian name). */
  readonly command: string;
  /** Other names of the same program: Homebrew's blackbox_exporter is Debian's prometheus-blackbox-exporter. */
  readonly aliases: readonly string[];
  readonly debianPackage: string;
  /** The Homebrew formula; cloud-init has none. */
  readonly brewFormula?: string;
}

/** Every validator the suite needs (README, "Tests"); .ci/run installs the same Debian packages. */
export const VALIDATORS: readonly Validator[] = [
  { command: "cloud-init", aliases: [], debianPackage: "cloud-init" },
  { command: "caddy", aliases: [], debianPackage: "caddy", brewFormula: "caddy" },
  { command: "promtool", aliases: [], debianPackage: "prometheus", brewFormula: "prometheus" },
  { command: "amtool", aliases: [], debianPackage: "prometheus-alertmanager", brewFormula: "alertmanager" },
  { command: "prometheus-blackbox-exporter", aliases: ["blackbox_exporter"], debianPackage: "prometheus-blackbox-exporter", brewFormula: "blackbox_exporter" },
];

function onPath(command: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The name `command` goes by on this PATH (a validator's alias if only that is installed), else `command`. */
function installedName(command: string, path: string): string {
  const validator = VALIDATORS.find((v) => v.command === command);
  return [command, ...(validator?.aliases ?? [])].find((name) => onPath(name, path)) ?? command;
}

/** The validators that neither name nor alias finds on `path`. */
export function missingValidators(path: string = process.env.PATH ?? ""): Validator[] {
  return VALIDATORS.filter((v) => ![v.command, ...v.aliases].some((name) => onPath(name, path)));
}

/** One message naming every missing validator and how to install them all, on Debian/Ubuntu and on macOS. */
export function validatorSetupMessage(missing: readonly Validator[]): string {
  const brew = missing.flatMap((v) => (v.brewFormula ? [v.brewFormula] : []));
  return [
    `${missing.length} of the ${VALIDATORS.length} validators the tests run ${missing.length === 1 ? "is" : "are"} not installed: ${missing.map((v) => v.command).join(", ")}.`,
    `  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${missing.map((v) => v.debianPackage).join(" ")}`,
    ...(brew.length > 0 ? [`  macOS: brew install ${brew.join(" ")}`] : []),
    ...(missing.some((v) => v.brewFormula === undefined) ? ["  cloud-init has no macOS package: run the suite in a Debian container (README, \"Tests\")"] : []),
  ].join("\n");
}

/**
 * Runs `command args` and returns its exit status and output. Throws when the command is missing (for a validator:
 * naming every missing validator; otherwise naming `pkg`, the Debian package that provides it), when it cannot be
 * started, or when it is killed (e.g. after the 2-minute limit).
 */
export function runValidator(pkg: string, command: string, args: string[], opts?: { env?: Record<string, string> }): ValidatorResult {
  const env = { ...process.env, ...opts?.env };
  const name = installedName(command, env.PATH ?? "");
  const result = spawnSync(name, args, { encoding: "utf8", env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const missing = missingValidators(env.PATH ?? "");
      if (missing.some((v) => v.command === command)) throw new Error(validatorSetupMessage(missing));
      throw new Error(`${command} is not installed; install the Debian package "${pkg}" (apt-get install -y --no-install-recommends ${pkg}) so this test can run it`);
    }
    throw new Error(`${command} ${args.join(" ")} could not run: ${result.error.message}`);
  }
  if (result.status === null) throw new Error(`${command} ${args.join(" ")} was killed by ${result.signal ?? "a signal"}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes `content` to a file called `name` in a fresh temporary directory, calls `fn` with its path, then removes it. */
export function withTempFile<T>(name: string, content: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "hybridlab-"));
  try {
    const path = join(dir, name);
    writeFileSync(path, content);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Lists top-level keys that the installed cloud-init's schema does not know. `cloud-init schema` (22.4) accepts
// unknown top-level keys silently, and cloud-init ignores them at boot, so a typo would pass unnoticed.
/** Python that sets `schema` (the installed cloud-init's) and `known` (every top-level key it describes). */
export const CLOUD_INIT_KNOWN_KEYS_PY = `
from cloudinit.config.schema import get_schema
schema = get_schema()
known = set(schema.get("properties", {}))
for part in schema.get("allOf", []):
    ref = part.get("$ref", "")
    if ref.startswith("#/$defs/"):
        known |= set(schema["$defs"][ref[len("#/$defs/"):]].get("properties", {}))
`;

const UNKNOWN_TOP_LEVEL_KEYS = `
import json, sys, yaml
${CLOUD_INIT_KNOWN_KEYS_PY}
with open(sys.argv[1]) as f:
    doc = yaml.safe_load(f)
print(json.dumps(sorted(k for k in (doc if isinstance(doc, dict) else {}) if k not in known)))
`;

/**
 * Validates user data with the installed cloud-init (`cloud-init schema --config-file`) and returns its problems,
 * `[]` when valid. cloud-init 22.4 exits 1 and prints "Error:" / "Cloud config schema errors: ..." on stderr for
 * invalid documents, but lists deprecations on stdout with exit 0; any error, invalid or deprecation line counts here,
 * and so does a top-level key the schema does not know.
 */
export function cloudInitSchemaProblems(document: string): string[] {
  return withTempFile("user-data", document, (file) => {
    const { status, stdout, stderr } = runValidator("cloud-init", "cloud-init", ["schema", "--config-file", file]);
    const lines = `${stdout}\n${stderr}`.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
    const problems = lines.filter((line) => /\b(invalid|errors?)\b/i.test(line) || (/deprecat/i.test(line) && !/^Cloud config schema deprecations:$/.test(line)));
    if (status !== 0 && problems.length === 0) problems.push(`cloud-init schema exited ${status}: ${lines.join(" | ")}`);
    if (problems.length === 0 && !lines.includes(`Valid cloud-config: ${file}`)) problems.push(`cloud-init schema did not report the file valid: ${lines.join(" | ")}`);
    if (problems.length > 0) return problems;

    // The interpreter cloud-init itself runs on (its shebang), where its modules and PyYAML are installed.
    const keys = runValidator("cloud-init", "/usr/bin/python3", ["-c", UNKNOWN_TOP_LEVEL_KEYS, file]);
    if (keys.status !== 0) return [`listing top-level keys failed (${keys.status}): ${keys.stderr.trim()}`];
    const unknown: unknown = JSON.parse(keys.stdout);
    return Array.isArray(unknown) ? unknown.map((key) => `${String(key)}: not a cloud-config key known to this cloud-init`) : [`unexpected key list: ${keys.stdout}`];
  });
}
