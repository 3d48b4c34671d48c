/**
 * Adopting what already runs: the estate names existing objects, validation refuses adoptions that cannot work,
 * the plan shows `import` on exactly those resources, and the bulk import file is what `pulumi import --file` takes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { adoptedContainerUnmanaged, adoptedVmUnmanaged } from "../components/proxmox/adoption";
import { parseArgs, plan, PlanInputError, render, writeImportFile, type Plan } from "../stacks/plan/cli";
import type { ImportFile } from "../stacks/plan/importFile";
import { asStackFile, problemsOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

const root = path.resolve(__dirname, "..");
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const RECORD = "372e67954025e0ba6aaa6d586b9e0b59";
const AZURE_VM = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg/providers/Microsoft.Compute/virtualMachines/az";

/** The fixture estate adopting its Proxmox VM and LXC, the Hetzner hub, an Azure spoke, one DNS record and the ACL. */
function adoptingEstate(): Json {
  return withValues(validEstate(), [
    ["budget.monthly", 200],
    ["nodes.devlab.import", "pve/100"],
    ["nodes.minio.import", { id: "pve/200", unprivileged: true }],
    ["nodes.hub.import", "48213977"],
    ["nodes.az", { kind: "azure", role: "spoke", size: "Standard_B2s", region: "westeurope", import: AZURE_VM }],
    ["dns.import", { zoneId: ZONE, records: { "learn.dev.example.com": { A: RECORD } } }],
    ["tailnet.importAcl", true],
  ]);
}

describe("validation of adoptions", () => {
  it("accepts the adopting estate", () => {
    expect(problemsOf(adoptingEstate())).toEqual([]);
  });

  it.each<[string, Array<readonly [string, unknown]>, string[]]>([
    [
      "a Proxmox id in the wrong form",
      [["nodes.devlab.import", "100"]],
      ['hybridlab:nodes.devlab.import: must be <PVE node>/<VMID> such as pve/200 (the node name from `pvesh get /nodes`, the guest\'s VMID) (got "100")'],
    ],
    [
      "a Proxmox id on another PVE node",
      [["nodes.devlab.import", "pve2/100"]],
      ['hybridlab:nodes.devlab.import: "pve2/100" names PVE node "pve2", but site "home" places guests on "pve"; use pve/100'],
    ],
    [
      "a Proxmox id whose VMID differs from the node's",
      [["nodes.devlab.import", "pve/150"]],
      ['hybridlab:nodes.devlab.import: "pve/150" adopts VMID 150, but the node\'s vmid is 100; an adopted guest keeps its VMID: set vmid: 150'],
    ],
    [
      "an LXC whose privilege the estate would flip",
      [["nodes.minio.import", { id: "pve/200", unprivileged: false }]],
      ["hybridlab:nodes.minio.unprivileged: is true, but the container to adopt is privileged; changing it would replace the container and lose its data: set unprivileged: false"],
    ],
    [
      "an LXC import without its privilege stated",
      [["nodes.minio.import", "pve/200"]],
      ["hybridlab:nodes.minio.import: expected object (got \"pve/200\")"],
    ],
    [
      "a VMID claimed by an adopted guest and a new one",
      [
        ["nodes.minio.vmid", 100],
        ["nodes.minio.import", { id: "pve/100", unprivileged: true }],
      ],
      [
        "hybridlab:nodes.minio.vmid: 100 is already used by nodes.devlab; VMIDs must be unique per Proxmox site",
        'hybridlab:nodes.minio.import.id: "pve/100" is already adopted by nodes.devlab; an existing machine becomes one node',
      ],
    ],
    [
      "a Hetzner id that is not a number",
      [["nodes.hub.import", "hub-1"]],
      ['hybridlab:nodes.hub.import: must be a Hetzner server id: digits only, such as 48213977 (hcloud server list) (got "hub-1")'],
    ],
    [
      "a DigitalOcean id that is not a number",
      [["nodes.spoke.import", "droplet-7"]],
      ['hybridlab:nodes.spoke.import: must be a DigitalOcean droplet id: digits only, such as 100823 (doctl compute droplet list) (got "droplet-7")'],
    ],
    [
      "an Azure id that is not a VM's",
      [["nodes.az.import", "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg"]],
      [
        'hybridlab:nodes.az.import: must be an Azure VM resource id: /subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name> (az vm show --query id) (got "/subscriptions/11111111-2222-3333-4444-555555555555/resource"... (73 characters))',
      ],
    ],
    [
      "one machine adopted by two nodes",
      [["nodes.spoke", { kind: "hetzner", role: "spoke", size: "small", region: "fsn1", import: "48213977" }]],
      ['hybridlab:nodes.spoke.import: "48213977" is already adopted by nodes.hub; an existing machine becomes one node'],
    ],
    [
      "a Cloudflare record id in the wrong form",
      [["dns.import.records", { "learn.dev.example.com": { A: "abc" } }]],
      ['hybridlab:dns.import.records.learn.dev.example.com.A: must be a Cloudflare id: 32 hex digits such as 023e105f4ecef8ad9ca31a8372d0c353 (got "abc")'],
    ],
    [
      "a record the estate does not derive",
      [["dns.import.records", { "wiki.dev.example.com": { A: RECORD } }]],
      ["hybridlab:dns.import.records.wiki.dev.example.com: the estate has no record named wiki.dev.example.com; expected one of: grafana.dev.example.com, learn.dev.example.com"],
    ],
  ])("refuses %s, naming the config path", (_case, changes, expected) => {
    expect(problemsOf(withValues(adoptingEstate(), changes))).toEqual(expected);
  });

  it("refuses an AAAA record id where the hub has no IPv6 (an Azure hub)", () => {
    const estate = withValues(adoptingEstate(), [
      ["nodes.hub", { kind: "azure", role: "hub", size: "Standard_B2s", region: "westeurope" }],
      ["dns.import.records", { "learn.dev.example.com": { A: RECORD, AAAA: RECORD } }],
    ]);
    expect(problemsOf(estate)).toEqual(["hybridlab:dns.import.records.learn.dev.example.com.AAAA: the estate derives no AAAA record for learn.dev.example.com (its records there: A)"]);
  });
});

