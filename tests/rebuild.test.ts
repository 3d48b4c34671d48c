/**
 * A rebuilt machine under mocks: the mock returns a new machine id (a cloud server replaced) or a new generation (a
 * node rebuilt on purpose, the documented route), and the change preview shows what runs again on it.
 */
import * as path from "node:path";
import type { MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { blockedChanges, diffPlans, type ChangeSet } from "../stacks/plan/changes";
import { parseArgs, plan } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";
import * as mockProviders from "../stacks/plan/mockProviders";

// The harness calls the mock through a jest.fn, so one plan can change one answer (a module's exports cannot be
// redefined under the test transform).
jest.mock("../stacks/plan/mockProviders", () => {
  const actual = jest.requireActual<typeof import("../stacks/plan/mockProviders")>("../stacks/plan/mockProviders");
  return { ...actual, mockResourceState: jest.fn(actual.mockResourceState) };
});
const mockResourceState = jest.mocked(mockProviders.mockResourceState);
const real = jest.requireActual<typeof import("../stacks/plan/mockProviders")>("../stacks/plan/mockProviders").mockResourceState;

const root = path.resolve(__dirname, "..");
const planOf = async (stack: string): Promise<PlanDocument> => (await plan(parseArgs(["--stack", stack, "--format", "json"]), root)).document;

/** Plans `stack` with the mocked provider's answer for the resource `type::name` changed by `answer`. */
async function planWith(stack: string, type: string, name: string, answer: (usual: MockResourceResult) => MockResourceResult): Promise<PlanDocument> {
  mockResourceState.mockImplementation((args: MockResourceArgs) => (args.type === type && args.name === name ? answer(real(args)) : real(args)));
  try {
    return await planOf(stack);
  } finally {
    mockResourceState.mockImplementation(real);
  }
}

const named = (set: ChangeSet, action: string): string[] =>
  set.resources
    .filter((c) => c.action === action)
    .map((c) => c.urn.split("::").pop() ?? "")
    .sort();

describe("a cloud server replaced (a new machine id)", () => {
  let set: ChangeSet;
  beforeAll(async () => {
    const before = await planOf("dev");
    const after = await planWith("dev", "hcloud:index/server:Server", "hub", (usual) => ({ ...usual, id: "7654321" }));
    set = diffPlans(before, after);
  }, 300_000);

  it("re-runs the bootstrap and the operator sync, and recreates the network and every container on it", () => {
    expect(named(set, "replace")).toEqual([
      "hub-agents-alloy",
      "hub-agents-cadvisor",
      "hub-agents-node-exporter",
      "hub-bootstrap",
      "hub-network",
      "hub-operators",
      "monitoring-alertmanager",
      "monitoring-blackbox",
      "monitoring-grafana",
      "monitoring-loki",
      "monitoring-prometheus",
      "proxy-caddy",
    ]);
    expect(set.resources.filter((c) => c.action === "replace" && c.type === "command:remote:Command").map((c) => c.changedInputs)).toEqual([["triggers[0]"], ["triggers[0]"]]);
  });

  it("changes nothing else: no other node, no volume, no generated password", () => {
    expect(set.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 12 });
    expect(set.resources.filter((c) => c.stateful)).toEqual([]);
  });
});

describe("a Proxmox VM rebuilt on purpose (a new generation)", () => {
  let set: ChangeSet;
  const prod = "prod";
  beforeAll(async () => {
    const before = await planOf(prod);
    const after = await planWith(prod, "random:index/randomId:RandomId", "devlab-generation", (usual) => ({ ...usual, state: { ...usual.state, hex: "feedf00d" } }));
    set = diffPlans(before, after);
  }, 300_000);

  it("mints a fresh tailnet key, uploads new user data and so replaces the VM, then re-runs everything on it", () => {
    const replaced = named(set, "replace");
    expect(replaced).toEqual(expect.arrayContaining(["devlab-tailnet", "devlab-user-data", "devlab", "devlab-bootstrap", "devlab-operators", "devlab-network", "spark-master"]));
    const vm = set.resources.find((c) => c.type === "proxmoxve:index/vmLegacy:VmLegacy");
    expect(vm).toMatchObject({ action: "replace", replaceBecause: ["initialization.userDataFileId"], stateful: true, protect: true });
  });

  it("touches no other node, and in prod refuses the VM's replacement until acknowledged", () => {
    const others = set.resources.filter((c) => !/::(devlab|spark)(-|$)/.test(c.urn.split("$").pop() ?? ""));
    expect(others.map((c) => c.urn)).toEqual([]);
    expect(blockedChanges(set, prod, prod).map((b) => b.urn.split("::").pop())).toEqual(["devlab"]);
  });
});
