/**
 * Reliability: in production, what holds data cannot be deleted by a stray `pulumi destroy` or replace, and the
 * Proxmox guests are backed up. A stack is "prod" when its name is in `prodStacks`; the name comes from each
 * resource's URN, which the engine and the offline plan give alike.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { guestName, PROXMOX_GUESTS, type ProxmoxGuestProps } from "./machines";
import { isProxmoxGuest, readGuest } from "./proxmoxGuests";
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
  description: "In prod, Proxmox guests of every type are protected twice: Pulumi `protect` and Proxmox's own `protection` flag (where the type has one).",
  enforcementLevel: "mandatory",
  types: PROXMOX_GUESTS,
  url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  configSchema: { properties: prodStacksSchema },
  validate: (props, args, report, { prodStacks }) => {
    if (!prodStacks.includes(stackOf(args.urn))) return;
    // The experimental and clone-only types have no `protection` input: Pulumi's protect is all they can have.
    const hasFlag = readGuest(args.type, props as Record<string, unknown>).hasProtectionField;
    const missing = [args.opts.protect ? undefined : "the protect resource option", !hasFlag || props.protection === true ? undefined : "protection: true"].filter(Boolean);
    if (missing.length > 0) report(`guest ${guestName(props, args.name)} holds data but lacks ${missing.join(" and ")}`);
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
  readonly excludes?: ReadonlyArray<string | number>;
  readonly pool?: string;
  readonly all?: boolean;
  readonly enabled?: boolean;
}

/** VMIDs as vzdump lists them: numbers, or strings that may hold several ("100,101"). */
const vmidList = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((v) => String(v).split(",")).map((v) => v.trim()) : []);

/** Whether `job` backs the guest up: on its node, and selecting it by `all`, its pool or its VMID, without excluding it. */
function covers(job: BackupJobProps, guest: { node: string; vmid?: number; poolId?: string }): boolean {
  if (job.node !== undefined && job.node !== guest.node) return false;
  const id = guest.vmid === undefined ? undefined : String(guest.vmid);
  // `excludes` applies to `all` (vzdump --all --exclude): an excluded guest is not backed up.
  if (job.all === true) return id === undefined || !vmidList(job.excludes).includes(id);
  if (job.pool !== undefined && job.pool === guest.poolId) return true;
  return id !== undefined && vmidList(job.vmids).includes(id);
}

const guestsBackedUp: StackValidationPolicy = {
  name: "proxmox-guests-backed-up",
  description: "In prod, every Proxmox guest not exempted, of every type, is in an enabled vzdump backup job on its node and not excluded from it (proxmoxve:backup/job:Job).",
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
    const guests = args.resources.filter((r) => isProxmoxGuest(r.type));
    if (guests.length === 0 || !prodStacks.includes(stackOf(guests[0].urn))) return;
    const jobs = args.resources.filter((r) => r.type === BACKUP_JOB).map((r) => r.props as BackupJobProps).filter((j) => j.enabled !== false);
    for (const resource of guests) {
      const guest = readGuest(resource.type, resource.props);
      // A template never changes; its clones are the guests that hold data.
      if (guest.template || (guest.vmid !== undefined && exemptVmids.includes(guest.vmid))) continue;
      if (jobs.some((job) => covers(job, guest))) continue;
      const name = guestName(resource.props as ProxmoxGuestProps, resource.name);
      if (guest.vmid === undefined) {
        report(`guest ${name} has no fixed VMID (Proxmox assigns one), so no job lists it and no enabled job on node ${guest.node} backs up all guests or its pool: set its VMID`, resource.urn);
      } else {
        const excluded = jobs.some((job) => job.all === true && (job.node ?? guest.node) === guest.node && vmidList(job.excludes).includes(String(guest.vmid)));
        const why = excluded ? `is excluded from the backup job on node ${guest.node} (excludes)` : `is in no enabled backup job on node ${guest.node}`;
        report(`guest ${name} (VMID ${guest.vmid}) ${why}`, resource.urn);
      }
    }
  },
};

export const reliabilityPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [guestsProtected, volumesProtected, guestsBackedUp];
