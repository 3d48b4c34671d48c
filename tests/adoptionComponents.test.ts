/**
 * Adoption, one layer at a time: components take a plain `importId` and set `import` on the right child; the change
 * preview reports an import as neither create nor replace; the SSH-key policy leaves an adopted guest's logins alone.
 */
import { validateCloudNodeArgs } from "../components/cloud/cloudNode";
import { AzureVm } from "../components/cloud/AzureVm";
import { parseAzureVmId } from "../components/cloud/azureIds";
import { validateDnsRecordsArgs } from "../components/network/DnsRecords";
import { TailnetAcl } from "../components/network/TailnetAcl";
import { ProxmoxContainer, validateProxmoxContainerArgs, type ProxmoxContainerArgs } from "../components/proxmox/ProxmoxContainer";
import { ProxmoxVm, validateProxmoxVmArgs, type ProxmoxVmArgs } from "../components/proxmox/ProxmoxVm";
import { PROXMOX_LXC, PROXMOX_VM } from "../policies/rules/machines";
import { diffPlans } from "../stacks/plan/changes";
import { HELP } from "../stacks/plan/cli";
import { PLAN_FORMAT_VERSION, type PlanDocument, type PlanResource } from "../stacks/plan/document";
import { ofType, runProgram } from "../stacks/plan/harness";
import { changeSummary } from "../stacks/plan/render/changes";
import { OPERATOR_KEY } from "./fixtures/estate";
import { check, messages, resource } from "./policies/support";
import { planResource } from "./support/planResource";

const vmArgs: ProxmoxVmArgs = {
  stack: "dev",
  nodeName: "pve",
  vmId: 100,
  networks: [{ bridge: "vmbr0", address: "192.168.1.100/24", gateway: "192.168.1.1" }],
  sshUser: "ops",
  importId: "pve/100",
};

const lxcArgs: ProxmoxContainerArgs = {
  stack: "dev",
  nodeName: "pve",
  vmId: 200,
  hostname: "minio",
  os: "ubuntu-24.04",
  networks: [{ bridge: "vmbr0", address: "192.168.1.200/24" }],
  sshPublicKeys: [OPERATOR_KEY],
  sshUser: "ops",
  importId: "pve/200",
};

describe("component arguments", () => {
  it.each<[string, () => void, string]>([
    ["a VM import id for another guest", () => validateProxmoxVmArgs("devlab", { ...vmArgs, importId: "pve/101" }), 'ProxmoxVm devlab: importId must be "pve/100" (nodeName/vmId), got "pve/101"'],
    ["a new VM without its image", () => validateProxmoxVmArgs("devlab", { ...vmArgs, importId: undefined, userData: "#cloud-config\n" }), "ProxmoxVm devlab: imageFileId and userData must be given for a new VM (or importId to adopt one), got no imageFileId"],
    ["an LXC import id on another node", () => validateProxmoxContainerArgs("minio", { ...lxcArgs, importId: "pve2/200" }), 'ProxmoxContainer minio: importId must be "pve/200" (nodeName/vmId), got "pve2/200"'],
    ["a new LXC without its template", () => validateProxmoxContainerArgs("minio", { ...lxcArgs, importId: undefined }), "ProxmoxContainer minio: templateFileId must be given for a new container (or importId to adopt one), got nothing"],
    [
      "a Hetzner import id that is not a number",
      () => validateCloudNodeArgs("HetznerServer", "hub", "hetzner", { role: "hub", size: "small", sshPublicKeys: [OPERATOR_KEY], sshUser: "ops", tailnetHost: "hub", userData: "", importId: "srv-1" }),
      'HetznerServer hub: importId must be a numeric server id, got "srv-1"',
    ],
    [
      "a Cloudflare import id without its zone",
      () => validateDnsRecordsArgs("dns", { zoneId: "z", ipv4: "192.0.2.1", stack: "dev", records: [{ key: "learn-a", app: "moodle", name: "learn.example.com", type: "A", ttl: 300, proxied: false, importId: "372e67954025e0ba6aaa6d586b9e0b59" }] }),
      'DnsRecords dns: records[0].importId must be <zone id>/<record id> (32 hex digits each), got "372e67954025e0ba6aaa6d586b9e0b59"',
    ],
  ])("refuse %s", (_case, validate, message) => {
    expect(validate).toThrow(message);
  });

  it("reads an Azure VM id", () => {
    expect(parseAzureVmId("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg/providers/Microsoft.Compute/virtualMachines/az")).toEqual({
      groupId: "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg",
      resourceGroupName: "lab-rg",
      vmName: "az",
    });
    expect(parseAzureVmId("/subscriptions/x/resourceGroups/lab-rg")).toBeUndefined();
  });
});

