import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { requireMatch, requireNonEmpty } from "../validate";

export interface BackupScheduleArgs {
  /** Job id on the cluster (unique there: carry the stack when stacks share a cluster). */
  readonly jobId: string;
  /** PVE node whose guests are backed up. */
  readonly nodeName: string;
  /** Storage with `backup` content that receives the archives. */
  readonly storage: string;
  /** VMIDs of the guests that hold data. */
  readonly vmIds: readonly number[];
  /** systemd calendar event; default "*-*-* 02:30" (nightly). */
  readonly schedule?: string;
  /** Daily archives kept; default 7. */
  readonly keepDaily?: number;
  /** Weekly archives kept; default 4. */
  readonly keepWeekly?: number;
}

/** A nightly vzdump job for the guests that hold data, with snapshot mode (no downtime) and retention. */
export class BackupSchedule extends pulumi.ComponentResource {
  public readonly jobId: pulumi.Output<string>;

  constructor(name: string, args: BackupScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:proxmox:BackupSchedule", name, {}, opts);
    const where = `BackupSchedule ${name}`;
    requireNonEmpty(where, "vmIds", args.vmIds);
    const { schedule = "*-*-* 02:30", keepDaily = 7, keepWeekly = 4 } = args;
    requireMatch(where, "schedule", schedule, /^\S+( \S+)*$/, "a systemd calendar event");
    requireMatch(where, "jobId", args.jobId, /^[A-Za-z][A-Za-z0-9_-]{1,63}$/, "a Proxmox job id: a letter, then letters, digits, '_' or '-'");
    const job = new proxmox.backup.Job(
      name,
      {
        resourceId: args.jobId,
        node: args.nodeName,
        storage: args.storage,
        vmids: [...args.vmIds].sort((a, b) => a - b).map(String),
        schedule,
        mode: "snapshot",
        compress: "zstd",
        pruneBackups: { "keep-daily": String(keepDaily), "keep-weekly": String(keepWeekly) },
        enabled: true,
      },
      { parent: this },
    );
    this.jobId = job.resourceId;
    this.registerOutputs({ jobId: this.jobId });
  }
}
