import { spawnSync } from "node:child_process";
import { renderOperatorSync } from "../stacks/bootstrap/operators";
import { OPERATOR_KEY } from "./fixtures/estate";

const ANA = { name: "ana", sshPublicKey: OPERATOR_KEY };
const BEN = { name: "ben", sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGw9yQ4bV0rQb3mJgTqO8u0sXx2t1yYp6k8r0s5Y7c9d ben@desk" };

describe("the operator sync", () => {
  const script = renderOperatorSync([ANA, BEN]);

  it("is a bash script bash accepts", () => {
    const check = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
    expect([check.status, check.stderr]).toEqual([0, ""]);
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail\n");
  });

  it("creates or updates every operator with its key, sudo, docker and the managed-accounts group", () => {
    for (const name of ["ana", "ben"]) {
      expect(script).toContain(`id -u '${name}' >/dev/null 2>&1 || useradd --create-home --shell '/bin/bash' '${name}'`);
      expect(script).toContain(`usermod --shell '/bin/bash' --append --groups 'sudo,docker,hybridlab-operators' '${name}'`);
      expect(script).toContain(`printf '%s\\n' '${name} ALL=(ALL) NOPASSWD:ALL' > '/etc/sudoers.d/90-hybridlab-${name}'`);
    }
    expect(script).toContain(`printf '%s' '${Buffer.from(`${OPERATOR_KEY}\n`).toString("base64")}' | base64 -d > '/home/ana/.ssh/authorized_keys'`);
  });

  it("removes every account it manages that the estate no longer lists, and only those", () => {
    expect(script).toContain("keep=' ana ben '");
    expect(script).toContain("for user in $(getent group hybridlab-operators | cut -d: -f4 | tr ',' ' '); do");
    expect(script).toContain('  userdel "$user"');
  });

  it("changes with the operator set, and only with it", () => {
    expect(renderOperatorSync([ANA, BEN])).toBe(script);
    expect(renderOperatorSync([ANA])).not.toBe(script);
    expect(renderOperatorSync([ANA, { ...BEN, sshPublicKey: OPERATOR_KEY }])).not.toBe(script);
  });

  it.each([
    [[{ name: "hybridlab", sshPublicKey: OPERATOR_KEY }], 'operators[0].name: "hybridlab" is the deploy account; use a personal user name'],
    [[ANA, ANA], 'operators[1].name: "ana" is already used by operators[0]; operator names must be unique'],
    [[], "operators: [] must list at least one operator"],
  ])("fails when given %j", (operators, message) => {
    expect(() => renderOperatorSync(operators)).toThrow(message);
  });
});
