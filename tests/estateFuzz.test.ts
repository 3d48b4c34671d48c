/**
 * A generated fuzz of estate values: the values a user types that end up in generated files (SSH key comments,
 * names, hostnames, zone, emails, the mail relay, ports, buckets, mount paths, the tailnet) drawn with quotes,
 * braces, newlines, control characters and out-of-range numbers. Every estate is either refused with one
 * `hybridlab:<path>: <message>` line per problem, never a crash, or accepted, and then every file it generates passes
 * its real validator. The run is seeded, so it is the same on every machine; the files are validated in batches.
 */
import fc from "fast-check";
import { parse } from "yaml";
import { estateArtifacts, type Artifact } from "../stacks/artifacts";
import { parseEstate } from "../stacks/estate/load";
import { SECRET_CONFIG_KEYS } from "../stacks/estate/secrets";
import { runProgram } from "../stacks/plan/harness";
import { evaluatePolicies } from "../stacks/plan/policy";
import { hybridlab } from "../stacks/program";
import { asConfig, OPERATOR_KEY, validEstate, withValue, withValues, type Json } from "./fixtures/estate";
import { amtoolProblems, bashProblems, blackboxProblems, caddyProblems, cloudInitProblems, promtoolProblems } from "./support/batchValidators";

const RUNS = 150;
const RULES_PATH = "/etc/prometheus/rules/alerts.yml";

/** Characters that break or inject into YAML, Caddyfiles, shell and TOML-ish files, and a few harmless ones. */
const unit = fc.constantFrom(..."abz09-._ ", '"', "'", "{", "}", "\n", "\r", "\t", "$", "`", "#", ":", "\\", "@", "/", "\u0000", "\u001b", "\u2028", "é", "*", ",", "=", "%", "[", "]");
const nasty = fc.string({ unit, minLength: 1, maxLength: 10 });
const or = <T>(plain: readonly T[], weird: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: fc.constantFrom(...plain), weight: 8 }, { arbitrary: weird, weight: 1 });
const label = or(["grafana", "learn", "@", "www", "apex", "a", "dev"], fc.oneof(nasty, fc.constantFrom("Learn", "-a", "a".repeat(64))));
const keyBody = OPERATOR_KEY.split(" ").slice(0, 2).join(" ");

/** The changes one fuzz case makes to the fixture; every field optional, so cases mix a few at a time. */
const changes = fc.record(
  {
    keyComment: or(["ops@example.com", "laptop", "o'brien@home", ""], nasty).map((c): [string, unknown] => ["operators.0.sshPublicKey", c === "" ? keyBody : `${keyBody} ${c}`]),
    operator: or(["ops", "admin", "alice", "a"], nasty).map((n): [string, unknown] => ["operators.0.name", n]),
    zone: or(["example.com", "example.org", "sub.example.net"], fc.oneof(nasty.map((s) => `${s}.com`), fc.constantFrom("Example.com", "example"))).map((z): [string, unknown] => ["dns.zone", z]),
    subdomain: or(["dev", "staging", "x1"], fc.oneof(nasty, fc.constantFrom("@", "Dev"))).map((s): [string, unknown] => ["dns.subdomain", s]),
    www: fc.boolean().map((w): [string, unknown] => ["dns.www", w]),
    moodleHostname: label.map((h): [string, unknown] => ["apps.moodle.hostname", h]),
    monitoringHostname: label.map((h): [string, unknown] => ["apps.monitoring.hostname", h]),
    acmeEmail: or(["ops@example.com", "o'brien@example.com"], nasty.map((s) => `${s}@example.com`)).map((e): [string, unknown] => ["apps.proxy.acmeEmail", e]),
    smtp: fc
      .record({
        smarthost: or(["smtp.example.com:587", "mail:25"], fc.oneof(nasty.map((s) => `${s}:587`), fc.constantFrom("smtp.example.com:70000", "smtp.example.com"))),
        from: or(["alerts@example.com"], nasty.map((s) => `${s}@example.com`)),
        username: or(["ops", "ops@example.com"], nasty),
      })
      .map((smtp): [string, unknown] => ["apps.monitoring", { kind: "monitoring", node: "hub", hostname: "grafana", alertEmail: "ops@example.com", smtp }]),
    tailnet: fc
      .record({ name: or(["example.com", "tail1234.ts.net"], nasty), magicDnsSuffix: or(["tail1234.ts.net", "example.ts.net"], nasty) })
      .map((t): [string, unknown] => ["tailnet", t]),
    moodlePort: fc.integer({ min: -1, max: 70_000 }).map((p): [string, unknown] => ["apps.moodle.ports", { http: p }]),
    buckets: fc.array(or(["backups", "ml.artifacts", "a-b-c"], nasty), { maxLength: 3 }).map((b): [string, unknown] => ["apps.minio.buckets", b]),
    mounts: fc
      .array(or(["/srv/data", "/var/lib/minio"], nasty.map((s) => `/${s}`)), { maxLength: 2 })
      .map((paths): [string, unknown] => ["nodes.minio.mounts", paths.map((path) => ({ path, sizeGiB: 1 }))]),
    region: or(["fsn1", "nbg1", "hel1"], fc.oneof(nasty, fc.constantFrom("sin", "ash"))).map((r): [string, unknown] => ["nodes.hub.region", r]),
    siteName: or(["Academy"], nasty).map((s): [string, unknown] => ["apps.moodle.siteName", s]),
    // On devlab, whose memory holds a master and three workers next to Moodle (whose port 8080 it leaves alone).
    spark: fc.integer({ min: 1, max: 3 }).map((workers): [string, unknown] => ["apps.spark", { kind: "spark", node: "devlab", workers, ports: { "master-ui": 8090, "worker-ui": 8091 } }]),
  },
  { requiredKeys: [] },
);

