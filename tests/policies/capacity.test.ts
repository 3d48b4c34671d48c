import { guestDemand } from "../../policies/rules/capacity";
import { PROXMOX_LXC, PROXMOX_VM } from "../../policies/rules/machines";
import { check, messages, resource } from "./support";

const vm = (name: string, cores: number, memory: number, disk: number) =>
  resource(PROXMOX_VM, name, { name, vmId: 100, nodeName: "pve", cpu: { cores }, memory: { dedicated: memory }, disks: [{ size: disk, interface: "scsi0" }] });
const lxc = resource(PROXMOX_LXC, "minio", {
  vmId: 200,
  nodeName: "pve",
  cpu: { cores: 2 },
  memory: { dedicated: 4096 },
  disk: { size: 20 },
  mountPoints: [{ path: "/data", size: "100G" }, { path: "/scratch", size: "512M" }],
  initialization: { hostname: "minio" },
});
const capacity = (cores: number, memoryMiB: number, diskGiB: number, overcommit: object = {}) => ({
  "proxmox-node-capacity": { nodes: { pve: { cores, memoryMiB, diskGiB, overcommit } } },
});

describe("proxmox-node-capacity", () => {
  test("guestDemand counts root disks and mount points in GiB", () => {
    expect(guestDemand(PROXMOX_LXC, lxc.inputs)).toEqual({ cores: 2, memoryMiB: 4096, diskGiB: 120.5 });
  });

  test("accepts guests within capacity x overcommit", () => {
    expect(check("proxmox-node-capacity", [vm("devlab", 4, 8192, 50), lxc], { config: capacity(2, 12288, 171) })).toEqual([]);
  });

  test("fails each resource a node runs short of, naming the guests", () => {
    expect(messages("proxmox-node-capacity", [vm("devlab", 4, 8192, 50), lxc], { config: capacity(1, 8192, 100, { cpu: 2, disk: 1.5 }) })).toEqual([
      // One stack-wide finding per shortfall, sorted by message.
      "node pve: guests (devlab, minio) ask for 12288 memoryMiB but the node allows 8192 (8192 x overcommit 1)",
      "node pve: guests (devlab, minio) ask for 170.5 diskGiB but the node allows 150 (100 x overcommit 1.5)",
      "node pve: guests (devlab, minio) ask for 6 cores but the node allows 2 (1 x overcommit 2)",
    ]);
  });

  test("does not apply without configured capacity", () => {
    expect(check("proxmox-node-capacity", [vm("huge", 512, 1 << 20, 10000)])).toEqual([]);
  });
});
