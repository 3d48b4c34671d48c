import { CONTAINER } from "../../policies/rules/containers";
import { PROXMOX_VM } from "../../policies/rules/machines";
import { DOCKER_VOLUME } from "../../policies/rules/reliability";
import { check, messages, resource } from "./support";

describe("convention rules", () => {
  test("cloud-resources-labelled accepts Hetzner labels, Azure tags and DigitalOcean tags", () => {
    const ok = [
      resource("hcloud:index/firewall:Firewall", "hub-fw", { labels: { "hybridlab-stack": "prod", "hybridlab-node": "hub" } }),
      resource("azure-native:network:PublicIPAddress", "spoke-ip", { tags: { "hybridlab-stack": "prod", "hybridlab-node": "spoke-azure" } }),
      resource("digitalocean:index/droplet:Droplet", "spoke", { tags: ["hybridlab", "stack-prod", "node-spoke"] }),
    ];
    expect(check("cloud-resources-labelled", ok)).toEqual([]);
  });

  test("cloud-resources-labelled wants only the stack label on SSH keys, which the whole stack shares", () => {
    expect(check("cloud-resources-labelled", [resource("hcloud:index/sshKey:SshKey", "hetzner-ssh-0", { labels: { "hybridlab-stack": "prod" } })])).toEqual([]);
    expect(messages("cloud-resources-labelled", [resource("hcloud:index/sshKey:SshKey", "hetzner-ssh-0", {})])).toEqual(["hetzner-ssh-0 lacks the labels hybridlab-stack: prod"]);
  });

  test("cloud-resources-labelled names what is missing, and is advisory", () => {
    const found = check("cloud-resources-labelled", [
      resource("hcloud:index/server:Server", "hub", { labels: { "hybridlab-stack": "dev" } }),
      resource("digitalocean:index/droplet:Droplet", "spoke", { tags: ["hybridlab"] }),
    ]);
    expect(found.map((v) => [v.enforcementLevel, v.message])).toEqual([
      ["advisory", "spoke lacks the tags stack-prod, node-<name> or app-<name>"],
      ["advisory", "hub lacks the labels hybridlab-stack: prod, hybridlab-node or hybridlab-app"],
    ]);
  });

  test("proxmox-guests-tagged wants hybridlab, stack and node tags", () => {
    expect(check("proxmox-guests-tagged", [resource(PROXMOX_VM, "devlab", { tags: ["hybridlab", "lab", "node-devlab", "stack-prod"] })])).toEqual([]);
    expect(messages("proxmox-guests-tagged", [resource(PROXMOX_VM, "devlab", { tags: ["lab"] })])).toEqual([
      "devlab lacks the tags hybridlab, stack-prod, node-<name> or app-<name>",
    ]);
  });

  test("containers-labelled wants stack and app labels, and a component on containers", () => {
    const labels = [
      { label: "hybridlab.stack", value: "prod" },
      { label: "hybridlab.app", value: "minio" },
    ];
    expect(check("containers-labelled", [resource(DOCKER_VOLUME, "minio-data", { labels })])).toEqual([]);
    expect(messages("containers-labelled", [resource(CONTAINER, "minio", { image: "sha256:1", labels })])).toEqual(["minio lacks the labels hybridlab.component"]);
    expect(messages("containers-labelled", [resource(DOCKER_VOLUME, "minio-data", {})])).toEqual(["minio-data lacks the labels hybridlab.stack=prod, hybridlab.app"]);
  });
});
