/**
 * The bulk import document `pulumi import --file` takes, for every resource the estate adopts (the `import`
 * option): the alternative to letting the first `pulumi up` import them, for users who want the CLI to import
 * the state and print the code it would write, before the program manages anything.
 *
 * Shape (https://www.pulumi.com/docs/iac/guides/migration/import/#bulk-import-operations, and the CLI's
 * `importFile`/`importSpec` in pkg/cmd/pulumi/operations/import.go):
 * `{ nameTable: {<name>: <URN>}, resources: [{type, name, logicalName, id, parent?, provider?, version?, component?}] }`.
 * `name` is the entry's handle inside the file; `logicalName` is the resource's Pulumi name, so a component and
 * its child may share one. A parent not yet in the state is listed as a `component` entry (Pulumi 3.94+), so the
 * children land under the URNs the program gives them. Explicit providers are referenced through `nameTable` by
 * URN and must already be in the state: `pulumi up --target <provider URN>` creates them without touching anything.
 */
import type { ProgramRun, RecordedResource } from "./harness";

export interface ImportSpec {
  type: string;
  /** The entry's handle in this file (unique), referenced by `parent`. */
  name: string;
  /** The resource's name in the program (the URN's last part). */
  logicalName: string;
  /** The provider's id of the object to adopt; absent on a component. */
  id?: string;
  /** Handle of the parent entry, or of a `nameTable` entry; absent: the stack. */
  parent?: string;
  /** Handle of the explicit provider in `nameTable`; absent: the default provider. */
  provider?: string;
  /** The provider plugin version the program uses. */
  version?: string;
  /** A component resource: created empty as a parent, nothing is read. */
  component?: boolean;
}

export interface ImportFile {
  /** Handles of resources already in the state (explicit providers), by URN. */
  nameTable: Record<string, string>;
  resources: ImportSpec[];
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The import document for every resource with an import id (and the components above them); resources in URN order. */
export function importFile(run: Pick<ProgramRun, "project" | "stack" | "resources">): ImportFile {
  const { resources } = run;
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const imported = resources.filter((r) => r.importId !== "");
  // Every component between an imported resource and the stack, outermost first.
  const components = new Set<string>();
  for (const r of imported) {
    for (let parent = byUrn.get(r.parent); parent && parent.type !== STACK_TYPE; parent = byUrn.get(parent.parent)) components.add(parent.urn);
  }
  const entries = [...resources.filter((r) => components.has(r.urn)), ...imported];

  // Handles: the Pulumi name where it is unique in the file, else the name with its type's last part.
  const counts = new Map<string, number>();
  for (const r of entries) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  const handle = (r: RecordedResource): string => ((counts.get(r.name) ?? 0) > 1 ? `${r.name} (${r.type.slice(r.type.lastIndexOf(":") + 1)})` : r.name);
  const handles = new Map(entries.map((r) => [r.urn, handle(r)]));

  const nameTable: Record<string, string> = {};
  const specs = entries.map((r): ImportSpec => {
    const parent = handles.get(r.parent);
    const spec: ImportSpec = { type: r.type, name: handle(r), logicalName: r.name };
    if (components.has(r.urn)) spec.component = true;
    else spec.id = r.importId;
    if (parent !== undefined) spec.parent = parent;
    // An explicit provider reference is `<URN>::<id>`.
    const provider = byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
    if (provider) {
      const key = `provider ${provider.name}`;
      nameTable[key] = provider.urn;
      spec.provider = key;
    }
    if (r.version !== "") spec.version = r.version;
    return spec;
  });
  return { nameTable: Object.fromEntries(Object.entries(nameTable).sort(([a], [b]) => (a < b ? -1 : 1))), resources: specs };
}