describe("an estate adopting Proxmox guests, cloud machines, a DNS record and the tailnet ACL", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hybridlab-adoption-"));
  let adopted: Plan;
  beforeAll(async () => {
    const file = path.join(dir, "Pulumi.adopt.yaml");
    writeFileSync(file, asStackFile(adoptingEstate()));
    adopted = await plan(parseArgs(["--config", file, "--format", "json"]), root);
  }, 120_000);

  it("plans the import option on exactly the adopted resources, and counts them", () => {
    const imports = adopted.document.resources.filter((r) => r.import !== undefined).map((r) => [r.type, r.name, r.import]);
    // In URN order: by the owning component's type, then the resource.
    expect(imports).toEqual([
      ["azure-native:compute:VirtualMachine", "az", AZURE_VM],
      ["azure-native:resources:ResourceGroup", "az-rg", "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg"],
      ["hcloud:index/server:Server", "hub", "48213977"],
      ["cloudflare:index/dnsRecord:DnsRecord", "dns-learn-a", `${ZONE}/${RECORD}`],
      ["tailscale:index/acl:Acl", "tailnet", "acl"],
      ["proxmoxve:index/containerLegacy:ContainerLegacy", "minio", "pve/200"],
      ["proxmoxve:index/vmLegacy:VmLegacy", "devlab", "pve/100"],
    ]);
    expect(adopted.document.summary.imports).toBe(7);
    expect(adopted.document.policy.mandatory).toBe(0);
  });

  it("builds nothing an adopted guest already has: no image download, no user-data snippet; the rest unmanaged", () => {
    const types = adopted.document.resources.map((r) => r.type);
    expect(types).not.toContain("proxmoxve:download/file:File");
    expect(types).not.toContain("proxmoxve:index/fileLegacy:FileLegacy");
    const vm = adopted.document.resources.find((r) => r.name === "devlab" && r.type === "proxmoxve:index/vmLegacy:VmLegacy");
    expect(vm?.ignoreChanges).toEqual(Object.keys(adoptedVmUnmanaged).sort());
    expect(Object.keys(vm?.inputs ?? {}).sort()).toEqual(["cpu", "memory", "name", "nodeName", "onBoot", "protection", "started", "stopOnDestroy", "vmId"]);
    const lxc = adopted.document.resources.find((r) => r.name === "minio" && r.type === "proxmoxve:index/containerLegacy:ContainerLegacy");
    expect(lxc?.ignoreChanges).toEqual(Object.keys(adoptedContainerUnmanaged).sort());
    expect(lxc?.inputs).toMatchObject({ vmId: 200, unprivileged: true, features: { nesting: true, keyctl: true } });
  });

  it("attaches the hub's new firewall and network to the adopted server from their side, and creates no VPC or NIC it does not need", () => {
    const byName = (name: string) => adopted.document.resources.find((r) => r.name === name);
    expect(byName("hub-firewall")?.inputs.applyTos).toEqual([{ server: 48213977 }]);
    expect(byName("hub-private")).toMatchObject({ type: "hcloud:index/serverNetwork:ServerNetwork", inputs: { serverId: 48213977, ip: "10.10.0.2" } });
    expect(byName("hub")?.inputs).not.toHaveProperty("firewallIds");
    expect(adopted.document.resources.filter((r) => r.type.startsWith("azure-native:")).map((r) => r.type)).toEqual([
      "azure-native:compute:VirtualMachine",
      "azure-native:resources:ResourceGroup",
    ]);
    expect(adopted.document.outputs.cloudNodes).toMatchObject({ az: { publicIpv4: expect.stringMatching(/^192\.0\.2\.\d+$/) } });
  });

  it("shows the import in the text plan and the pull-request comment", () => {
    expect(render(adopted.document, "markdown")).toContain(`**${adopted.document.summary.resources}** resources would be registered, **7** of them imported (adopted), not created.`);
    const text = render(adopted.document, "text");
    expect(text).toContain("resources (7 imported, not created)");
    expect(text).toMatch(/devlab {2}\(proxmoxve:index\/vmLegacy:VmLegacy\) {2}\[import pve\/100; ignoreChanges: agent, cpu.type/);
  });

  describe("the bulk import file", () => {
    let doc: ImportFile;
    beforeAll(() => {
      const file = path.join(dir, "import.json");
      writeImportFile(file, adopted);
      doc = JSON.parse(readFileSync(file, "utf8")) as ImportFile;
    });

    it("has the shape `pulumi import --file` documents", () => {
      expect(Object.keys(doc).sort()).toEqual(["nameTable", "resources"]);
      const allowed = ["type", "name", "logicalName", "id", "parent", "provider", "version", "pluginDownloadUrl", "properties", "component", "remote"];
      const names = doc.resources.map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      for (const spec of doc.resources) {
        expect(Object.keys(spec).filter((k) => !allowed.includes(k))).toEqual([]);
        expect(spec.type).toMatch(/^[\w-]+:[\w/-]*:\w+$/);
        // The CLI's own checks: a component has no id, anything else has one.
        expect(spec.component === true ? spec.id === undefined : typeof spec.id === "string" && spec.id !== "").toBe(true);
        if (spec.parent !== undefined) expect(names.includes(spec.parent) || spec.parent in doc.nameTable).toBe(true);
        if (spec.provider !== undefined) expect(doc.nameTable[spec.provider]).toMatch(/^urn:pulumi:adopt::hybridlab::pulumi:providers:/);
        if (spec.version !== undefined) expect(spec.version).toMatch(/^\d+\.\d+\.\d+/);
      }
    });

    it("lands every resource on the URN the program gives it", () => {
      // URNs as the CLI builds them: the parent's qualified type, then the type and the logical name.
      const qualified = new Map<string, string>();
      const urnOf = (spec: ImportFile["resources"][number]): string => {
        const parentType = spec.parent === undefined ? undefined : qualified.get(spec.parent);
        const type = parentType === undefined ? spec.type : `${parentType}$${spec.type}`;
        qualified.set(spec.name, type);
        return `urn:pulumi:adopt::hybridlab::${type}::${spec.logicalName}`;
      };
      const urns = doc.resources.map(urnOf);
      // The engine's URNs for the planned resources: ancestors' types without the root stack's, then the type.
      const byUrn = new Map(adopted.document.resources.map((r) => [r.urn, r]));
      const engineType = (urn: string): string => {
        const r = byUrn.get(urn);
        if (!r || r.type === "pulumi:pulumi:Stack") return "";
        const parent = engineType(r.parent);
        return parent === "" ? r.type : `${parent}$${r.type}`;
      };
      const planned = new Set(adopted.document.resources.map((r) => `urn:pulumi:adopt::hybridlab::${engineType(r.urn)}::${r.name}`));
      expect(urns.filter((urn) => !planned.has(urn))).toEqual([]);
      expect(doc.resources.filter((r) => r.component !== true).map((r) => [r.logicalName, r.id])).toEqual([
        ["az", AZURE_VM],
        ["az-rg", "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/lab-rg"],
        ["hub", "48213977"],
        ["dns-learn-a", `${ZONE}/${RECORD}`],
        ["tailnet", "acl"],
        ["minio", "pve/200"],
        ["devlab", "pve/100"],
      ]);
    });

    it("references the explicit providers, which must exist first, by URN", () => {
      expect(doc.nameTable).toEqual({
        "provider proxmox-home": "urn:pulumi:adopt::hybridlab::pulumi:providers:proxmoxve::proxmox-home",
        "provider tailscale": "urn:pulumi:adopt::hybridlab::pulumi:providers:tailscale::tailscale",
      });
      expect(doc.resources.find((r) => r.logicalName === "devlab" && r.component !== true)).toMatchObject({ parent: "devlab (ProxmoxVm)", provider: "provider proxmox-home" });
      expect(doc.resources.find((r) => r.name === "devlab (ProxmoxVm)")).toEqual({ type: "hybridlab:proxmox:ProxmoxVm", name: "devlab (ProxmoxVm)", logicalName: "devlab", component: true });
    });
  });

  it("refuses to write an import file for an estate that adopts nothing", async () => {
    const file = path.join(dir, "Pulumi.fresh.yaml");
    writeFileSync(file, asStackFile(withValue(validEstate(), "budget.monthly", 200)));
    const fresh = await plan(parseArgs(["--config", file]), root);
    expect(() => writeImportFile(path.join(dir, "none.json"), fresh)).toThrow(PlanInputError);
    expect(() => writeImportFile(path.join(dir, "none.json"), fresh)).toThrow(
      `--import-file ${path.join(dir, "none.json")}: the estate adopts nothing; name existing objects with import: on a node, dns.import or tailnet.importAcl`,
    );
  }, 120_000);
});

