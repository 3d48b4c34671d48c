import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appDeployment } from "../stacks/catalog/deployments";
import { ofType, runProgram } from "../stacks/plan/harness";
import { hybridlab } from "../stacks/program";
import { asConfig, estateOf, validEstate, withValue, type Json } from "./fixtures/estate";

const CONTAINER = "docker:index/container:Container";

const withMlflow = (): Json => withValue(validEstate(), "apps.mlflow", { kind: "mlflow", node: "spoke" });

describe("MLflow's schema upgrade before its server", () => {
  const spec = appDeployment(estateOf(withMlflow()), "dev", "mlflow");
  const upgrade = spec.containers.find((c) => c.component === "db-upgrade");

  it("runs mlflow db upgrade once, against the backend store, before the server starts", () => {
    expect(upgrade).toMatchObject({
      image: spec.containers.find((c) => c.component === "server")?.image,
      entrypoint: ["/bin/sh", "-c"],
      secretEnv: { MLFLOW_BACKEND_STORE_URI: "postgresql+psycopg2://mlflow:{{db-password}}@mlflow-db:5432/mlflow" },
      oneShot: true,
      after: ["db"],
    });
    expect(upgrade?.healthcheck).toBeUndefined();
    expect(spec.containers.find((c) => c.component === "server")?.after).toEqual(["db", "db-upgrade"]);
  });

  /** Runs the one-shot's script with stand-ins for python (exiting `pythonExit`) and mlflow (recording its arguments). */
  function runUpgrade(pythonExit: number): { status: number | null; mlflowArgs: string; stdout: string } {
    const dir = mkdtempSync(join(tmpdir(), "hybridlab-mlflow-"));
    writeFileSync(join(dir, "python"), `#!/bin/sh\nexit ${pythonExit}\n`);
    writeFileSync(join(dir, "mlflow"), `#!/bin/sh\necho "$@" > ${dir}/mlflow-args\n`);
    writeFileSync(join(dir, "mlflow-args"), "");
    chmodSync(join(dir, "python"), 0o755);
    chmodSync(join(dir, "mlflow"), 0o755);
    const result = spawnSync("/bin/sh", ["-c", upgrade?.command?.[0] ?? "false"], {
      env: { PATH: `${dir}:/usr/bin:/bin`, MLFLOW_BACKEND_STORE_URI: "postgresql+psycopg2://mlflow:pw@mlflow-db:5432/mlflow" },
      encoding: "utf8",
    });
    return { status: result.status, mlflowArgs: readFileSync(join(dir, "mlflow-args"), "utf8").trim(), stdout: result.stdout.trim() };
  }

  it("upgrades a database MLflow has used, leaves an empty one to the server, and fails when it cannot look", () => {
    expect(runUpgrade(0)).toEqual({ status: 0, mlflowArgs: "db upgrade postgresql+psycopg2://mlflow:pw@mlflow-db:5432/mlflow", stdout: "" });
    expect(runUpgrade(10)).toEqual({ status: 0, mlflowArgs: "", stdout: "empty database: the server creates its schema" });
    expect(runUpgrade(1)).toEqual({ status: 1, mlflowArgs: "", stdout: "" });
  });

  it("starts the server only after the upgrade container, which waits for the database", async () => {
    const run = await runProgram(() => hybridlab(), { config: asConfig(withMlflow()) });
    const container = (name: string) => ofType(run, CONTAINER).find((c) => c.name === name);
    const [db, upgradeContainer, server] = [container("mlflow-db"), container("mlflow-db-upgrade"), container("mlflow-server")];
    expect(upgradeContainer?.inputs).toMatchObject({ restart: "no", mustRun: false, wait: false, attach: true });
    expect(upgradeContainer?.secretPaths.some((p) => p.startsWith("envs["))).toBe(true);
    expect(server?.dependsOn).toEqual(expect.arrayContaining([upgradeContainer?.urn, db?.urn]));
    expect(upgradeContainer?.dependsOn).toContain(db?.urn);
    expect(upgradeContainer?.dependsOn).not.toContain(server?.urn);
  });
});

describe("Moodle's mail through the estate's mail relay", () => {
  const relay = { smarthost: "smtp.example.com:587", from: "alerts@example.com", username: "relay-user" };
  const withRelay = (smarthost = relay.smarthost): Json =>
    withValue(withValue(withValue(validEstate(), "apps.monitoring.smtp", { ...relay, smarthost }), "apps.monitoring.alertEmail", "ops@example.com"), "smtpPassword", "s3cret-relay-password");
  const web = (json: Json) => appDeployment(estateOf(json), "dev", "moodle").containers.find((c) => c.component === "web");

  it("sends through the monitoring app's relay with STARTTLS, the relay's sender, and the password as a secret", () => {
    const spec = appDeployment(estateOf(withRelay()), "dev", "moodle");
    expect(spec.secrets["smtp-password"]).toEqual({ kind: "config", key: "smtpPassword" });
    expect(web(withRelay())?.env).toMatchObject({
      SMTP_HOST: "smtp.example.com",
      SMTP_PORT: "587",
      SMTP_USER: "relay-user",
      SMTP_PROTOCOL: "tls",
      MOODLE_MAIL_NOREPLY_ADDRESS: "alerts@example.com",
    });
    expect(web(withRelay())?.secretEnv).toEqual({ DB_PASS: "{{db-password}}", MOODLE_PASSWORD: "{{admin-password}}", SMTP_PASSWORD: "{{smtp-password}}" });
    expect(web(withRelay("smtp.example.com:465"))?.env?.SMTP_PROTOCOL).toBe("ssl");
  });

  it("sets no SMTP host without a relay, so the image's smtp.gmail.com placeholder is never used", () => {
    expect(web(validEstate())?.env).toMatchObject({ SMTP_HOST: "", SMTP_PORT: "", SMTP_USER: "", SMTP_PROTOCOL: "" });
    expect(web(validEstate())?.secretEnv).toEqual({ DB_PASS: "{{db-password}}", MOODLE_PASSWORD: "{{admin-password}}" });
    expect(appDeployment(estateOf(validEstate()), "dev", "moodle").secrets["smtp-password"]).toBeUndefined();
  });

  it("hands the relay password to Moodle only as a Pulumi secret", async () => {
    const run = await runProgram(() => hybridlab(), { config: asConfig(withRelay()), secretKeys: ["hybridlab:smtpPassword"] });
    const moodle = ofType(run, CONTAINER).find((c) => c.name === "moodle-web");
    expect(moodle?.inputs.envs).toEqual(expect.arrayContaining(["SMTP_HOST=smtp.example.com", "SMTP_PORT=587", "SMTP_PROTOCOL=tls"]));
    expect(JSON.stringify(run.resources.map((r) => r.inputs))).not.toContain("s3cret-relay-password");
  });
});
