/**
 * Loki's config for one single-binary instance: no multi-tenancy, chunks and a TSDB index on the local filesystem
 * under /loki (a volume), and retention applied by the compactor. Follows Loki 3.x's own single-binary example
 * (cmd/loki/loki-local-config.yaml) and retention guide (https://grafana.com/docs/loki/latest/operations/storage/retention/).
 */
import { stringify } from "yaml";
import { requireIntInRange } from "../../components/validate";
import { GO_YAML } from "./prometheus";

/** How long logs are kept. */
export interface LokiConfigInput {
  /** Days of logs to keep, 1 to 365 (Loki's minimum retention is 24h); required, no default. */
  readonly retentionDays: number;
}

/** The volume Loki writes everything under. */
export const LOKI_DATA_DIR = "/loki";

/** Renders loki.yaml. Throws "renderLokiConfig: retentionDays must be an integer from 1 to 365, got ..." otherwise. */
export function renderLokiConfig(input: LokiConfigInput): string {
  requireIntInRange("renderLokiConfig", "retentionDays", input.retentionDays, 1, 365);
  const config = {
    auth_enabled: false,
    server: { http_listen_port: 3100, grpc_listen_port: 9096, log_level: "info" },
    common: {
      instance_addr: "127.0.0.1",
      path_prefix: LOKI_DATA_DIR,
      storage: { filesystem: { chunks_directory: `${LOKI_DATA_DIR}/chunks`, rules_directory: `${LOKI_DATA_DIR}/rules` } },
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
    },
    schema_config: {
      // Retention needs a 24h index period; the start date predates any data this estate writes.
      configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }],
    },
    limits_config: { retention_period: `${input.retentionDays * 24}h` },
    compactor: {
      working_directory: `${LOKI_DATA_DIR}/compactor`,
      compaction_interval: "10m",
      retention_enabled: true,
      retention_delete_delay: "2h",
      // Required with retention since Loki 3.0, which refuses to start without it.
      delete_request_store: "filesystem",
    },
    // Loki otherwise sends usage statistics to stats.grafana.org.
    analytics: { reporting_enabled: false },
  };
  return stringify(config, GO_YAML);
}
