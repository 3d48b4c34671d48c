import { readFileSync } from "node:fs";
import * as path from "node:path";
import { hybridlabPolicies } from "../policies/rules";
import { CONTAINER, REMOTE_IMAGE } from "../policies/rules/containers";
import { HCLOUD_FIREWALL } from "../policies/rules/network";
import { HCLOUD_SERVER, PROXMOX_VM } from "../policies/rules/machines";
import { OFFLINE_SECRET } from "../policies/rules/shared";
import { parseEstate } from "../stacks/estate/load";
import { runProgram, SECRET } from "../stacks/plan/harness";
import { evaluatePolicies, policyConfigFromEstate, type PolicyPackConfig } from "../stacks/plan/policy";
import { hybridlab } from "../stacks/program";
import { asConfig, validEstate, withValue } from "./fixtures/estate";
import { resource } from "./policies/support";

const privileged = resource(CONTAINER, "app", { image: "sha256:1", privileged: true, memory: 256, restart: "unless-stopped", logDriver: "local" });

describe("the pack", () => {
  test("has at least 25 named, described rules with a level and a reference", () => {
    const names = hybridlabPolicies.map((p) => p.name);
    expect(names.length).toBeGreaterThanOrEqual(25);
    expect(new Set(names).size).toBe(names.length);
    for (const p of hybridlabPolicies) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(p.description).not.toContain("\n");
      expect(["mandatory", "advisory"]).toContain(p.enforcementLevel);
      expect(p.url).toMatch(/^https:\/\//);
    }
  });

  test("every rule is documented in the README with its level", () => {
    const doc = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    for (const p of hybridlabPolicies) expect(doc).toMatch(new RegExp(`\\| \`${p.name}\` \\| ${p.enforcementLevel} \\|`));
  });

  test("offline secrets read as the plan harness shows them", () => {
    expect(OFFLINE_SECRET).toBe(SECRET);
  });
});

describe("evaluatePolicies", () => {
  test("resolves levels: config string or object over the policy's own; disabled skips; remediate is mandatory", () => {
    const level = (config: PolicyPackConfig) => evaluatePolicies([privileged], { stack: "prod", config }).violations.find((v) => v.policy === "container-not-privileged")?.enforcementLevel;
    expect(level({})).toBe("mandatory");
    expect(level({ "container-not-privileged": "advisory" })).toBe("advisory");
    expect(level({ "container-not-privileged": { enforcementLevel: "remediate" } })).toBe("mandatory");
    expect(level({ "container-not-privileged": { enforcementLevel: "disabled" } })).toBeUndefined();
  });

  test("reports what a rule cannot read during preview as advisory, like the CLI", () => {
    const image = resource(REMOTE_IMAGE, "img", { name: "[unknown]" });
    expect(evaluatePolicies([image], { stack: "prod" }).violations).toEqual([
      {
        policy: "container-image-pinned",
        enforcementLevel: "advisory",
        urn: image.urn,
        name: "img",
        type: REMOTE_IMAGE,
        message: "can't run during preview: string value at .name can't be known during preview",
      },
    ]);
  });

  test("refuses resources of another stack", () => {
    expect(() => evaluatePolicies([privileged], { stack: "dev" })).toThrow(`evaluatePolicies: ${privileged.urn} is not a resource of stack "dev"`);
  });

  test("names every deliberate problem, each mandatory", () => {
    const resources = [
      privileged,
      resource(CONTAINER, "db", { image: "postgres:16.4", memory: 512, restart: "unless-stopped", logDriver: "local", envs: ["POSTGRES_PASSWORD=hunter2"] }),
      resource(REMOTE_IMAGE, "img", { name: "nginx:latest" }),
      resource(HCLOUD_FIREWALL, "fw", { rules: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0"] }] }),
      resource(HCLOUD_SERVER, "hub", { serverType: "cx53", location: "fsn1", sshKeys: ["1"] }),
      resource(PROXMOX_VM, "big", { name: "big", vmId: 100, nodeName: "pve", cpu: { cores: 64 }, memory: { dedicated: 1024 }, disks: [{ size: 10 }], agent: { enabled: true } }),
    ];
    const config = { "monthly-budget": { monthlyBudget: 20 }, "proxmox-node-capacity": { nodes: { pve: { cores: 8, memoryMiB: 16384, diskGiB: 200 } } } };
    const report = evaluatePolicies(resources, { stack: "prod", config });
    const mandatory = new Set(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
    for (const policy of ["container-not-privileged", "container-no-plaintext-secret-env", "container-image-pinned", "no-ssh-from-internet", "monthly-budget", "proxmox-node-capacity"]) {
      expect(mandatory).toContain(policy);
    }
    expect(report.mandatory).toBe(report.violations.filter((v) => v.enforcementLevel === "mandatory").length);
    expect(report.mandatory + report.advisory).toBe(report.violations.length);
  });
});

describe("policyConfigFromEstate", () => {
  const parsed = parseEstate(withValues());
  function withValues() {
    return withValue(withValue(validEstate(), "environment", "prod"), "nodes.devlab.backup", false);
  }

  test("states the estate's own thresholds", () => {
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const config = policyConfigFromEstate(parsed.estate, "live");
    expect(config["monthly-budget"]).toEqual({ monthlyBudget: 80, currency: "EUR" });
    expect(config["ssh-only-from-admin-cidrs"]).toEqual({ adminCidrs: [] });
    expect(config["proxmox-node-capacity"]).toEqual({ nodes: { pve: { cores: 8, memoryMiB: 32768, diskGiB: 200, overcommit: { cpu: 4, memory: 1, disk: 1 } } } });
    expect(config["proxmox-guests-backed-up"]).toEqual({ prodStacks: ["live"], exemptVmids: [100] });
    expect(config["cloud-region-allowed"]).toMatchObject({ regions: { hetzner: expect.arrayContaining(["fsn1"]) } });
  });

  test("the fixture estate's whole stack has no mandatory violation", async () => {
    const run = await runProgram(hybridlab, { stack: "dev", config: asConfig(validEstate()) });
    const checked = parseEstate(validEstate());
    if (!checked.ok) throw new Error(checked.problems.join("\n"));
    const report = evaluatePolicies(run.resources, { stack: "dev", config: policyConfigFromEstate(checked.estate, "dev") });
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});
