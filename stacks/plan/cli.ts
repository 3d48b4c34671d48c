/**
 * `npm run plan -- [--stack dev|prod] [--config FILE] [--format text|json|markdown|mermaid] [--out FILE] [--emit-dir DIR]
 *  [--against OLD.json] [--from-preview PREVIEW.json] [--accept-replace URN]... [--import-file FILE] [--help]`
 *
 * Runs the real program offline under Pulumi mocks and reports every resource `pulumi up` would register, and with
 * --against what would change relative to an earlier plan (or, with --from-preview, what a real preview says will
 * change). Exit codes: see HELP.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { checkStackConfig } from "../estate/load";
import { estateArtifacts, type Artifact } from "../artifacts";
import { estateCost } from "../derive/cost";
import { hybridlabFor } from "../program";
import type { Estate } from "../estate/schema";
import { AgainstError, changePreview, parseEarlierPlan } from "./against";
import { blockedChanges } from "./changes";
import { planDocument, type PlanDocument } from "./document";
import { runProgram } from "./harness";
import { importFile, type ImportFile } from "./importFile";
import { evaluatePolicies, policyConfigFromEstate, type PolicyPackConfig } from "./policy";
import { previewChanges, PreviewError } from "./preview";
import { renderMarkdown, type ChangeContext } from "./render/markdown";
import { renderMermaid } from "./render/mermaid";
import { renderText } from "./render/text";
import { readStackConfig, StackFileError } from "./stackFile";

const formats = ["text", "json", "markdown", "mermaid"] as const;
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
  /** `pulumi preview --json` output: its changes replace the offline comparison (the earlier plan, if given, still
   *  supplies the cost and policy to compare with). */
  readonly fromPreview?: string;
  /** URNs whose blocked replacement or deletion is acknowledged (repeatable `--accept-replace`). */
  readonly acceptReplace: string[];
  /** Also write the `pulumi import --file` document for the resources the estate adopts. */
  readonly importFile?: string;
}

export const USAGE =
  "usage: npm run plan -- [--stack NAME] [--config FILE] [--format text|json|markdown|mermaid] [--out FILE] [--emit-dir DIR] [--against OLD.json] [--from-preview PREVIEW.json] [--accept-replace URN]... [--import-file FILE] [--help]";

export const HELP = `${USAGE}

Runs the program offline under Pulumi's mocks and shows every resource \`pulumi up\` would register.

  --stack NAME          stack to plan (default dev; reads Pulumi.NAME.yaml)
  --config FILE         another stack file; its name sets the stack (Pulumi.NAME.yaml or NAME.yaml)
  --format FORMAT       text (default), json (the plan document), markdown (a pull-request comment with --against
                        or --from-preview) or mermaid (a diagram of the estate)
  --out FILE            write the plan to FILE instead of stdout
  --emit-dir DIR        also write every generated config file, and the policy pack's config, under DIR
  --against OLD.json    compare with an earlier --format json plan of the same stack: the change preview
  --from-preview FILE   take the changes from \`pulumi preview --json\` output instead (cost and policy still come
                        from the estate; with --against too, compared with the earlier plan's)
  --accept-replace URN  acknowledge that URN's blocked replacement or deletion (repeatable; needs --against or
                        --from-preview)
  --import-file FILE    also write the \`pulumi import --file\` document for every object the estate adopts (import:)
  --help                print this help

Exit codes:
  0  planned
  1  planned, but a mandatory policy is violated, or (with --against or --from-preview) a change would replace or delete a
     stateful resource of a prod estate or a protected resource without --accept-replace
  2  bad usage, unreadable or mismatched files, or an invalid estate: one line per problem on stderr
`;

/** `--help` or `-h` anywhere: print HELP and exit 0, whatever else is given. */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--help" || arg === "-h");
}

/** A problem with how the command was called or with the files it reads: exit 2. */
export class PlanInputError extends Error {}

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The stack a config file's name gives: `Pulumi.<stack>.yaml` names its stack, and any other `<name>.yaml` that is a
 * stack name plans as stack <name>, so `--config examples/s4-single-vps.yaml` plans a prod example as itself
 * rather than as dev (which its environment would refuse).
 */
function stackOfFile(file: string): string | undefined {
  const base = path.basename(file);
  const named = /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1];
  if (named !== undefined) return named;
  const stem = /^(.+)\.ya?ml$/.exec(base)?.[1];
  return stem !== undefined && STACK_NAME.test(stem) ? stem : undefined;
}

