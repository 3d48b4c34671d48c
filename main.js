// The Pulumi CLI's entry (package.json "main"; Pulumi.yaml turns the runtime's TypeScript off, so nothing is
// transpiled per run): the program index.ts exports, compiled into bin/ and rebuilt first if a source changed.
require("./scripts/fresh");
module.exports = require("./bin/index.js");
