/**
 * The plan document: what `npm run plan -- --format json` prints. Stable and documented (README, "The plan
 * document"): keys are sorted, resources are ordered by URN, secrets are "[secret]".
 */
import { createHash } from "node:crypto";
import type { Artifact } from "../artifacts";
import type { ChangePreview } from "./changeSet";
import type { CostReport } from "../derive/cost";
import type { ProgramRun } from "./harness";
import type { PolicyReport } from "./policy";

/** 2: resources carry what a change preview needs (secret fingerprints, input origins, replacement options). */
export const PLAN_FORMAT_VERSION = 2;

export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  inputs: Record<string, unknown>;
  dependsOn: string[];
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  /** Input path -> keyed fingerprint of the secret there; the value itself is never in the document. */
  secretDigests: Record<string, string>;
  /** Input path -> URNs whose id or computed outputs it holds. */
  inputDependencies: Record<string, string[]>;
  /** Only on a resource with the `import` option: the id of the existing object `pulumi up` adopts. */
  import?: string;
}

export interface PlanDocument {
  formatVersion: number;
  project: string;
  stack: string;
  /** `imports`: resources the first `pulumi up` adopts (the `import` option) rather than creates. */
  summary: { resources: number; imports: number; byType: Record<string, number> };
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  /** Monthly cost per node and in total, in the budget's currency. */
  cost: CostReport;
  /** The policy pack applied offline: every violation, with counts per enforcement level. */
  policy: PolicyReport;
  /** Every generated config file (what --emit-dir writes), by path, with its size and digest. */
  artifacts: PlanArtifact[];
  /** Only with `--against`: what changes relative to an earlier plan of the same stack. */
  changes?: ChangePreview;
}

export interface PlanArtifact {
  /** "<node>/<app>/<file>" under the emit directory. */
  path: string;
  node: string;
  app: string;
  bytes: number;
  sha256: string;
}

export function planDocument(run: ProgramRun, cost: CostReport, policy: PolicyReport, artifacts: readonly Artifact[]): PlanDocument {
  const resources = run.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent,
    inputs: r.inputs,
    dependsOn: r.dependsOn,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: r.ignoreChanges,
    replaceOnChanges: r.replaceOnChanges,
    deleteBeforeReplace: r.deleteBeforeReplace,
    secretDigests: r.secretDigests,
    inputDependencies: r.inputDependencies,
    ...(r.importId === "" ? {} : { import: r.importId }),
  }));
  const byType: Record<string, number> = {};
  for (const r of [...resources].sort((a, b) => a.type.localeCompare(b.type))) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: run.project,
    stack: run.stack,
    summary: { resources: resources.length, imports: resources.filter((r) => r.import !== undefined).length, byType },
    resources,
    outputs: run.outputs,
    cost,
    policy,
    artifacts: artifacts.map((a) => ({
      path: a.path,
      node: a.node,
      app: a.app,
      bytes: Buffer.byteLength(a.content),
      sha256: createHash("sha256").update(a.content).digest("hex"),
    })),
  };
}
