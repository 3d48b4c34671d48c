import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ownerLabels } from "../labels";
import { requireMatch } from "../validate";

export interface DnsRecordSpec {
  /** Stable, unique short name for the record's resource: `<label>-<type>`, "apex" for the base domain. */
  readonly key: string;
  /** The app the record serves (the apex app for `www`). */
  readonly app: string;
  /** The FQDN (Cloudflare stores names fully qualified; a relative name diffs on every run). */
  readonly name: string;
  readonly type: "A" | "AAAA";
  /** Seconds; 1 is Cloudflare's automatic. */
  readonly ttl: number;
  readonly proxied: boolean;
  /** Adopt the existing record `<zone id>/<record id>` instead of creating it; its comment stays as it is. Default: create. */
  readonly importId?: string;
}

export interface DnsRecordsArgs {
  /** The Cloudflare zone id the records live in; required, no default. */
  readonly zoneId: pulumi.Input<string>;
  /** The records; default none. */
  readonly records?: readonly DnsRecordSpec[];
  /** The hub's public IPv4, content of every A record; required. */
  readonly ipv4: pulumi.Input<string>;
  /** The hub's public IPv6, content of every AAAA record; required when a record has type AAAA. */
  readonly ipv6?: pulumi.Input<string>;
  /**
   * The stack, written with the record's app into its comment as ownership labels ("hybridlab-stack=prod
   * hybridlab-app=moodle"): Cloudflare's free plan has record comments but no record tags. Required.
   */
  readonly stack: string;
}

const FQDN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function validateDnsRecordsArgs(name: string, args: DnsRecordsArgs): void {
  const where = `DnsRecords ${name}`;
  const seen = new Map<string, number>();
  const keys = new Set<string>();
  (args.records ?? []).forEach((record, i) => {
    requireMatch(where, `records[${i}].name`, record.name, FQDN, "a fully qualified domain name such as grafana.example.com");
    const id = `${record.type} ${record.name}`;
    if (seen.has(id)) throw new Error(`${where}: records[${i}] must be unique, got a second ${id} (first at records[${seen.get(id)}])`);
    seen.set(id, i);
    if (keys.has(record.key)) throw new Error(`${where}: records[${i}].key must be unique, got "${record.key}" twice`);
    keys.add(record.key);
    if (record.ttl !== 1 && (record.ttl < 60 || record.ttl > 86_400)) throw new Error(`${where}: records[${i}].ttl must be 1 (automatic) or 60-86400, got ${record.ttl}`);
    if (record.importId !== undefined) requireMatch(where, `records[${i}].importId`, record.importId, /^[0-9a-f]{32}\/[0-9a-f]{32}$/, "<zone id>/<record id> (32 hex digits each)");
    if (record.type === "AAAA" && args.ipv6 === undefined) throw new Error(`${where}: ipv6 must be given for the AAAA record ${record.name}, got nothing`);
  });
}

/** Cloudflare DNS records pointing the public hostnames at the hub. */
export class DnsRecords extends pulumi.ComponentResource {
  /** Record FQDNs by record key, e.g. { "grafana-a": "grafana.example.com" }. */
  public readonly names: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hybridlab:network:DnsRecords", name, {}, opts);
    validateDnsRecordsArgs(name, args);
    const records = args.records ?? [];
    for (const record of records) {
      new cloudflare.DnsRecord(
        `${name}-${record.key}`,
        {
          zoneId: args.zoneId,
          name: record.name,
          type: record.type,
          content: record.type === "A" ? args.ipv4 : args.ipv6,
          ttl: record.ttl,
          proxied: record.proxied,
          comment: Object.entries(ownerLabels(args.stack, { app: record.app }))
            .map(([key, value]) => `${key}=${value}`)
            .join(" "),
        },
        // An adopted record keeps its own comment: the import must match the record as it is.
        { parent: this, import: record.importId, ignoreChanges: record.importId === undefined ? undefined : ["comment"] },
      );
    }
    this.names = pulumi.output(Object.fromEntries(records.map((r) => [r.key, r.name])));
    this.registerOutputs({ names: this.names });
  }
}
