/**
 * The layering, checked by `npm test` (tests/layering.test.ts runs dependency-cruiser with this file).
 * Data flows one way: stack config -> validated estate -> pure derivations -> components -> resources.
 *
 *   index.ts -> stacks/program -> stacks/compose -> components/   (components import nothing of ours above them)
 *   stacks/estate    the schema and rules: imports no derivation, composition or plan code
 *   stacks/render    pure renderers: no Pulumi, no components, no composition
 *   policies/        rules over resources: only pure modules (no Pulumi SDK packages but @pulumi/policy)
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: the catalog describes apps and the derivations consume it, never the reverse.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "A module nothing imports is dead code (entry points, tests, configs and the bench excepted).",
      from: {
        orphan: true,
        pathNot: ["^index\\.ts$", "^tests/", "^bench/", "^policies/index\\.ts$", "\\.d\\.ts$", "(^|/)[^/]+\\.config\\.js$", "^\\.dependency-cruiser\\.js$", "^jest\\.config\\.js$", "^stacks/plan/cli\\.ts$"],
      },
      to: {},
    },
    {
      name: "no-dead-modules",
      severity: "error",
      comment:
        "Every module of the program, the plan command and the pack is reachable from one of their entry points " +
        "(components/proxmox/privileges.ts is documentation as data: the README's pveum role, checked by a test).",
      from: { path: "^(index\\.ts|stacks/plan/cli\\.ts|policies/index\\.ts)$" },
      to: { path: "^(stacks|components|policies)/", pathNot: "^(policies/index|stacks/plan/cli|components/proxmox/privileges)\\.ts$", reachable: false },
    },
    {
      name: "components-are-a-library",
      severity: "error",
      comment: "components/ takes plain typed args: it imports nothing from stacks/, policies/, tests/ or the entry point.",
      from: { path: "^components/" },
      to: { path: ["^stacks/", "^policies/", "^tests/", "^bench/", "^index\\.ts$"] },
    },
    {
      name: "estate-before-composition",
      severity: "error",
      comment: "The estate (schema and rules) is validated before anything is derived or composed.",
      from: { path: "^stacks/estate/" },
      to: { path: ["^stacks/(compose|plan)/", "^stacks/program\\.ts$", "^stacks/artifacts\\.ts$"] },
    },
    {
      name: "renderers-are-pure",
      severity: "error",
      comment: "Renderers turn plain data into text: nothing they import, directly or not, reaches a Pulumi SDK.",
      from: { path: "^stacks/render/" },
      to: { path: ["^node_modules/@pulumi/", "^node_modules/@muhlba91/"], reachable: true },
    },
    {
      name: "renderers-compose-nothing",
      severity: "error",
      from: { path: "^stacks/render/" },
      to: { path: ["^stacks/(compose|plan|catalog)/", "^stacks/program\\.ts$"] },
    },
    {
      name: "derivations-are-pure",
      severity: "error",
      comment: "Derivations compute plain data from the estate: they create nothing and import no composition.",
      from: { path: "^stacks/(derive|catalog|bootstrap)/" },
      to: { path: ["^node_modules/@pulumi/", "^node_modules/@muhlba91/", "^stacks/(compose|plan)/", "^stacks/program\\.ts$"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "policies-import-pure-modules",
      severity: "error",
      comment: "The policy pack runs in the analyzer: besides @pulumi/policy it reaches only pure modules, never resource code.",
      from: { path: "^policies/" },
      to: { path: ["^node_modules/@pulumi/(?!policy/)", "^node_modules/@muhlba91/", "^stacks/(compose|plan)/", "^stacks/program\\.ts$"], reachable: true },
    },
    {
      name: "nothing-imports-tests",
      severity: "error",
      from: { pathNot: "^tests/" },
      to: { path: "^tests/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // A node_modules that is a symlink (a worktree, the layering test's copy) still reads as node_modules/...
    preserveSymlinks: true,
    exclude: { path: ["^node_modules/.*/node_modules/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
  },
};
