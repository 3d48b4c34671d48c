import { renderLokiConfig } from "../../stacks/render/loki";
import { asRecord, parseStrictYaml } from "../support/strictYaml";

// No Loki binary in Debian 12: the config is parsed strictly and its structure checked against Loki 3.x's
// single-binary example (cmd/loki/loki-local-config.yaml) and retention guide.
describe("renderLokiConfig", () => {
  const config = asRecord(parseStrictYaml(renderLokiConfig({ retentionDays: 15 })), "loki.yaml");

  it("runs one single-tenant instance with everything on the filesystem under /loki", () => {
    expect(config.auth_enabled).toBe(false);
    expect(config.common).toEqual({
      instance_addr: "127.0.0.1",
      path_prefix: "/loki",
      storage: { filesystem: { chunks_directory: "/loki/chunks", rules_directory: "/loki/rules" } },
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
    });
    expect(config.server).toEqual({ http_listen_port: 3100, grpc_listen_port: 9096, log_level: "info" });
  });

  it("indexes with TSDB schema v13 and a 24h period, which compactor retention requires", () => {
    expect(config.schema_config).toEqual({
      configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }],
    });
  });

  it("deletes logs older than the retention through the compactor, with the delete-request store Loki 3 requires", () => {
    expect(config.limits_config).toEqual({ retention_period: "360h" });
    expect(config.compactor).toEqual({
      working_directory: "/loki/compactor",
      compaction_interval: "10m",
      retention_enabled: true,
      retention_delete_delay: "2h",
      delete_request_store: "filesystem",
    });
  });

  it("quotes the schema start date, which YAML 1.1 would otherwise read as a timestamp", () => {
    expect(renderLokiConfig({ retentionDays: 15 })).toContain('- from: "2024-01-01"\n');
  });

  it("is deterministic and scales retention by days", () => {
    expect(renderLokiConfig({ retentionDays: 1 })).toBe(renderLokiConfig({ retentionDays: 1 }));
    expect(asRecord(parseStrictYaml(renderLokiConfig({ retentionDays: 1 })), "loki.yaml").limits_config).toEqual({ retention_period: "24h" });
  });

  it.each([0, 366, 1.5])("fails when retentionDays is %s", (retentionDays) => {
    expect(() => renderLokiConfig({ retentionDays })).toThrow(`renderLokiConfig: retentionDays must be an integer from 1 to 365, got ${retentionDays}`);
  });
});
