import { PROXMOX_LXC, PROXMOX_VM } from "../../policies/rules/machines";
import { BACKUP_JOB, DOCKER_VOLUME } from "../../policies/rules/reliability";
import { check, messages, resource } from "./support";

const vm = (name: string, vmId: number, protection: boolean, protect: boolean, stack = "prod") =>
  resource(PROXMOX_VM, name, { name, vmId, nodeName: "pve", protection }, { protect, stack });

describe("reliability rules", () => {
  test("proxmox-guests-protected-in-prod wants protect and protection in prod", () => {
    expect(check("proxmox-guests-protected-in-prod", [vm("learning", 101, true, true)])).toEqual([]);
    expect(messages("proxmox-guests-protected-in-prod", [vm("learning", 101, false, false)])).toEqual([
      "guest learning holds data but lacks the protect resource option and protection: true",
    ]);
  });

  test("proxmox-guests-protected-in-prod leaves other stacks alone, and follows prodStacks", () => {
    expect(check("proxmox-guests-protected-in-prod", [vm("devlab", 100, false, false, "dev")], { stack: "dev" })).toEqual([]);
    const config = { "proxmox-guests-protected-in-prod": { prodStacks: ["dev"] } };
    expect(messages("proxmox-guests-protected-in-prod", [vm("devlab", 100, true, false, "dev")], { stack: "dev", config })).toEqual([
      "guest devlab holds data but lacks the protect resource option",
    ]);
  });

  test("docker-volumes-protected-in-prod fails an unprotected volume in prod only", () => {
    const volume = (protect: boolean, stack = "prod") => resource(DOCKER_VOLUME, "postgres-data", { name: "moodle-postgres-data" }, { protect, stack });
    expect(check("docker-volumes-protected-in-prod", [volume(true)])).toEqual([]);
    expect(check("docker-volumes-protected-in-prod", [volume(false, "dev")], { stack: "dev" })).toEqual([]);
    expect(messages("docker-volumes-protected-in-prod", [volume(false)])).toEqual(["volume moodle-postgres-data holds data but is not protected: set protect on it in prod"]);
  });

  describe("proxmox-guests-backed-up", () => {
    const lxc = resource(PROXMOX_LXC, "minio", { vmId: 200, nodeName: "pve", initialization: { hostname: "minio" } }, { protect: true });
    const job = (vmids: string[], extra: object = {}) => resource(BACKUP_JOB, "home-backup", { node: "pve", vmids, enabled: true, ...extra });

    test("accepts guests listed in an enabled job on their node", () => {
      expect(check("proxmox-guests-backed-up", [vm("learning", 101, true, true), lxc, job(["101", "200"])])).toEqual([]);
    });

    test("fails guests no enabled job covers", () => {
      const found = check("proxmox-guests-backed-up", [vm("learning", 101, true, true), lxc, job(["200"]), job(["101"], { enabled: false })]);
      expect(found.map((v) => [v.name, v.message])).toEqual([["learning", "guest learning (VMID 101) is in no enabled backup job on node pve"]]);
    });

    test("skips exempted guests", () => {
      const config = { "proxmox-guests-backed-up": { exemptVmids: [101] } };
      expect(check("proxmox-guests-backed-up", [vm("learning", 101, true, true), lxc, job(["200"])], { config })).toEqual([]);
    });
  });
});
