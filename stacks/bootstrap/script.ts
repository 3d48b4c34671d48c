/**
 * The bootstrap as a bash script, for machines without cloud-init (Proxmox LXC containers): the very document
 * `bootstrapDocument` builds, applied step by step in cloud-init's own module order (files, users, time zone,
 * packages, then the run commands, which end by touching the done marker).
 *
 * Idempotent: users are created only when missing, files are rewritten whole, packages are installed with apt, so
 * running it twice converges to the same machine. Pure and deterministic. File contents and the run commands are
 * embedded as base64, so no content can break the script's quoting.
 */
import { nodeBootstrap } from "../derive/bootstrap";
import type { Estate } from "../estate/schema";
import { bootstrapDocument, type BootstrapOptions, type CloudConfig, type CloudConfigUser } from "./cloudInit";

const APT_GET = "apt-get -o DPkg::Lock::Timeout=300";
const DONE_MARKER = "/var/lib/hybridlab/bootstrap-done";
const MARKER_STEPS = [`mkdir -p ${DONE_MARKER.slice(0, DONE_MARKER.lastIndexOf("/"))}`, `touch ${DONE_MARKER}`];

/** Base64 of UTF-8 text. */
export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** A value in single quotes for bash (every value here is validated, but quoting keeps that from mattering). */
export function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function writeFile(file: CloudConfig["write_files"][number]): string[] {
  const dir = file.path.slice(0, file.path.lastIndexOf("/")) || "/";
  return [
    `install -d -m 0755 ${q(dir)}`,
    `printf '%s' ${q(b64(file.content))} | base64 -d > ${q(file.path)}`,
    `chown ${q(file.owner)} ${q(file.path)}`,
    `chmod ${q(file.permissions)} ${q(file.path)}`,
  ];
}

/** Idempotent steps that create or update one user as cloud-init would: groups, key, sudo rule, locked password. */
export function userSteps(u: CloudConfigUser): string[] {
  const home = `/home/${u.name}`;
  return [
    ...u.groups.map((g) => `getent group ${q(g)} >/dev/null || groupadd ${q(g)}`),
    `id -u ${q(u.name)} >/dev/null 2>&1 || useradd --create-home --shell ${q(u.shell)} ${q(u.name)}`,
    `usermod --shell ${q(u.shell)} --append --groups ${q(u.groups.join(","))} ${q(u.name)}`,
    ...(u.lock_passwd ? [`passwd --lock ${q(u.name)} >/dev/null`] : []),
    `install -d -m 0700 -o ${q(u.name)} -g ${q(u.name)} ${q(`${home}/.ssh`)}`,
    `printf '%s' ${q(b64(`${u.ssh_authorized_keys.join("\n")}\n`))} | base64 -d > ${q(`${home}/.ssh/authorized_keys`)}`,
    `chown ${q(`${u.name}:${u.name}`)} ${q(`${home}/.ssh/authorized_keys`)}`,
    `chmod 0600 ${q(`${home}/.ssh/authorized_keys`)}`,
    // The sudoers rule cloud-init writes for `sudo:`, checked before it is installed.
    `printf '%s\\n' ${q(`${u.name} ${u.sudo}`)} > ${q(`/etc/sudoers.d/90-hybridlab-${u.name}`)}`,
    `chmod 0440 ${q(`/etc/sudoers.d/90-hybridlab-${u.name}`)}`,
    // Some LXC templates (Debian's) ship without sudo; the rule then waits, checked, for it to be installed.
    `if command -v visudo >/dev/null; then visudo -cf ${q(`/etc/sudoers.d/90-hybridlab-${u.name}`)} >/dev/null; fi`,
  ];
}

/** Renders the bootstrap for `options` as a bash script. Validates like `bootstrapDocument`. */
export function renderBootstrapScript(options: BootstrapOptions): string {
  const doc = bootstrapDocument(options);
  const lines = [
    "#!/bin/bash",
    `# hybridlab bootstrap for ${doc.hostname}, rendered from the same document as its cloud-init user data.`,
    "set -euo pipefail",
    "export DEBIAN_FRONTEND=noninteractive",
    "",
    "# Host name (manage_etc_hosts: the name resolves locally).",
    `printf '%s\\n' ${q(doc.hostname)} > /etc/hostname`,
    `hostname ${q(doc.hostname)}`,
    `grep -qE ${q(`^127\\.0\\.1\\.1[[:space:]]+${doc.hostname}$`)} /etc/hosts || printf '127.0.1.1 %s\\n' ${q(doc.hostname)} >> /etc/hosts`,
    "",
    "# Files (write_files), before packages so daemons start with their configuration.",
    ...doc.write_files.flatMap(writeFile),
    "",
    "# Operators (users): key-only login, passwordless sudo.",
    ...doc.users.flatMap(userSteps),
    "",
    "# Time zone.",
    `ln -sf ${q(`/usr/share/zoneinfo/${doc.timezone}`)} /etc/localtime`,
    `printf '%s\\n' ${q(doc.timezone)} > /etc/timezone`,
    "",
    "# Packages (package_update, package_upgrade, packages).",
    ...(doc.package_update ? [`${APT_GET} update`] : []),
    ...(doc.package_upgrade ? [`${APT_GET} -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold upgrade`] : []),
    `${APT_GET} install -y ${doc.packages.map(q).join(" ")}`,
    "",
    "# Run commands (runcmd), as cloud-init runs them: one sh script under `set -e`.",
    `printf '%s' ${q(b64(`${doc.runcmd.filter((c) => !MARKER_STEPS.includes(c)).join("\n")}\n`))} | base64 -d | sh`,
    "",
    "# Done: what the Docker host waits for.",
    ...MARKER_STEPS,
    "",
  ];
  return lines.join("\n");
}

/**
 * The script for a Proxmox LXC node (its template has no cloud-init), or undefined for any other node. Without
 * `tailscale` it holds no secret, which is how artifacts and plans render it.
 */
export function lxcBootstrapScript(
  estate: Pick<Estate, "nodes" | "access">,
  node: string,
  tailscale?: BootstrapOptions["tailscale"],
): string | undefined {
  if (estate.nodes[node]?.kind !== "proxmox-lxc") return undefined;
  return renderBootstrapScript({ ...nodeBootstrap(estate, node), ...(tailscale ? { tailscale } : {}) });
}
