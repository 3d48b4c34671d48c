/** The shape of the plan document's `changes` section (computed by ./changes.ts). */

export type ChangeAction = "create" | "import" | "update" | "replace" | "delete";

export interface ResourceChange {
  urn: string;
  type: string;
  action: ChangeAction;
  /** Input paths that change (`a.b[0].c`, or `import` for a new import id); secrets appear as paths only. Empty for create, import and delete. */
  changedInputs: string[];
  /** The changed input paths that force the replacement; empty unless `action` is "replace". */
  replaceBecause: string[];
  /** Protected in the state (or, for a new resource, by the program): a replace or delete fails `pulumi up`. */
  protect: boolean;
  /** Holds data or identity a replacement or deletion loses (see replacements.ts). */
  stateful: boolean;
}

export interface ChangeSet {
  summary: { create: number; import: number; update: number; replace: number; delete: number; same: number };
  /** Changed resources only, ordered by URN. */
  resources: ResourceChange[];
}

/** A replacement or deletion a plan refuses until acknowledged. */
export interface BlockedChange {
  urn: string;
  action: "replace" | "delete";
  /** The input paths that force it; empty for a deletion. */
  because: string[];
  /** One line: which resource, why, and how to proceed on purpose. */
  message: string;
}

/** What the plan document's `changes` section holds. */
export interface ChangePreview extends ChangeSet {
  /** Replacements and deletions the plan refuses (exit 1) until `--accept-replace <urn>` acknowledges each. */
  blocked: BlockedChange[];
}
