/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Pulumi's runtime keeps module-level state; jest 30's globals cleanup breaks it ("on") or warns ("warn").
  testEnvironmentOptions: { globalsCleanup: "off" },
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  testTimeout: 60000,
  setupFilesAfterEnv: ["<rootDir>/tests/support/noUndefinedOutputs.ts"],
};
