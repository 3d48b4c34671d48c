/**
 * `npm run plan -- [--stack dev|prod] [--config FILE] [--format text|json|markdown] [--out FILE] [--emit-dir DIR]
 *  [--against OLD.json [--accept-replace URN]...] [--import-file FILE] [--help]`
 *
 * Runs the real program offline under Pulumi mocks and reports every resource `pulumi up` would register, and with
 * --against what would change relative to an earlier plan. Exit codes: see HELP.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { estateConfig, parseEstate } from "../estate/load";
import { estateArtifacts, type Artifact } from "../artifacts";
import { estateCost } from "../derive/cost";
import { hybridlab } from "../program";
import { AgainstError, changePreview, parseEarlierPlan } from "./against";
import { planDocument, type PlanDocument } from "./document";
import { runProgram } from "./harness";
import { importFile, type ImportFile } from "./importFile";
import { evaluatePolicies, policyConfigFromEstate, type PolicyPackConfig } from "./policy";
import { renderMarkdown } from "./render/markdown";
import { renderText } from "./render/text";
import { readStackConfig, StackFileError } from "./stackFile";

const formats = ["text", "json", "markdown"] as const;
type Format = (typeof formats)[number];

export interface PlanArgs {
  /** Stack name; picks `Pulumi.<stack>.yaml` unless --config names another file. */
  readonly stack: string;
  readonly configFile: string;
  readonly format: Format;
  readonly out?: string;
  /** Write every generated config file, and the policy pack's config, under this directory. */
  readonly emitDir?: string;
  /** An earlier `--format json` plan of the same stack: adds the change preview. */
  readonly against?: string;
  /** URNs whose blocked replacement or deletion is acknowledged (repeatable `--accept-replace`). */
  readonly acceptReplace: string[];
  /** Also write the `pulumi import --file` document for the resources the estate adopts. */
  readonly importFile?: string;
}

export const USAGE =
  "usage: npm run plan -- [--stack NAME] [--config FILE] [--format text|json|markdown] [--out FILE] [--emit-dir DIR] [--against OLD.json [--accept-replace URN]...] [--import-file FILE] [--help]";

export const HELP = `${USAGE}

Runs the program offline under Pulumi's mocks and shows every resource \`pulumi up\` would register.

  --stack NAME          stack to plan (default dev; reads Pulumi.NAME.yaml)
  --config FILE         another stack file (a Pulumi.<stack>.yaml name also sets the stack)
  --format FORMAT       text (default), json (the plan document) or markdown (a pull-request comment)
  --out FILE            write the plan to FILE instead of stdout
  --emit-dir DIR        also write every generated config file, and the policy pack's config, under DIR
  --against OLD.json    compare with an earlier --format json plan of the same stack: the change preview
  --accept-replace URN  acknowledge that URN's blocked replacement or deletion (repeatable; needs --against)
  --import-file FILE    also write the \`pulumi import --file\` document for every object the estate adopts (import:)
  --help                print this help

Exit codes:
  0  planned
  1  planned, but a mandatory policy is violated, or (with --against) a change would replace or delete a
     stateful resource of a prod estate or a protected resource without --accept-replace
  2  bad usage, unreadable or mismatched files, or an invalid estate: one line per problem on stderr
`;

/** `--help` or `-h` anywhere: print HELP and exit 0, whatever else is given. */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--help" || arg === "-h");
}

/** A problem with how the command was called or with the files it reads: exit 2. */
export class PlanInputError extends Error {}

