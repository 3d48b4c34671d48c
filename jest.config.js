const { availableParallelism } = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Pulumi's runtime keeps module-level state; jest 30's globals cleanup breaks it ("on") or warns ("warn").
  testEnvironmentOptions: { globalsCleanup: "off" },
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // SWC transpiles only, as ts-jest with isolatedModules did, several times faster (`npm run typecheck` checks the
  // types); ES2022 class fields are defined as tsc defines them for tsconfig.json's target.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: true } }, module: { type: "commonjs" } }] },
  // Two SDK internals no test uses, loaded on first use instead of by every test file (tests/support/lazy/).
  moduleNameMapper: {
    "^(\\./|\\.\\./\\.\\./)typescript-shim$": "<rootDir>/tests/support/lazy/typescriptShim.js",
    "^@npmcli/arborist$": "<rootDir>/tests/support/lazy/arborist.js",
  },
  testTimeout: 60000,
  // Jest's default is one worker per core but one; on 2 cores that is a single worker running every file in turn.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  setupFiles: ["<rootDir>/tests/support/stackTraceLimit.ts"],
  setupFilesAfterEnv: ["<rootDir>/tests/support/noUndefinedOutputs.ts"],
};
