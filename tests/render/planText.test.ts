import type { PlanDocument } from "../../stacks/plan/document";
import { renderText } from "../../stacks/plan/render/text";

const stackUrn = "urn:pulumi:dev::hybridlab::pulumi:pulumi:Stack::hybridlab-dev";

const doc: PlanDocument = {
  formatVersion: 2,
  project: "hybridlab",
  stack: "dev",
  summary: { resources: 1, imports: 0, byType: { "pulumi:pulumi:Stack": 1 } },
  resources: [{ urn: stackUrn, type: "pulumi:pulumi:Stack", name: "hybridlab-dev", parent: "", inputs: {}, dependsOn: [], protect: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [], deleteBeforeReplace: false, secretDigests: {}, inputDependencies: {} }],
  outputs: {
    apps: { moodle: { containers: { db: "moodle-db", web: "moodle-web" }, node: "devlab", url: "https://learn.dev.example.com" } },
    dockerHosts: {},
    environment: "dev",
    proxmoxGuests: { devlab: { address: "192.168.1.100", sshTarget: "ops@192.168.1.100", vmId: 100 } },
    smtp: { password: "[secret]", relays: ["smtp.example.com:587", " padded "] },
  },
  cost: { currency: "EUR", nodes: [], total: 0, budget: 40, withinBudget: true },
  policy: { violations: [], mandatory: 0, advisory: 0 },
  artifacts: [],
};

describe("the text plan", () => {
  it("renders stack outputs as an indented tree, like the resources, with secrets as [secret]", () => {
    const text = renderText(doc);
    const outputs = text.slice(text.indexOf("Outputs:\n"), text.indexOf("\n\nCost per month"));
    expect(outputs.split("\n")).toEqual([
      "Outputs:",
      "├─ apps",
      "│  └─ moodle",
      "│     ├─ containers",
      "│     │  ├─ db: moodle-db",
      "│     │  └─ web: moodle-web",
      "│     ├─ node: devlab",
      "│     └─ url: https://learn.dev.example.com",
      "├─ dockerHosts: {}",
      "├─ environment: dev",
      "├─ proxmoxGuests",
      "│  └─ devlab",
      "│     ├─ address: 192.168.1.100",
      "│     ├─ sshTarget: ops@192.168.1.100",
      "│     └─ vmId: 100",
      "└─ smtp",
      "   ├─ password: [secret]",
      "   └─ relays",
      "      ├─ [0]: smtp.example.com:587",
      '      └─ [1]: " padded "',
    ]);
  });
});