const stacks = or(["dev", "staging"], fc.constant("prod"));

interface Accepted {
  readonly estate: Json;
  readonly stack: string;
  readonly artifacts: Artifact[];
}

/** What the cases produced: refusals are checked as they come, accepted estates' files in batches afterwards. */
const accepted: Accepted[] = [];
let refused = 0;

/** `hybridlab:<path>: <message>`, one line, where the path is the config key and the message says something. */
const PROBLEM = /^hybridlab(:[^\n]+?)?: [^\n]+$/;

beforeAll(() => {
  fc.assert(
    fc.property(changes, stacks, (picked, stack) => {
      const estate = withValues(withValue(validEstate(), "smtpPassword", "relay-password"), Object.values(picked));
      const result = parseEstate(estate, stack);
      if (!result.ok) {
        refused++;
        expect(result.problems.length).toBeGreaterThan(0);
        for (const problem of result.problems) expect(problem).toMatch(PROBLEM);
        return;
      }
      accepted.push({ estate, stack, artifacts: estateArtifacts(result.estate, stack) });
    }),
    { seed: 13, numRuns: RUNS },
  );
});

/** Every distinct file of one name across the accepted estates, with an estate that produced it. */
function distinct(fileName: string): Array<{ content: string; estate: Json }> {
  const byContent = new Map<string, Json>();
  for (const { estate, artifacts } of accepted) {
    for (const a of artifacts) if (a.path.endsWith(`/${fileName}`) && !byContent.has(a.content)) byContent.set(a.content, estate);
  }
  return [...byContent].map(([content, estate]) => ({ content, estate }));
}

/** Pairs each file's problems with the estate that produced it, keeping only files with problems. */
function failures(files: Array<{ content: string; estate: Json }>, problems: string[][]): Array<{ problems: string[]; content: string; estate: Json }> {
  return files.map((f, i) => ({ ...f, problems: problems[i] })).filter((f) => f.problems.length > 0);
}

describe("a fuzz of estate values", () => {
  test("refuses some estates and accepts others, so both branches are exercised", () => {
    expect(refused + accepted.length).toBe(RUNS);
    expect(refused).toBeGreaterThan(RUNS / 10);
    expect(accepted.length).toBeGreaterThan(RUNS / 10);
  });

  test.each([
    ["cloud-init user data passes cloud-init's schema", "cloud-init.yaml", cloudInitProblems],
    ["LXC bootstrap script parses in bash", "bootstrap.sh", bashProblems],
    ["Caddyfile passes caddy validate", "Caddyfile", caddyProblems],
    ["blackbox.yml passes blackbox_exporter --config.check", "blackbox.yml", blackboxProblems],
  ])("every accepted estate's %s", (_what, artifact, problems) => {
    const files = distinct(artifact);
    expect(files.length).toBeGreaterThan(0);
    expect(failures(files, problems(files.map((f) => f.content)))).toEqual([]);
  });

  test("every accepted estate's prometheus.yml passes promtool check config, with its alert rules", () => {
    const files = distinct("prometheus.yml");
    const rules = distinct("alert-rules.yml");
    expect(files.length).toBeGreaterThan(0);
    // The alert rules do not depend on the fuzzed values: one file serves every config.
    expect(rules).toHaveLength(1);
    expect(failures(files, promtoolProblems(files.map((f) => f.content), rules[0].content, RULES_PATH))).toEqual([]);
  });

  test("every accepted estate's alertmanager.yml passes amtool check-config", () => {
    const files = distinct("alertmanager.yml");
    expect(files.length).toBeGreaterThan(1);
    expect(failures(files, amtoolProblems(files.map((f) => f.content)))).toEqual([]);
  });


  test("every accepted estate's Loki and Grafana files parse strictly", () => {
    const yamlFiles = ["loki.yaml", "hybridlab.yaml"].flatMap(distinct);
    const jsonFiles = ["node.json", "containers.json"].flatMap(distinct);
    expect(yamlFiles.length).toBeGreaterThan(0);
    for (const f of yamlFiles) expect(() => parse(f.content, { uniqueKeys: true, strict: true })).not.toThrow();
    for (const f of jsonFiles) expect(() => JSON.parse(f.content) as unknown).not.toThrow();
  });

  // The whole program under mocks takes seconds per estate: a sample of two accepted ones, in run order.
  test("the first accepted estates run through the whole program under mocks with no mandatory violation", async () => {
    for (const { estate, stack } of accepted.slice(0, 2)) {
      const config = asConfig(estate);
      // The estate's secrets are set as secrets, as `pulumi config set --secret` would.
      const secretKeys = Object.keys(config).filter((key) => Object.hasOwn(SECRET_CONFIG_KEYS, key));
      const run = await runProgram(hybridlab, { stack, config, secretKeys });
      const mandatory = evaluatePolicies(run.resources, { stack }).violations.filter((v) => v.enforcementLevel === "mandatory");
      expect([estate, mandatory]).toEqual([estate, []]);
    }
  });
});
