/**
 * The operator sync: the bash script that makes a running machine's operators exactly the estate's. Run by the
 * deploy account with sudo whenever the operator set changes (and on every rebuilt machine), so adding, removing
 * or re-keying an operator never touches a machine's first boot.
 *
 * Idempotent: every operator is created or updated (groups, its one key, passwordless sudo, locked password);
 * every account the sync created before and the estate no longer lists is removed. Managed accounts are those in
 * the group `hybridlab-operators`, so system and hand-made accounts are never touched. Pure and deterministic.
 */
import { operatorProblems, operatorUser, type BootstrapOperator } from "./cloudInit";
import { DEPLOY_USER } from "./deployUser";
import { q, userSteps } from "./script";

/** The group that marks the accounts the sync manages. */
export const OPERATORS_GROUP = "hybridlab-operators";

/** Renders the sync for `operators` (validated like the bootstrap's; the deploy account may not be one). */
export function renderOperatorSync(operators: readonly BootstrapOperator[]): string {
  const problems = operatorProblems(operators, "");
  operators.forEach((op, i) => {
    if (op.name === DEPLOY_USER) problems.push(`operators[${i}].name: "${DEPLOY_USER}" is the deploy account; use a personal user name`);
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const users = operators.map((op) => {
    const user = operatorUser(op, true);
    return { ...user, groups: [...user.groups, OPERATORS_GROUP] };
  });
  const keep = operators.map((op) => op.name).join(" ");
  return [
    "#!/bin/bash",
    "# hybridlab operator sync: this machine's operators become exactly the estate's.",
    "set -euo pipefail",
    "",
    "# Operators: created or updated, key-only login, passwordless sudo.",
    ...users.flatMap(userSteps),
    "",
    "# Departed operators: accounts this sync created that the estate no longer lists. Their sessions end, their key",
    "# and sudo rule go, the account is deleted; the home directory stays for whoever cleans up after them.",
    `keep=${q(` ${keep} `)}`,
    `for user in $(getent group ${OPERATORS_GROUP} | cut -d: -f4 | tr ',' ' '); do`,
    '  case "$keep" in *" $user "*) continue ;; esac',
    '  pkill -KILL -u "$user" || true',
    '  rm -f "/etc/sudoers.d/90-hybridlab-$user" "/home/$user/.ssh/authorized_keys"',
    '  userdel "$user"',
    '  echo "removed departed operator $user"',
    "done",
    "",
  ].join("\n");
}
