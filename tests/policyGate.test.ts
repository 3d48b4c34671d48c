/**
 * The gate the policy pack puts on a plan: a program with the classic mistakes (privileged container, `latest`
 * image, SSH open to the world, over budget, over capacity, plain-text password) goes through the same harness,
 * evaluator and plan document as `npm run plan`, and must exit 1 naming each problem. The estate schema refuses most
 * of these before a resource exists, so the program registers them directly: the pack is the second line of defence.
 */
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as docker from "@pulumi/docker";
import * as hcloud from "@pulumi/hcloud";
import { exitCode, render } from "../stacks/plan/cli";
import { planDocument } from "../stacks/plan/document";
import { runProgram } from "../stacks/plan/harness";
import { evaluatePolicies } from "../stacks/plan/policy";
import type { CostReport } from "../stacks/derive/cost";

const labels = (component: string) => [
  { label: "hybridlab.stack", value: "prod" },
  { label: "hybridlab.app", value: "web" },
  { label: "hybridlab.component", value: component },
];

function brokenEstate(): void {
  const image = new docker.RemoteImage("web-image", { name: "nginx:latest" });
  new docker.Container("web", {
    image: image.imageId,
    privileged: true,
    memory: 256,
    restart: "unless-stopped",
    healthcheck: { tests: ["CMD", "true"] },
    logOpts: { "max-size": "10m" },
    envs: ["DB_PASSWORD=hunter2"],
    labels: labels("web"),
  });
  new hcloud.Firewall("hub-firewall", { rules: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0"] }] });
  new hcloud.Server("hub", { serverType: "cx53", image: "ubuntu-24.04", location: "fsn1", sshKeys: ["1"] });
  new proxmox.VmLegacy("big", { nodeName: "pve", vmId: 100, cpu: { cores: 64 }, memory: { dedicated: 4096 }, disks: [{ interface: "scsi0", size: 20 }], agent: { enabled: true } });
}

const noCost: CostReport = { currency: "EUR", nodes: [], total: 0, budget: 10, withinBudget: true };

describe("a plan with deliberate problems", () => {
  it("exits 1 and names each problem", async () => {
    const run = await runProgram(brokenEstate, { stack: "prod" });
    const config = { "monthly-budget": { monthlyBudget: 10, currency: "EUR" }, "proxmox-node-capacity": { nodes: { pve: { cores: 8, memoryMiB: 16384, diskGiB: 200 } } } };
    const doc = planDocument(run, noCost, evaluatePolicies(run.resources, { stack: "prod", config }), []);
    expect(exitCode(doc)).toBe(1);
    const mandatory = doc.policy.violations.filter((v) => v.enforcementLevel === "mandatory");
    const byPolicy = (policy: string) => mandatory.filter((v) => v.policy === policy).map((v) => v.message);
    expect(byPolicy("container-not-privileged")).toEqual([expect.stringContaining("privileged")]);
    expect(byPolicy("container-image-pinned")).toEqual([expect.stringContaining("nginx:latest")]);
    expect(byPolicy("no-ssh-from-internet")).toEqual([expect.stringMatching(/22.*0\.0\.0\.0\/0/)]);
    expect(byPolicy("container-no-plaintext-secret-env")).toEqual([expect.stringContaining("DB_PASSWORD")]);
    expect(byPolicy("monthly-budget")).toEqual([expect.stringMatching(/cx53.*over the budget|budget/)]);
    expect(byPolicy("proxmox-node-capacity")).toEqual([expect.stringMatching(/pve.*64/)]);
    const text = render(doc, "text");
    for (const policy of ["container-not-privileged", "container-image-pinned", "no-ssh-from-internet", "container-no-plaintext-secret-env", "monthly-budget", "proxmox-node-capacity"]) {
      expect(text).toContain(`${policy} (mandatory)`);
    }
  });

  it("exits 0 once the same program is fixed", async () => {
    const run = await runProgram(() => new hcloud.Firewall("hub-firewall", { rules: [{ direction: "in", protocol: "tcp", port: "443", sourceIps: ["0.0.0.0/0"] }], labels: { "hybridlab-stack": "prod", "hybridlab-node": "hub", "hybridlab-role": "hub" } }), { stack: "prod" });
    const doc = planDocument(run, noCost, evaluatePolicies(run.resources, { stack: "prod" }), []);
    expect(doc.policy.mandatory).toBe(0);
    expect(exitCode(doc)).toBe(0);
  });
});
