/** Who gets in: an app without a login of its own is never public, and every exposure is consistent with its hostname. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { exposureOf, hasOwnLogin } from "../stacks/catalog/apps";
import { dnsRecords } from "../stacks/derive/dnsRecords";
import { proxyRoutes } from "../stacks/derive/routes";
import { parseEstate } from "../stacks/estate/load";
import { asStackFile, problemsOf, validEstate, withValue, withValues } from "./fixtures/estate";
import { planCommand } from "./support/planCommand";

const mlflow = { kind: "mlflow", node: "spoke" };
const SAFER = "set exposure: sso (behind single sign-on), or exposure: tailnet and remove hostname (over the mesh only)";

describe("exposure validation", () => {
  it.each<[string, Array<[string, unknown]>, string[]]>([
    ["MLflow with a hostname and no basic-auth", [["apps.mlflow", { ...mlflow, hostname: "ml" }]], [`hybridlab:apps.mlflow.hostname: a mlflow has no login without basicAuth, so it cannot be public (anyone could use it); ${SAFER}, or basicAuth: true (MLflow's own login)`]],
    ["MLflow explicitly public", [["apps.mlflow", { ...mlflow, hostname: "ml", exposure: "public" }]], [`hybridlab:apps.mlflow.exposure: a mlflow has no login without basicAuth, so it cannot be public (anyone could use it); ${SAFER}, or basicAuth: true (MLflow's own login)`]],
    ["a Spark master UI with a hostname", [["apps.spark", { kind: "spark", node: "spoke", hostname: "spark" }]], [`hybridlab:apps.spark.hostname: a spark has no login of its own, so it cannot be public (anyone could use it); ${SAFER}`]],
    ["an app the user marks as without login", [["apps.moodle.ownLogin", false]], [`hybridlab:apps.moodle.hostname: a moodle is marked ownLogin: false, so it cannot be public (anyone could use it); ${SAFER}`]],
    ["a tailnet app with a hostname", [["apps.moodle.exposure", "tailnet"]], ["hybridlab:apps.moodle.hostname: a tailnet app gets no public DNS record or route; remove hostname, or choose exposure: sso"]],
    ["a public app without a hostname", [["apps.minio.exposure", "public"]], ["hybridlab:apps.minio.exposure: exposure public is served under a public hostname; set hostname, or choose exposure: tailnet"]],
    ["an allow list on a public app", [["apps.moodle.allow", ["ann@example.com"]]], ["hybridlab:apps.moodle.allow[0]: a public app lets everyone in; remove allow, or choose exposure: sso or tailnet"]],
    ["an unknown tailnet group", [["apps.mlflow", { ...mlflow, allow: ["group:data"] }]], ['hybridlab:apps.mlflow.allow[0]: unknown tailnet group "group:data"; none are defined (define it under tailnet.groups)']],
    ["an email domain on the tailnet", [["apps.mlflow", { ...mlflow, allow: ["@example.com"] }]], ["hybridlab:apps.mlflow.allow[0]: @example.com is an email domain; on the tailnet allow tailnet users (emails) or group:<name>"]],
    ["a group's SSH to an unknown node", [["tailnet.groups", { data: { members: ["ann@example.com"], ssh: ["lab"] } }]], ['hybridlab:tailnet.groups.data.ssh[0]: unknown node "lab"; expected one of: devlab, minio, hub, spoke']],
  ])("refuses %s, naming the path and what to choose instead", (_name, changes, expected) => {
    expect(problemsOf(withValues(validEstate(), changes))).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ["behind basic-auth", { ...mlflow, hostname: "ml", basicAuth: true }],
    ["on the tailnet for a named group and user", { ...mlflow, allow: ["group:data", "bob@example.com"] }],
  ])("accepts MLflow %s", (_name, app) => {
    const estate = withValues(validEstate(), [["apps.mlflow", app], ["tailnet.groups", { data: { members: ["ann@example.com"], ssh: ["devlab"] } }]]);
    expect(problemsOf(estate)).toEqual([]);
  });

  it("knows which kinds have their own login, and defaults exposure from the hostname", () => {
    const parsed = parseEstate(withValues(validEstate(), [["apps.mlflow", { ...mlflow, hostname: "ml", basicAuth: true }], ["apps.spark", { kind: "spark", node: "spoke" }]]));
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const { apps } = parsed.estate;
    expect(Object.fromEntries(Object.entries(apps).map(([name, app]) => [name, [hasOwnLogin(app), exposureOf(app)]]))).toEqual({
      proxy: [false, "tailnet"],
      monitoring: [true, "public"],
      moodle: [true, "public"],
      minio: [true, "tailnet"],
      mlflow: [true, "public"],
      spark: [false, "tailnet"],
    });
  });

  it("gives a tailnet app no public DNS record and no route", () => {
    const parsed = parseEstate(withValue(validEstate(), "apps.mlflow", mlflow));
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(proxyRoutes(parsed.estate).map((r) => r.app)).toEqual(["monitoring", "moodle"]);
    expect(dnsRecords(parsed.estate, { ipv6: true }).map((r) => r.app)).not.toContain("mlflow");
  });

  it("stops the plan with exit 2 and the path when MLflow is made public", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "hybridlab-exposure-")), "Pulumi.public.yaml");
    writeFileSync(file, asStackFile(withValue(validEstate(), "apps.mlflow", { ...mlflow, hostname: "ml" })));
    const result = planCommand("--config", file);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`hybridlab:apps.mlflow.hostname: a mlflow has no login without basicAuth, so it cannot be public (anyone could use it); ${SAFER}, or basicAuth: true (MLflow's own login)`]);
  });
});
