import { AZURE_VM, DROPLET, HCLOUD_SERVER, PROXMOX_LXC, PROXMOX_VM } from "../../policies/rules/machines";
import { OPERATOR_KEY } from "../fixtures/estate";
import { check, messages, resource } from "./support";

const azureVm = (osProfile: object, location = "westeurope") =>
  resource(AZURE_VM, "spoke-azure", { location, hardwareProfile: { vmSize: "Standard_B2s" }, osProfile });
const linux = { linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ keyData: OPERATOR_KEY, path: "/home/ops/.ssh/authorized_keys" }] } } };

describe("machine rules", () => {
  test("azure-vm-password-auth-disabled accepts key-only login and fails passwords", () => {
    expect(check("azure-vm-password-auth-disabled", [azureVm(linux)])).toEqual([]);
    expect(messages("azure-vm-password-auth-disabled", [azureVm({ adminPassword: "[secret]", linuxConfiguration: { disablePasswordAuthentication: false } })])).toEqual([
      "osProfile.adminPassword is set: remove it, operators log in with SSH keys",
      "osProfile.linuxConfiguration.disablePasswordAuthentication is not true: log in with SSH keys only",
    ]);
  });

  test("vm-ssh-keys-set accepts keys on every kind of machine", () => {
    const machines = [
      resource(HCLOUD_SERVER, "hub", { serverType: "cx23", location: "fsn1", sshKeys: ["101"] }),
      resource(DROPLET, "spoke", { size: "s-1vcpu-1gb", region: "ams3", sshKeys: ["202"] }),
      azureVm(linux),
      resource(PROXMOX_VM, "devlab", { vmId: 100, initialization: { userDataFileId: "local:snippets/devlab.yaml" } }),
      resource(PROXMOX_LXC, "minio", { vmId: 200, initialization: { hostname: "minio", userAccount: { keys: [OPERATOR_KEY] } } }),
    ];
    expect(check("vm-ssh-keys-set", machines)).toEqual([]);
  });

  test("vm-ssh-keys-set fails machines without keys", () => {
    const machines = [
      resource(HCLOUD_SERVER, "hub", { serverType: "cx23", location: "fsn1", sshKeys: [] }),
      azureVm({ linuxConfiguration: { disablePasswordAuthentication: true } }),
      resource(PROXMOX_LXC, "minio", { vmId: 200, initialization: { hostname: "minio" } }),
    ];
    expect(messages("vm-ssh-keys-set", machines)).toEqual([
      "spoke-azure has no SSH public key: operators could only log in with a password or a console",
      "hub has no SSH public key: operators could only log in with a password or a console",
      "minio has no SSH public key: operators could only log in with a password or a console",
    ]);
  });

  test("cloud-region-allowed accepts catalog regions and fails others or none", () => {
    expect(check("cloud-region-allowed", [azureVm(linux), resource(DROPLET, "spoke", { size: "s-1vcpu-1gb", region: "fra1" })])).toEqual([]);
    expect(messages("cloud-region-allowed", [resource(DROPLET, "spoke", { size: "s-1vcpu-1gb", region: "nyc2" }), resource(HCLOUD_SERVER, "hub", { serverType: "cx23" })])).toEqual([
      'spoke is in digitalocean region "nyc2", not one of the allowed ams3, atl1, blr1, fra1, lon1, nyc1, nyc3, sfo2, sfo3, sgp1, syd1, tor1',
      "hub names no region, so hetzner picks one: set it to one of fsn1, nbg1, hel1, ash, hil, sin",
    ]);
  });

  test("cloud-region-allowed narrows to the configured regions", () => {
    const config = { "cloud-region-allowed": { regions: { hetzner: ["fsn1"], digitalocean: [], azure: ["westeurope"] } } };
    expect(messages("cloud-region-allowed", [resource(HCLOUD_SERVER, "hub", { serverType: "cx23", location: "hel1" })], { config })).toEqual([
      'hub is in hetzner region "hel1", not one of the allowed fsn1',
    ]);
  });

  test("proxmox-lxc-unprivileged fails privileged (or unset) LXCs unless allow-listed", () => {
    const lxc = (name: string, vmId: number, unprivileged?: boolean) => resource(PROXMOX_LXC, name, { vmId, unprivileged, initialization: { hostname: name } });
    expect(check("proxmox-lxc-unprivileged", [lxc("minio", 200, true)])).toEqual([]);
    expect(messages("proxmox-lxc-unprivileged", [lxc("legacy", 201, false), lxc("unset", 202)])).toEqual([
      "LXC legacy is privileged: root in the container is root on the host; set unprivileged: true",
      "LXC unset is privileged: root in the container is root on the host; set unprivileged: true",
    ]);
    expect(check("proxmox-lxc-unprivileged", [lxc("legacy", 201, false)], { config: { "proxmox-lxc-unprivileged": { allowed: ["201"] } } })).toEqual([]);
  });

  test("proxmox-vm-qemu-agent advises turning the agent on", () => {
    expect(check("proxmox-vm-qemu-agent", [resource(PROXMOX_VM, "devlab", { name: "devlab", agent: { enabled: true } })])).toEqual([]);
    const found = check("proxmox-vm-qemu-agent", [resource(PROXMOX_VM, "devlab", { name: "devlab", agent: { enabled: false } })]);
    expect(found.map((v) => [v.enforcementLevel, v.message])).toEqual([["advisory", "VM devlab has the QEMU guest agent off: set agent.enabled and install qemu-guest-agent"]]);
  });
});
