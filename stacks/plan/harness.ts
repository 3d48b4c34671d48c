/**
 * Runs a Pulumi program (the whole stack, or one component) under Pulumi's mocks and records every resource it
 * registers, exactly as the engine would receive it. The plan command and the tests share this one harness.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { specialArchiveSig, specialAssetSig, specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { RegisterResourceResponse, type RegisterResourceOutputsRequest, type RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { inputOrigins, resourceValues, type ResourceValues } from "./inputOrigins";
import { mockCall, mockResourceState } from "./mockProviders";
import { secretDigests } from "./secretDigest";

/** What the secret-free records show in place of a secret value. */
export const SECRET = "[secret]";
const UNKNOWN = "[unknown]";

export interface RecordedResource {
  readonly urn: string;
  /** The provider's type token, e.g. `hcloud:index/server:Server`. */
  readonly type: string;
  readonly name: string;
  /** The parent's URN; empty for the stack itself. */
  readonly parent: string;
  readonly custom: boolean;
  /** Inputs as registered, secrets replaced by "[secret]", keys sorted. */
  readonly inputs: Record<string, unknown>;
  /** URNs this resource waits on (explicit `dependsOn` and resources referenced by its inputs). */
  readonly dependsOn: string[];
  /** Per top-level input, the URNs its value came from: what ties a firewall to the machine whose id it holds. */
  readonly propertyDependencies: Readonly<Record<string, string[]>>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly ignoreChanges: string[];
  /** Explicit provider reference (`urn::id`), if any. */
  readonly provider: string;
  /** Outputs the resource asks the engine to keep secret (`additionalSecretOutputs`). */
  readonly additionalSecretOutputs: string[];
  /** Input paths that held secrets (masked in `inputs`): tests use these to prove a value stayed secret. */
  readonly secretPaths: string[];
  /** Input path -> a keyed fingerprint of the secret there (see secretDigest.ts), so a changed secret shows as changed. */
  readonly secretDigests: Record<string, string>;
  /** Input path -> URNs whose id or computed outputs it holds (unknown in a preview when one of them is replaced). */
  readonly inputDependencies: Record<string, string[]>;
  /** The `replaceOnChanges` option: input paths whose change replaces the resource whatever the provider says. */
  readonly replaceOnChanges: string[];
  /** The `deleteBeforeReplace` option. */
  readonly deleteBeforeReplace: boolean;
  /** The `import` option: the id of the existing object the first `pulumi up` adopts; empty when it is created. */
  readonly importId: string;
  /** The provider plugin version the SDK asks for; empty for components. */
  readonly version: string;
}

export interface ProgramRun {
  readonly project: string;
  readonly stack: string;
  readonly resources: RecordedResource[];
  /** The stack's outputs, secrets replaced by "[secret]". */
  readonly outputs: Record<string, unknown>;
}

export interface RunOptions {
  readonly project?: string;
  readonly stack?: string;
  /** `namespace:key` -> value, as the Pulumi CLI hands a program its config. */
  readonly config?: Readonly<Record<string, string>>;
  /** Config keys the stack file marks secret. */
  readonly secretKeys?: readonly string[];
}

function isSig(value: Record<string, unknown>, sig: string): boolean {
  return value[specialSigKey] === sig;
}

/** Turns an RPC-serialized value into plain, deterministic JSON: secrets masked, references by URN, keys sorted. */
export function sanitize(value: unknown, path = "", secrets: string[] = []): unknown {
  if (value === unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => sanitize(v, `${path}[${i}]`, secrets));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (isSig(obj, specialSecretSig)) {
    secrets.push(path);
    return SECRET;
  }
  if (isSig(obj, specialResourceSig)) return obj.urn;
  if (isSig(obj, specialAssetSig) || isSig(obj, specialArchiveSig)) {
    const { [specialSigKey]: _sig, ...asset } = obj;
    return { asset: sanitize(asset, path, secrets) };
  }
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((key) => [key, sanitize(obj[key], path ? `${path}.${key}` : key, secrets)]),
  );
}

function propertyDependencies(req: RegisterResourceRequest): Record<string, string[]> {
  const entries: Array<[string, string[]]> = [];
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = [...new Set(deps.getUrnsList())].sort();
    if (urns.length > 0) entries.push([key, urns]);
  });
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `raw`: the request's inputs, deserialized (`req.getObject().toJavaScript()`). */
function record(req: RegisterResourceRequest, raw: Record<string, unknown>, urn: string, valuesByUrn: ReadonlyMap<string, ResourceValues>): RecordedResource {
  const secretPaths: string[] = [];
  const inputs = sanitize(raw, "", secretPaths) as Record<string, unknown>;
  const dependencies = propertyDependencies(req);
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    inputs,
    dependsOn: [...new Set(req.getDependenciesList())].sort(),
    propertyDependencies: dependencies,
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    ignoreChanges: [...req.getIgnorechangesList()].sort(),
    provider: req.getProvider(),
    additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()].sort(),
    secretPaths,
    secretDigests: secretDigests(urn, raw),
    inputDependencies: inputOrigins(raw, new Map(Object.entries(dependencies)), valuesByUrn),
    replaceOnChanges: [...req.getReplaceonchangesList()].sort(),
    deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
    importId: req.getImportid(),
    version: req.getVersion(),
  };
}

