/**
 * Jest raises V8's stack trace limit to 100 frames in every test file. The Pulumi SDK captures a stack trace for each
 * promise it makes, and under Jest each trace is source-mapped: at 100 frames that was most of a plan's time in a
 * test. Back at V8's default (10), failures still show where they happened, and the plan harness, as under `npm run
 * plan`, turns the traces off while the program runs (stacks/plan/harness.ts).
 */
Error.stackTraceLimit = 10;
