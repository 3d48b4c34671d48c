/**
 * Conventions: every taggable resource says which stack and which node or app owns it (components/labels.ts),
 * so a cloud console, the Proxmox UI or `docker ps` shows what belongs to what. Advisory: a missing label costs
 * clarity, not safety.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CONTAINER } from "./containers";
import { PROXMOX_GUESTS } from "./machines";
import { DOCKER_VOLUME } from "./reliability";
import { LABEL_APP, LABEL_NODE, LABEL_STACK, labelMap, resourceRule, stackOf, stringList } from "./shared";

/** Resources with a key/value `labels` map (Hetzner) or `tags` map (Azure). */
const keyValueTypes = [
  "hcloud:index/server:Server",
  "hcloud:index/firewall:Firewall",
  "hcloud:index/network:Network",
  "hcloud:index/sshKey:SshKey",
  "hcloud:index/primaryIp:PrimaryIp",
  "hcloud:index/floatingIp:FloatingIp",
  "hcloud:index/volume:Volume",
  "hcloud:index/loadBalancer:LoadBalancer",
  "hcloud:index/placementGroup:PlacementGroup",
  "hcloud:index/snapshot:Snapshot",
  "hcloud:index/managedCertificate:ManagedCertificate",
  "hcloud:index/uploadedCertificate:UploadedCertificate",
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:NetworkInterface",
  "azure-native:compute:VirtualMachine",
  "azure-native:compute:Disk",
  "azure-native:compute:SshPublicKey",
  "azure-native:network:LoadBalancer",
  "azure-native:network:ApplicationSecurityGroup",
  "azure-native:storage:StorageAccount",
];

/**
 * DigitalOcean resources with a plain `tags` list of their own (VPCs, reserved IPs and SSH keys have none; a
 * firewall's `tags` choose the droplets it applies to).
 */
const tagListTypes = [
  "digitalocean:index/droplet:Droplet",
  "digitalocean:index/volume:Volume",
  "digitalocean:index/databaseCluster:DatabaseCluster",
  "digitalocean:index/kubernetesCluster:KubernetesCluster",
];

/** Resources a whole stack shares (the operators' SSH keys, uploaded once per provider): no single node owns them. */
const stackWideTypes = ["hcloud:index/sshKey:SshKey"];

interface LabelledProps {
  readonly labels?: unknown;
  readonly tags?: unknown;
}

/** What is missing from a `hybridlab` / `stack-<stack>` / `node-<n>`|`app-<a>` tag list. */
function missingTags(tags: readonly string[], stack: string): string[] {
  return [
    tags.includes("hybridlab") ? undefined : "hybridlab",
    tags.includes(`stack-${stack}`) ? undefined : `stack-${stack}`,
    tags.some((t) => t.startsWith("node-") || t.startsWith("app-")) ? undefined : "node-<name> or app-<name>",
  ].filter((t): t is string => t !== undefined);
}

const cloudResourcesLabelled = resourceRule<LabelledProps>({
  name: "cloud-resources-labelled",
  description: "Hetzner, Azure and DigitalOcean resources carry the stack and node/app labels or tags (components/labels.ts).",
  enforcementLevel: "advisory",
  types: [...keyValueTypes, ...tagListTypes],
  url: "https://docs.hetzner.cloud/#labels",
  validate: (props, args, report) => {
    const stack = stackOf(args.urn);
    if (tagListTypes.includes(args.type)) {
      const missing = missingTags(stringList(props.tags), stack);
      if (missing.length > 0) report(`${args.name} lacks the tags ${missing.join(", ")}`);
      return;
    }
    const labels = labelMap(args.type.startsWith("azure-native:") ? props.tags : props.labels);
    const missing = [
      labels[LABEL_STACK] === stack ? undefined : `${LABEL_STACK}: ${stack}`,
      labels[LABEL_NODE] || labels[LABEL_APP] || stackWideTypes.includes(args.type) ? undefined : `${LABEL_NODE} or ${LABEL_APP}`,
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) report(`${args.name} lacks the labels ${missing.join(", ")}`);
  },
});

const proxmoxGuestsTagged = resourceRule<LabelledProps>({
  name: "proxmox-guests-tagged",
  description: "Proxmox guests of every type (VMs, clones, LXCs) carry the tags hybridlab, stack-<stack> and node-<name>.",
  enforcementLevel: "advisory",
  types: PROXMOX_GUESTS,
  url: "https://pve.proxmox.com/pve-docs/chapter-qm.html#qm_options",
  validate: (props, args, report) => {
    const missing = missingTags(stringList(props.tags), stackOf(args.urn));
    if (missing.length > 0) report(`${args.name} lacks the tags ${missing.join(", ")}`);
  },
});

const containersLabelled = resourceRule<LabelledProps>({
  name: "containers-labelled",
  description: "Docker containers and volumes carry hybridlab.stack and hybridlab.app labels (containers also hybridlab.component).",
  enforcementLevel: "advisory",
  types: [CONTAINER, DOCKER_VOLUME],
  url: "https://docs.docker.com/engine/manage-resources/labels/",
  validate: (props, args, report) => {
    const labels = labelMap(props.labels);
    const stack = stackOf(args.urn);
    const missing = [
      labels["hybridlab.stack"] === stack ? undefined : `hybridlab.stack=${stack}`,
      labels["hybridlab.app"] ? undefined : "hybridlab.app",
      args.type === CONTAINER && !labels["hybridlab.component"] ? "hybridlab.component" : undefined,
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) report(`${args.name} lacks the labels ${missing.join(", ")}`);
  },
});

export const conventionPolicies: ResourceValidationPolicy[] = [cloudResourcesLabelled, proxmoxGuestsTagged, containersLabelled];