describe("components under mocks", () => {
  it("an adopted VM is one imported VmLegacy: no snippet, nothing built", async () => {
    const run = await runProgram(() => new ProxmoxVm("devlab", vmArgs));
    expect(run.resources.filter((r) => r.custom).map((r) => [r.type, r.importId])).toEqual([["proxmoxve:index/vmLegacy:VmLegacy", "pve/100"]]);
  });

  it("an adopted LXC is one imported ContainerLegacy that keeps its privilege", async () => {
    const run = await runProgram(() => new ProxmoxContainer("minio", { ...lxcArgs, unprivileged: false }));
    const [ct] = ofType(run, "proxmoxve:index/containerLegacy:ContainerLegacy");
    expect([ct.importId, ct.inputs.unprivileged, ct.inputs.operatingSystem]).toEqual(["pve/200", false, undefined]);
  });

  it("an adopted tailnet policy is imported as it is, not overwritten", async () => {
    const policy = { tagOwners: { "tag:hybridlab": ["autogroup:admin"] }, acls: [], tests: [] };
    const run = await runProgram(() => new TailnetAcl("tailnet", { policy, importId: "acl" }));
    const [acl] = ofType(run, "tailscale:index/acl:Acl");
    expect([acl.importId, acl.inputs.overwriteExistingContent, acl.ignoreChanges]).toEqual(["acl", false, ["acl"]]);
  });

  it("refuses an Azure import id that is not a VM's", async () => {
    const args = { role: "spoke" as const, size: "small", region: "westeurope", sshPublicKeys: [OPERATOR_KEY], sshUser: "ops", tailnetHost: "az", userData: "", importId: "/subscriptions/x" };
    await expect(runProgram(() => new AzureVm("az", args))).rejects.toThrow('AzureVm az: importId must be a VM resource id');
  });
});

describe("the change preview", () => {
  const VM = "proxmoxve:index/vmLegacy:VmLegacy";
  const res = (name: string, extra: Partial<PlanResource> = {}): PlanResource => planResource(VM, name, { vmId: 100 }, { protect: true, ...extra });
  const planOf = (resources: PlanResource[]): PlanDocument => ({
    formatVersion: PLAN_FORMAT_VERSION,
    project: "hybridlab",
    stack: "prod",
    summary: { resources: resources.length, imports: resources.filter((r) => r.import !== undefined).length, byType: {} },
    resources,
    outputs: {},
    cost: { currency: "EUR", nodes: [], total: 0, budget: 1, withinBudget: true },
    policy: { violations: [], mandatory: 0, advisory: 0 },
    artifacts: [],
  });

  it("counts a new resource with an import id as an import, neither create nor replace", () => {
    const changes = diffPlans(planOf([]), planOf([res("devlab", { import: "pve/100" }), res("fresh")]));
    expect(changes.summary).toEqual({ create: 1, import: 1, update: 0, replace: 0, delete: 0, same: 0 });
    expect(changes.resources.map((c) => [c.urn.split("::").pop(), c.action])).toEqual([
      ["devlab", "import"],
      ["fresh", "create"],
    ]);
    expect(changeSummary({ ...changes, blocked: [] })).toBe("1 to create, 1 to import, 0 to update, 0 to replace, 0 to delete (0 unchanged)");
  });

  it("leaves an adopted resource alone once deployed, and replaces a deployed one that gains or changes its id", () => {
    const adopted = res("devlab", { import: "pve/100" });
    expect(diffPlans(planOf([adopted]), planOf([adopted])).resources).toEqual([]);
    const swapped = diffPlans(planOf([adopted]), planOf([res("devlab", { import: "pve/150" })]));
    expect(swapped.resources.map((c) => [c.action, c.replaceBecause])).toEqual([["replace", ["import"]]]);
    const gained = diffPlans(planOf([res("devlab")]), planOf([adopted]));
    expect(gained.resources.map((c) => [c.action, c.replaceBecause])).toEqual([["replace", ["import"]]]);
  });
});

describe("vm-ssh-keys-set and adopted guests", () => {
  it("leaves the logins of a guest whose initialization is unmanaged to the guest", () => {
    const adopted = [
      resource(PROXMOX_VM, "devlab", { vmId: 100 }, { ignoreChanges: ["initialization"] }),
      resource(PROXMOX_LXC, "minio", { vmId: 200 }, { ignoreChanges: ["initialization"] }),
    ];
    expect(check("vm-ssh-keys-set", adopted)).toEqual([]);
  });

  it("still fails a guest the program builds without keys", () => {
    expect(messages("vm-ssh-keys-set", [resource(PROXMOX_VM, "devlab", { vmId: 100 }, { ignoreChanges: ["disks[0].fileId"] })])).toEqual([
      "devlab has no SSH public key: operators could only log in with a password or a console",
    ]);
  });
});

it("documents --import-file in the plan command's help", () => {
  expect(HELP).toContain("  --import-file FILE    also write the `pulumi import --file` document for every object the estate adopts (import:)");
});
