/** Rules that apply to a kind of resource apply to every resource type of that kind, in every spelling. */
import {
  AZURE_VM,
  DROPLET,
  HCLOUD_SERVER,
  PROXMOX_CLONED_VM,
  PROXMOX_CLONED_VM_LEGACY,
  PROXMOX_LXC,
  PROXMOX_VM,
  PROXMOX_VM_EXPERIMENTAL,
} from "../../policies/rules/machines";
import { BACKUP_JOB } from "../../policies/rules/reliability";
import { check, messages, resource } from "./support";

const tags = (name: string) => ["hybridlab", "stack-prod", `node-${name}`];
const capacity = (cores: number, memoryMiB: number, diskGiB: number) => ({ "proxmox-node-capacity": { nodes: { pve: { cores, memoryMiB, diskGiB, overcommit: { cpu: 1 } } } } });

describe("every Proxmox guest type", () => {
  const template = resource(PROXMOX_VM, "ubuntu-template", { name: "ubuntu-template", vmId: 9000, nodeName: "pve", template: true, cpu: { cores: 2 }, memory: { dedicated: 2048 }, disks: [{ interface: "scsi0", size: 20 }] });
  // A VmLegacy clone that sets nothing but its name inherits the template's cores, memory and disk.
  const clone = resource(PROXMOX_VM, "web", { name: "web", vmId: 101, nodeName: "pve", clone: { vmId: 9000 }, protection: true, tags: tags("web") }, { protect: true });
  // A cloned.Vm grows the template's disk and sets its own memory.
  const cloned = resource(PROXMOX_CLONED_VM, "db", { name: "db", resourceId: "102", nodeName: "pve", clone: { sourceVmId: 9000 }, memory: { size: 4096 }, disk: { scsi0: { sizeGb: 50 } }, tags: tags("db") }, { protect: true });
  const experimental = resource(PROXMOX_VM_EXPERIMENTAL, "lab", { name: "lab", resourceId: "103", nodeName: "pve", cpu: { cores: 4 }, tags: tags("lab") }, { protect: true });

  test("proxmox-node-capacity counts clones with what they inherit and the experimental VM type", () => {
    // Cores: 2 (web, from the template) + 2 (db, from the template) + 4 (lab); the template itself runs nothing.
    // Memory: 2048 + 4096. Disk: 20 (template) + 20 (web) + 50 (db).
    expect(check("proxmox-node-capacity", [template, clone, cloned, experimental], { config: capacity(8, 6144, 90) })).toEqual([]);
    expect(messages("proxmox-node-capacity", [template, clone, cloned, experimental], { config: capacity(7, 6143, 89) })).toEqual([
      "node pve: guests (ubuntu-template, web, db, lab) ask for 6144 memoryMiB but the node allows 6143 (6143 x overcommit 1)",
      "node pve: guests (ubuntu-template, web, db, lab) ask for 8 cores but the node allows 7 (7 x overcommit 1)",
      "node pve: guests (ubuntu-template, web, db, lab) ask for 90 diskGiB but the node allows 89 (89 x overcommit 1)",
    ]);
  });

  test("proxmox-guests-protected-in-prod covers clones and types without Proxmox's protection flag", () => {
    expect(check("proxmox-guests-protected-in-prod", [clone, cloned, experimental])).toEqual([]);
    const unprotected = [
      resource(PROXMOX_CLONED_VM_LEGACY, "db", { name: "db", resourceId: "102", nodeName: "pve", clone: { sourceVmId: 9000 } }),
      resource(PROXMOX_VM, "web", { name: "web", vmId: 101, nodeName: "pve", clone: { vmId: 9000 } }),
    ];
    expect(messages("proxmox-guests-protected-in-prod", unprotected)).toEqual([
      "guest db holds data but lacks the protect resource option",
      "guest web holds data but lacks the protect resource option and protection: true",
    ]);
  });

  describe("proxmox-guests-backed-up", () => {
    const job = (fields: object) => resource(BACKUP_JOB, "nightly", { node: "pve", enabled: true, ...fields });

    test("accepts every type by VMID list, all guests or pool, and skips templates", () => {
      expect(check("proxmox-guests-backed-up", [template, clone, cloned, experimental, job({ vmids: ["101", "102,103"] })])).toEqual([]);
      expect(check("proxmox-guests-backed-up", [clone, cloned, experimental, job({ all: true, excludes: ["104"] })])).toEqual([]);
      const pooled = resource(PROXMOX_VM, "web", { name: "web", vmId: 101, nodeName: "pve", poolId: "prod" });
      expect(check("proxmox-guests-backed-up", [pooled, job({ pool: "prod" })])).toEqual([]);
    });

    test("fails a guest that the job excludes, and one not listed", () => {
      expect(messages("proxmox-guests-backed-up", [clone, cloned, experimental, job({ all: true, excludes: ["102"] })])).toEqual([
        "guest db (VMID 102) is excluded from the backup job on node pve (excludes)",
      ]);
      expect(messages("proxmox-guests-backed-up", [clone, cloned, job({ vmids: ["101"] })])).toEqual(["guest db (VMID 102) is in no enabled backup job on node pve"]);
    });

    test("fails a guest whose VMID Proxmox assigns, unless a job backs up all guests", () => {
      const assigned = resource(PROXMOX_LXC, "cache", { nodeName: "pve", initialization: { hostname: "cache" } });
      expect(messages("proxmox-guests-backed-up", [assigned, job({ vmids: ["101"] })])).toEqual([
        "guest cache has no fixed VMID (Proxmox assigns one), so no job lists it and no enabled job on node pve backs up all guests or its pool: set its VMID",
      ]);
      expect(check("proxmox-guests-backed-up", [assigned, job({ all: true })])).toEqual([]);
    });
  });

  test("proxmox-guests-tagged covers the experimental and clone-only types", () => {
    expect(check("proxmox-guests-tagged", [cloned, experimental])).toEqual([]);
    expect(messages("proxmox-guests-tagged", [resource(PROXMOX_CLONED_VM, "db", { nodeName: "pve", clone: { sourceVmId: 9000 }, tags: ["hybridlab"] })])).toEqual([
      "db lacks the tags stack-prod, node-<name> or app-<name>",
    ]);
  });
});