export function parseArgs(argv: readonly string[]): PlanArgs {
  const values: Record<string, string> = {};
  const acceptReplace: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!["--stack", "--config", "--format", "--out", "--emit-dir", "--against", "--from-preview", "--accept-replace", "--import-file"].includes(flag)) {
      throw new PlanInputError(`unknown argument "${argv[i]}"\n${USAGE}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new PlanInputError(`${flag} needs a value\n${USAGE}`);
    if (flag === "--accept-replace") acceptReplace.push(value);
    else values[flag.slice(2)] = value;
  }
  if (acceptReplace.length > 0 && values.against === undefined && values["from-preview"] === undefined) {
    throw new PlanInputError("--accept-replace acknowledges a change the preview found: it needs --against OLD.json or --from-preview PREVIEW.json");
  }
  const format = (values.format ?? "text") as Format;
  if (!formats.includes(format)) throw new PlanInputError(`--format must be one of: ${formats.join(", ")} (got "${values.format}")`);
  const unused = ["against", "from-preview", "emit-dir"].filter((key) => format === "mermaid" && values[key] !== undefined);
  if (unused.length > 0) throw new PlanInputError(`--format mermaid draws the estate only; it takes no ${unused.map((key) => `--${key}`).join(", ")}`);
  const fromFile = values.config ? stackOfFile(values.config) : undefined;
  const stack = values.stack ?? fromFile ?? "dev";
  if (!STACK_NAME.test(stack)) throw new PlanInputError(`--stack must be a stack name such as dev or prod (got "${stack}")`);
  return {
    stack,
    configFile: values.config ?? `Pulumi.${stack}.yaml`,
    format,
    out: values.out,
    emitDir: values["emit-dir"],
    against: values.against,
    fromPreview: values["from-preview"],
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
  /** What the markdown comment compares with and where its changes came from. */
  readonly changeContext: ChangeContext;
  /** What `pulumi import --file` takes: every resource the estate adopts. */
  readonly imports: ImportFile;
}

export interface StackEstate {
  readonly project: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  readonly estate: Estate;
}

/** Reads and validates a stack's estate (problems -> PlanInputError listing each). */
export function loadEstate(args: Pick<PlanArgs, "configFile"> & Partial<Pick<PlanArgs, "stack">>, projectDir: string): StackEstate {
  const project = (parse(readText(path.join(projectDir, "Pulumi.yaml"))) as { name?: string }).name ?? "hybridlab";
  const configPath = path.resolve(projectDir, args.configFile);
  const { config, secretKeys } = readStackConfig(readText(configPath), project, args.configFile);
  const checked = checkStackConfig(config, secretKeys, args.stack);
  if (!checked.ok) throw new PlanInputError(checked.problems.join("\n"));
  return { project, config, secretKeys, estate: checked.estate };
}

/** Plans a stack: validates its config, then runs the program. */
export async function plan(args: PlanArgs, projectDir: string): Promise<Plan> {
  const { project, config, secretKeys, estate } = loadEstate(args, projectDir);
  // The files compared with are read before the program runs, so a wrong one fails fast.
  const earlier = args.against
    ? parseEarlierPlan(readText(args.against, "give an earlier --format json plan"), args.against, project, args.stack)
    : undefined;
  const previewed = args.fromPreview ? previewChanges(readText(args.fromPreview, "give the output of pulumi preview --json"), args.fromPreview) : undefined;
  const run = await runProgram(hybridlabFor(estate), { project, stack: args.stack, config, secretKeys });
  const policyConfig = policyConfigFromEstate(estate, args.stack);
  const policy = evaluatePolicies(run.resources, { stack: args.stack, config: policyConfig });
  const artifacts = estateArtifacts(estate, args.stack);
  const document = planDocument(run, estateCost(estate), policy, artifacts);
  if (previewed) {
    document.changes = { ...previewed, blocked: blockedChanges(previewed, args.stack, estate.environment, args.acceptReplace) };
  } else if (earlier) {
    document.changes = changePreview(earlier, document, estate.environment, args.acceptReplace);
  }
  const changeContext: ChangeContext = { source: args.fromPreview ? "preview" : "plan", earlier: earlier && { cost: earlier.cost, policy: earlier.policy } };
  return { document, artifacts, policyConfig, changeContext, imports: importFile(run) };
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

export function render(doc: PlanDocument, format: Exclude<Format, "mermaid">, context?: ChangeContext): string {
  if (format === "json") return `${JSON.stringify(doc, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(doc, context) : renderText(doc);
}

/** The estate as a Mermaid architecture diagram: it needs the estate only, so the program is not run. */
export function diagram(args: Pick<PlanArgs, "configFile"> & Partial<Pick<PlanArgs, "stack">>, projectDir: string): string {
  const { estate } = loadEstate(args, projectDir);
  return renderMermaid(estate, estateCost(estate));
}

function write(output: string, out: string | undefined): void {
  if (out) writeFileSync(out, output);
  else process.stdout.write(output);
}

async function main(): Promise<number> {
  try {
    if (helpRequested(process.argv.slice(2))) {
      process.stdout.write(HELP);
      return 0;
    }
    const args = parseArgs(process.argv.slice(2));
    if (args.format === "mermaid") {
      write(diagram(args, process.cwd()), args.out);
      return 0;
    }
    const result = await plan(args, process.cwd());
    const doc = result.document;
    if (args.emitDir) emit(args.emitDir, result);
    if (args.importFile) writeImportFile(args.importFile, result);
    write(render(doc, args.format, result.changeContext), args.out);
    if (doc.policy.mandatory > 0) {
      process.stderr.write(`${doc.policy.mandatory} mandatory policy violation${doc.policy.mandatory === 1 ? "" : "s"}: see the plan's policy section\n`);
    }
    for (const blocked of doc.changes?.blocked ?? []) process.stderr.write(`blocked: ${blocked.message}\n`);
    return exitCode(doc);
  } catch (err) {
    if (err instanceof PlanInputError || err instanceof StackFileError || err instanceof AgainstError || err instanceof PreviewError) {
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
