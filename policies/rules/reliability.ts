/**
 * Reliability: in production, what holds data cannot be deleted by a stray `pulumi destroy` or replace, and the
 * Proxmox guests are backed up. A stack is "prod" when its name is in `prodStacks`; the name comes from each
 * resource's URN, which the engine and the offline plan give alike.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { guestName, PROXMOX_LXC, PROXMOX_VM, type ProxmoxGuestProps } from "./machines";
import { resourceRule, stackOf } from "./shared";

export const DOCKER_VOLUME = "docker:index/volume:Volume";
export const BACKUP_JOB = "proxmoxve:backup/job:Job";

interface ProdConfig {
  readonly prodStacks: string[];
}

const prodStacksSchema: PolicyConfigSchema["properties"] = {
  prodStacks: { type: "array", items: { type: "string" }, default: ["prod"], description: "Stacks whose stateful resources must be protected and backed up." },
};

const guestsProtected = resourceRule<ProxmoxGuestProps, ProdConfig>({
  name: "proxmox-guests-protected-in-prod",
  description: "In prod, Proxmox VMs and LXCs are protected twice: Pulumi `protect` and Proxmox's own `protection` flag.",
  enforcementLevel: "mandatory",
  types: [PROXMOX_VM, PROXMOX_LXC],
  url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  configSchema: { properties: prodStacksSchema },
  validate: (props, args, report, { prodStacks }) => {
    if (!prodStacks.includes(stackOf(args.urn))) return;
    const missing = [args.opts.protect ? undefined : "the protect resource option", props.protection === true ? undefined : "protection: true"].filter(Boolean);
    if (missing.length > 0) report(`guest ${guestName(props)} holds data but lacks ${missing.join(" and ")}`);
  },
});

const volumesProtected = resourceRule<{ name?: string }, ProdConfig>({
  name: "docker-volumes-protected-in-prod",
  description: "In prod, Docker named volumes (databases, MinIO, Caddy's certificates) carry the protect resource option.",
  enforcementLevel: "mandatory",
  types: [DOCKER_VOLUME],
  url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  configSchema: { properties: prodStacksSchema },
  validate: (props, args, report, { prodStacks }) => {
    if (prodStacks.includes(stackOf(args.urn)) && !args.opts.protect) {
      report(`volume ${props.name ?? args.name} holds data but is not protected: set protect on it in prod`);
    }
  },
});

interface BackupJobProps {
  readonly node?: string;
  readonly vmids?: ReadonlyArray<string | number>;
  readonly all?: boolean;
  readonly enabled?: boolean;
}

const guestsBackedUp: StackValidationPolicy = {
  name: "proxmox-guests-backed-up",
  description: "In prod, every Proxmox guest not exempted is in an enabled vzdump backup job on its node (proxmoxve:backup/job:Job).",
  enforcementLevel: "mandatory",
  url: "https://pve.proxmox.com/pve-docs/chapter-vzdump.html",
  configSchema: {
    properties: {
      ...prodStacksSchema,
      exemptVmids: { type: "array", items: { type: "integer" }, default: [], description: "Guests that hold no data worth a backup (estate: backup: false)." },
    },
  },
  validateStack: (args, report) => {
    const { prodStacks, exemptVmids } = args.getConfig<ProdConfig & { exemptVmids: number[] }>();
    const guests = args.resources.filter((r) => r.type === PROXMOX_VM || r.type === PROXMOX_LXC);
    if (guests.length === 0 || !prodStacks.includes(stackOf(guests[0].urn))) return;
    const jobs = args.resources.filter((r) => r.type === BACKUP_JOB).map((r) => r.props as BackupJobProps).filter((j) => j.enabled !== false);
    for (const guest of guests) {
      const props = guest.props as ProxmoxGuestProps;
      if (props.vmId === undefined || exemptVmids.includes(props.vmId)) continue;
      const covered = jobs.some(
        (job) => (job.node === undefined || job.node === props.nodeName) && (job.all === true || (Array.isArray(job.vmids) ? job.vmids.map(String) : []).includes(String(props.vmId))),
      );
      if (!covered) report(`guest ${guestName(props)} (VMID ${props.vmId}) is in no enabled backup job on node ${props.nodeName}`, guest.urn);
    }
  },
};

export const reliabilityPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [guestsProtected, volumesProtected, guestsBackedUp];