describe("cloud-region-allowed", () => {
  test("accepts every spelling a provider takes for an allowed region", () => {
    const ok = [
      resource(AZURE_VM, "az", { location: "West Europe" }),
      resource(AZURE_VM, "az2", { location: "westeurope" }),
      resource(DROPLET, "do", { region: "FRA1" }),
      resource(HCLOUD_SERVER, "hz", { datacenter: "fsn1-dc14" }),
    ];
    expect(check("cloud-region-allowed", ok)).toEqual([]);
  });

  test("fails a region outside the list however it is written", () => {
    expect(messages("cloud-region-allowed", [resource(HCLOUD_SERVER, "hz", { datacenter: "ash-dc1" })], { config: { "cloud-region-allowed": { regions: { hetzner: ["fsn1"], digitalocean: [], azure: [] } } } })).toEqual([
      'hz is in hetzner region "ash", not one of the allowed fsn1',
    ]);
    expect(messages("cloud-region-allowed", [resource(AZURE_VM, "az", { location: "East US" })], { config: { "cloud-region-allowed": { regions: { hetzner: [], digitalocean: [], azure: ["westeurope"] } } } })).toEqual([
      'az is in azure region "East US", not one of the allowed westeurope',
    ]);
  });
});

describe("cloud-resources-labelled", () => {
  test("covers floating IPs, load balancers and the other labelled cloud types", () => {
    const found = messages("cloud-resources-labelled", [
      resource("hcloud:index/floatingIp:FloatingIp", "fip", { type: "ipv4", labels: {} }),
      resource("azure-native:compute:SshPublicKey", "key", { tags: { "hybridlab-stack": "prod", "hybridlab-node": "hub" } }),
      resource("digitalocean:index/databaseCluster:DatabaseCluster", "pg", { tags: ["hybridlab", "stack-prod"] }),
    ]);
    expect(found).toEqual(["pg lacks the tags node-<name> or app-<name>", "fip lacks the labels hybridlab-stack: prod, hybridlab-node or hybridlab-app"]);
  });
});
