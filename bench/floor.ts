/**
 * The floor: a one-resource Pulumi program under the same harness and mocks as the plan, in a fresh process. What
 * any plan pays before doing any work of its own (node, loading @pulumi/pulumi, one registration).
 */
import * as random from "@pulumi/random";
import { runProgram } from "../stacks/plan/harness";

runProgram(() => {
  new random.RandomId("floor", { byteLength: 4 });
}).then((run) => {
  if (run.resources.length !== 2) throw new Error(`floor: expected the stack and one resource, got ${run.resources.length}`);
});