type Callback = (err: unknown, response: unknown) => void;

/**
 * Runs `program` as a stack under mocks and returns what it registered. The program runs inside a real
 * `pulumi:pulumi:Stack` root, so URNs, parents and outputs are those `pulumi up` would produce.
 */
export async function runProgram(program: () => unknown, options: RunOptions = {}): Promise<ProgramRun> {
  const project = options.project ?? "hybridlab";
  const stack = options.stack ?? "dev";
  await pulumi.runtime.setMocks({ newResource: mockResourceState, call: mockCall }, project, stack, true);
  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);

  const monitor: unknown = pulumi.runtime.getMonitor();
  if (!(monitor instanceof MockMonitor)) throw new Error("Pulumi mocks did not install a mock monitor");
  const resources: RecordedResource[] = [];
  // Custom resources' ids and outputs, to find which inputs of later resources hold them.
  const valuesByUrn = new Map<string, ResourceValues>();
  let stackOutputs: unknown = {};
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req: RegisterResourceRequest, callback: Callback) =>
    register(req, (err: unknown, response: unknown) => {
      if (!err && response instanceof RegisterResourceResponse) {
        const inputs = req.getObject()?.toJavaScript() ?? {};
        const recorded = record(req, inputs, response.getUrn(), valuesByUrn);
        resources.push(recorded);
        if (recorded.custom) valuesByUrn.set(recorded.urn, resourceValues(response.getId(), inputs, response.getObject()?.toJavaScript() ?? {}));
      }
      callback(err, response);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: RegisterResourceOutputsRequest, callback: Callback): void => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
    registerOutputs(req, callback);
  };

  // An error thrown inside the stack's init would surface as an unhandled rejection; catch it and rethrow once the
  // runtime has settled, so callers get a rejected promise (and the plan command a clean message).
  let failure: { error: unknown } | undefined;
  // The SDK captures a stack trace for every promise and resource (leak debugging, source positions), and under
  // ts-node each is source-mapped: 80% of a plan's time, for traces nothing offline shows. V8's default limit (10)
  // is lowered to none while the program runs; start node with --stack-trace-limit=N to keep them for debugging.
  const stackTraceLimit = Error.stackTraceLimit;
  if (stackTraceLimit === 10) Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return await program();
      } catch (error) {
        failure = { error };
        return {};
      }
    });
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (failure) throw failure.error;
  return {
    project,
    stack,
    resources: withEngineUrns(resources, project, stack).sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0)),
    outputs: sanitize(stackOutputs) as Record<string, unknown>,
  };
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The URN the engine gives a resource: its ancestors' types (the root stack left out) joined by `$`, then its own
 * (pulumi/pulumi `resource.NewURN`, "don't use the root stack type"). The mocks write the stack's type into
 * top-level URNs and only the nearest parent's type below, so a recorded URN is not what `pulumi up --replace`,
 * `pulumi state unprotect` or a real preview names.
 */
function engineUrn(resource: Pick<RecordedResource, "type" | "name" | "parent">, byUrn: ReadonlyMap<string, RecordedResource>, project: string, stack: string): string {
  const types = [resource.type];
  for (let parent = byUrn.get(resource.parent); parent && parent.type !== STACK_TYPE; parent = byUrn.get(parent.parent)) types.unshift(parent.type);
  return `urn:pulumi:${stack}::${project}::${types.join("$")}::${resource.name}`;
}

/** The recorded resources with every URN they hold (their own, parent, dependencies, provider) as the engine's. */
function withEngineUrns(resources: readonly RecordedResource[], project: string, stack: string): RecordedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const engine = new Map(resources.map((r) => [r.urn, engineUrn(r, byUrn, project, stack)]));
  const rename = (urn: string): string => engine.get(urn) ?? urn;
  const renameAll = (urns: readonly string[]): string[] => [...new Set(urns.map(rename))].sort();
  const renameValues = (byPath: Readonly<Record<string, string[]>>): Record<string, string[]> =>
    Object.fromEntries(Object.entries(byPath).map(([path, urns]) => [path, renameAll(urns)]));
  return resources.map((r) => ({
    ...r,
    urn: rename(r.urn),
    parent: rename(r.parent),
    dependsOn: renameAll(r.dependsOn),
    propertyDependencies: renameValues(r.propertyDependencies),
    inputDependencies: renameValues(r.inputDependencies),
    // A provider reference is `<urn>::<id>`.
    provider: r.provider === "" ? "" : r.provider.replace(/^(.*)::([^:]*)$/, (_whole, urn: string, id: string) => `${rename(urn)}::${id}`),
  }));
}

/** Resources of one type, for assertions. */
export function ofType(run: Pick<ProgramRun, "resources">, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}
