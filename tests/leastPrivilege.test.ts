/**
 * Least privilege in the shipped stacks: no app container but MinIO's own holds its root credentials, and every app
 * keeps its data in its own PostgreSQL with its own user, so no database user is shared between apps.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { appDeployment } from "../stacks/catalog/deployments";
import { loadEstate } from "../stacks/estate/load";
import { readStackConfig } from "../stacks/plan/stackFile";

const root = path.resolve(__dirname, "..");

describe.each(["dev", "prod"])("the %s stack", (stack) => {
  const estate = loadEstate(readStackConfig(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"), "hybridlab", `Pulumi.${stack}.yaml`).config);
  const specs = Object.keys(estate.apps).map((name) => [name, appDeployment(estate, stack, name)] as const);

  it("gives MinIO's root credentials to no container outside the MinIO app, and only to its server and one-shots", () => {
    for (const [name, spec] of specs) {
      const imported = Object.values(spec.imports ?? {}).filter((i) => /^root-/.test(i.secret));
      expect([name, imported]).toEqual([name, []]);
      if (estate.apps[name].kind !== "minio") continue;
      const holders = spec.containers.filter((c) => Object.values(c.secretEnv ?? {}).some((t) => t.includes("{{root-")));
      for (const c of holders) expect([c.component, c.component === "server" || c.oneShot === true]).toEqual([c.component, true]);
    }
  });

  it("keeps each app's database in its own PostgreSQL, reached only by that app, with its own user", () => {
    const users = new Map<string, string>();
    for (const [name, spec] of specs) {
      for (const c of spec.containers) {
        const user = c.env?.POSTGRES_USER;
        if (user !== undefined) {
          expect([name, c.component]).toEqual([name, "db"]);
          users.set(name, user);
        }
        // Any database address an app's container uses is its own sidecar's.
        const text = JSON.stringify([c.env ?? {}, c.secretEnv ?? {}, c.command ?? []]);
        for (const [, db] of text.matchAll(/([a-z0-9-]+)-db(?=[:"])/g)) expect([name, c.component, db]).toEqual([name, c.component, name]);
      }
    }
    const expected = stack === "dev" ? { mlflow: "mlflow", moodle: "moodle" } : { airflow: "airflow", identity: "keycloak", mlflow: "mlflow", moodle: "moodle" };
    expect(Object.fromEntries([...users].sort())).toEqual(expected);
  });
});