export function parseArgs(argv: readonly string[]): PlanArgs {
  const values: Record<string, string> = {};
  const acceptReplace: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!["--stack", "--config", "--format", "--out", "--emit-dir", "--against", "--accept-replace", "--import-file"].includes(flag)) {
      throw new PlanInputError(`unknown argument "${argv[i]}"\n${USAGE}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new PlanInputError(`${flag} needs a value\n${USAGE}`);
    if (flag === "--accept-replace") acceptReplace.push(value);
    else values[flag.slice(2)] = value;
  }
  if (acceptReplace.length > 0 && values.against === undefined) {
    throw new PlanInputError("--accept-replace acknowledges a change the preview found: it needs --against OLD.json");
  }
  const format = (values.format ?? "text") as Format;
  if (!formats.includes(format)) throw new PlanInputError(`--format must be one of: ${formats.join(", ")} (got "${values.format}")`);
  const fromFile = values.config ? /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(values.config))?.[1] : undefined;
  const stack = values.stack ?? fromFile ?? "dev";
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new PlanInputError(`--stack must be a stack name such as dev or prod (got "${stack}")`);
  return {
    stack,
    configFile: values.config ?? `Pulumi.${stack}.yaml`,
    format,
    out: values.out,
    emitDir: values["emit-dir"],
    against: values.against,
    acceptReplace: [...new Set(acceptReplace)].sort(),
    importFile: values["import-file"],
  };
}

function readText(file: string, hint = "stack files are Pulumi.<stack>.yaml beside Pulumi.yaml"): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new PlanInputError(`cannot read ${file}: no such file (${hint})`);
  }
}

export interface Plan {
  readonly document: PlanDocument;
  /** The generated config files, contents included. */
  readonly artifacts: Artifact[];
  /** What `pulumi preview --policy-pack-config` takes: the pack's thresholds, derived from the estate. */
  readonly policyConfig: PolicyPackConfig;
  /** What `pulumi import --file` takes: every resource the estate adopts. */
  readonly imports: ImportFile;
}

/** Plans a stack: validates its config (problems -> PlanInputError listing each), then runs the program. */
export async function plan(args: PlanArgs, projectDir: string): Promise<Plan> {
  const project = (parse(readText(path.join(projectDir, "Pulumi.yaml"))) as { name?: string }).name ?? "hybridlab";
  const configPath = path.resolve(projectDir, args.configFile);
  const { config, secretKeys } = readStackConfig(readText(configPath), project, args.configFile);
  // The earlier plan is checked before the program runs, so a wrong file fails at once.
  const earlier = args.against ? parseEarlierPlan(readText(args.against, "give an earlier --format json plan"), args.against, project, args.stack) : undefined;
  const checked = parseEstate(estateConfig(config));
  if (!checked.ok) throw new PlanInputError(checked.problems.join("\n"));
  const run = await runProgram(hybridlab, { project, stack: args.stack, config, secretKeys });
  const policyConfig = policyConfigFromEstate(checked.estate, args.stack);
  const policy = evaluatePolicies(run.resources, { stack: args.stack, config: policyConfig });
  const artifacts = estateArtifacts(checked.estate, args.stack);
  const document = planDocument(run, estateCost(checked.estate), policy, artifacts);
  if (earlier) document.changes = changePreview(earlier, document, checked.estate.environment, args.acceptReplace);
  return { document, artifacts, policyConfig, imports: importFile(run) };
}

/** Writes the import document; an estate that adopts nothing has none to write (exit 2). */
export function writeImportFile(file: string, result: Plan): void {
  if (result.imports.resources.length === 0) {
    throw new PlanInputError(`--import-file ${file}: the estate adopts nothing; name existing objects with import: on a node, dns.import or tailnet.importAcl`);
  }
  writeFileSync(file, `${JSON.stringify(result.imports, null, 2)}\n`);
}

/** Writes each artifact to `<dir>/<node>/<app>/<file>` and the policy config to `<dir>/policy-config.json`. */
export function emit(dir: string, result: Plan): void {
  for (const artifact of result.artifacts) {
    const file = path.join(dir, artifact.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, artifact.content);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "policy-config.json"), `${JSON.stringify(result.policyConfig, null, 2)}\n`);
}

/** 1 when a mandatory policy is violated or a change is blocked (the plan is still printed), else 0. */
export function exitCode(doc: PlanDocument): 0 | 1 {
  return doc.policy.mandatory > 0 || (doc.changes?.blocked.length ?? 0) > 0 ? 1 : 0;
}

export function render(doc: PlanDocument, format: Format): string {
  if (format === "json") return `${JSON.stringify(doc, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(doc) : renderText(doc);
}

async function main(): Promise<number> {
  try {
    if (helpRequested(process.argv.slice(2))) {
      process.stdout.write(HELP);
      return 0;
    }
    const args = parseArgs(process.argv.slice(2));
    const result = await plan(args, process.cwd());
    const doc = result.document;
    if (args.emitDir) emit(args.emitDir, result);
    if (args.importFile) writeImportFile(args.importFile, result);
    const output = render(doc, args.format);
    if (args.out) writeFileSync(args.out, output);
    else process.stdout.write(output);
    if (doc.policy.mandatory > 0) {
      process.stderr.write(`${doc.policy.mandatory} mandatory policy violation${doc.policy.mandatory === 1 ? "" : "s"}: see the plan's policy section\n`);
    }
    for (const blocked of doc.changes?.blocked ?? []) process.stderr.write(`blocked: ${blocked.message}\n`);
    return exitCode(doc);
  } catch (err) {
    if (err instanceof PlanInputError || err instanceof StackFileError || err instanceof AgainstError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
