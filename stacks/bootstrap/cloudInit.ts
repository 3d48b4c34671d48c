/**
 * The one bootstrap for every machine in the estate: cloud-init user data that puts operators, SSH hardening,
 * security updates, Docker and Tailscale on a host the same way, whether it is a Proxmox VM or a cloud VPS.
 *
 * Pure: plain options in, a plain object or a string out; the same options always give the same bytes.
 * Only cloud-config keys known to cloud-init 22.4 (Debian 12's version, the oldest we boot) are used.
 */
import { stringify } from "yaml";

/** A person who may log in: becomes a Linux user with this key and passwordless sudo. */
export interface BootstrapOperator {
  /** Linux user name (1-32 lowercase letters, digits, '_' or '-', starting with a letter); required, no default. */
  readonly name: string;
  /** One OpenSSH public key line, e.g. "ssh-ed25519 AAAA... you@host"; required, no default. */
  readonly sshPublicKey: string;
}

/** What to put on a host at first boot. */
export interface BootstrapOptions {
  /** Host name, a single lowercase DNS label; also the Tailscale machine name. Required, no default. */
  readonly hostname: string;
  /**
   * Operators to create (at least one); required, no default. Each gets its key, groups `sudo` (plus `docker` when
   * `docker` is on), passwordless sudo, bash as shell and a locked password. The image's default user is not created.
   */
  readonly operators: readonly BootstrapOperator[];
  /** The image's operating system; decides Docker package names and the Tailscale apt repository. Required. */
  readonly os: "ubuntu-22.04" | "ubuntu-24.04" | "debian-12";
  /**
   * Install qemu-guest-agent and start it; default false. For Proxmox VMs, whose agent option must be on (the unit
   * waits for the agent's virtio port, so the bootstrap fails without it).
   */
  readonly qemuGuestAgent?: boolean;
  /**
   * Install Docker from the distribution (docker.io plus docker-compose-v2 on Ubuntu, docker.io plus docker-compose
   * v1 on Debian 12, which has no compose v2 package) with json-file log rotation (10m x 3) and live-restore;
   * default false.
   */
  readonly docker?: boolean;
  /**
   * With `docker`, serve the daemon's own Prometheus metrics on this port on every interface (`metrics-addr`,
   * https://docs.docker.com/engine/daemon/prometheus/); default none (off).
   */
  readonly dockerMetricsPort?: number;
  /**
   * Join the tailnet; default undefined (not installed). Tailscale comes from its official apt repository for `os`;
   * the node joins as `hostname` with the given tags.
   */
  readonly tailscale?: {
    /**
     * Pre-auth key, required. Written to a root-only 0600 file that is deleted after joining, never to a command
     * line. It still sits in the user data (root-only on the host, but readable through the metadata service on
     * clouds), so use a single-use, short-lived key.
     */
    readonly authKey: string;
    /** ACL tag names without the "tag:" prefix, e.g. ["server", "hub"]; required, may be empty (no tags requested). */
    readonly tags: readonly string[];
    /** Also run Tailscale SSH (`tailscale up --ssh`); default false. */
    readonly ssh?: boolean;
  };
  /** Extra Debian packages ("name" or "name=version"), installed with the bootstrap's own; default none. */
  readonly packages?: readonly string[];
  /**
   * Extra files, written as root:root before packages are installed; `permissions` is four octal digits, default
   * "0644". Default none. Paths the bootstrap writes itself are refused.
   */
  readonly writeFiles?: readonly {
    /** Absolute path; required, no default. */
    path: string;
    /** Text written as is (add the final newline yourself); required, no default. */
    content: string;
    /** Mode as four octal digits; default "0644". */
    permissions?: string;
  }[];
  /**
   * Extra shell commands, run last (after Docker and Tailscale, before the done marker) by `sh` under `set -e`: a
   * failing command stops the bootstrap, so the done marker is never written. Default none.
   */
  readonly runcmd?: readonly string[];
  /** IANA time zone name; default "UTC". */
  readonly timezone?: string;
}

export interface CloudConfigUser {
  readonly name: string;
  readonly groups: readonly string[];
  readonly shell: string;
  readonly sudo: string;
  readonly lock_passwd: boolean;
  readonly ssh_authorized_keys: readonly string[];
}

interface CloudConfigFile {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  readonly permissions: string;
  /** Write in cloud-init's final stage, after packages are installed (cc_write_files_deferred). */
  readonly defer?: boolean;
}

/** The cloud-config document, key for key as cloud-init reads it (snake_case is cloud-init's). */
export interface CloudConfig {
  /** `options.hostname`. */
  readonly hostname: string;
  /** Always true: cloud-init writes the host name into /etc/hosts, so sudo can resolve it. */
  readonly manage_etc_hosts: boolean;
  /** `options.timezone`, "UTC" by default. */
  readonly timezone: string;
  /** One per operator, in order; replaces the image's default user. */
  readonly users: readonly CloudConfigUser[];
  /** Always true: root's authorized keys are refused. */
  readonly disable_root: boolean;
  /** Always false: no SSH password logins. */
  readonly ssh_pwauth: boolean;
  /** Always true. */
  readonly package_update: boolean;
  /** Always true. */
  readonly package_upgrade: boolean;
  /** The bootstrap's packages, then `options.packages`, without repeats. */
  readonly packages: readonly string[];
  /** The bootstrap's files, then `options.writeFiles`. */
  readonly write_files: readonly CloudConfigFile[];
  /** The bootstrap's commands, then `options.runcmd`, then the done marker; the first is `set -e`. */
  readonly runcmd: readonly string[];
}

type BootstrapOs = BootstrapOptions["os"];

const DONE_MARKER = "/var/lib/hybridlab/bootstrap-done";
const AUTH_KEY_FILE = "/etc/tailscale/authkey";
// Named "10-" so it sorts before the images' own drop-ins (Ubuntu's 50-cloud-init.conf, 60-cloudimg-settings.conf):
// sshd keeps the first value it reads for each keyword.
const SSHD_DROP_IN = "/etc/ssh/sshd_config.d/10-hybridlab.conf";
const AUTO_UPGRADES = "/etc/apt/apt.conf.d/20auto-upgrades";
const DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";
const TAILSCALE_KEYRING = "/usr/share/keyrings/tailscale-archive-keyring.gpg";
// apt in the runcmd races the apt-daily timers on a fresh boot; wait for the lock instead of failing.
const APT_GET = "apt-get -o DPkg::Lock::Timeout=300";

const osFacts: Record<BootstrapOs, { readonly tailscaleRepo: string; readonly dockerPackages: readonly string[] }> = {
  "ubuntu-22.04": { tailscaleRepo: "ubuntu/jammy", dockerPackages: ["docker.io", "docker-compose-v2"] },
  "ubuntu-24.04": { tailscaleRepo: "ubuntu/noble", dockerPackages: ["docker.io", "docker-compose-v2"] },
  "debian-12": { tailscaleRepo: "debian/bookworm", dockerPackages: ["docker.io", "docker-compose"] },
};

const SSHD_HARDENING = [
  "# Written by the hybridlab bootstrap: key-only SSH, no root login.",
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin no",
  "",
].join("\n");

// The same two lines the unattended-upgrades package ships; with the distributions' default origins this installs
// security updates daily.
const AUTO_UPGRADES_CONTENT = ['APT::Periodic::Update-Package-Lists "1";', 'APT::Periodic::Unattended-Upgrade "1";', ""].join("\n");

/**
 * https://docs.docker.com/engine/logging/drivers/json-file/ : log-opts values must be strings. On a tailnet,
 * containers resolve through Tailscale's resolver: copied from the host, systemd-resolved's upstreams answer
 * "no such name" for MagicDNS names (tailscale/tailscale#14467), and apps reach other hosts by those names.
 */
function dockerDaemonConfig(tailnet: boolean, metricsPort: number | undefined): string {
  const config = {
    "live-restore": true,
    "log-driver": "json-file",
    "log-opts": { "max-file": "3", "max-size": "10m" },
    ...(tailnet ? { dns: [TAILSCALE_RESOLVER] } : {}),
    ...(metricsPort !== undefined ? { "metrics-addr": `0.0.0.0:${metricsPort}` } : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** MagicDNS's resolver, which also forwards every other name to the host's own resolvers. */
const TAILSCALE_RESOLVER = "100.100.100.100";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const USER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
// Debian's base-passwd accounts (plus sshd): cloud-init would add keys and sudo to an existing system account.
export const RESERVED_USERS: ReadonlySet<string> = new Set(["root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "sshd"]);
const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;
const TIMEZONE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?$/;
// tailcfg.CheckTag: after "tag:", a letter, then letters, digits or '-'.
const TAILSCALE_TAG = /^[A-Za-z][A-Za-z0-9-]*$/;
const PERMISSIONS = /^[0-7]{4}$/;

/** A value as it appears in an error message: JSON-quoted, long values shortened. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 72 ? `${text.slice(0, 69)}..."` : text;
}

/** The files the bootstrap writes itself for these options, before any of the caller's. */
function builtInFiles(options: BootstrapOptions): CloudConfigFile[] {
  const files: CloudConfigFile[] = [
    { path: SSHD_DROP_IN, content: SSHD_HARDENING, owner: "root:root", permissions: "0644" },
    { path: AUTO_UPGRADES, content: AUTO_UPGRADES_CONTENT, owner: "root:root", permissions: "0644" },
  ];
  // Written before packages are installed, so Docker's first start (in docker.io's postinst) already uses it.
  if (options.docker === true) files.push({ path: DOCKER_DAEMON_JSON, content: dockerDaemonConfig(options.tailscale !== undefined, options.dockerMetricsPort), owner: "root:root", permissions: "0644" });
  if (options.tailscale !== undefined) files.push({ path: AUTH_KEY_FILE, content: `${options.tailscale.authKey}\n`, owner: "root:root", permissions: "0600" });
  return files;
}

/** Problems with a list of operators, one line each, every field path prefixed with `prefix`. */
export function operatorProblems(operators: readonly BootstrapOperator[], prefix: string): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${prefix}${field}: ${message}`);
  if (operators.length === 0) at("operators", "[] must list at least one operator");
  const operatorIndex = new Map<string, number>();
  operators.forEach((operator, i) => {
    if (!USER_NAME.test(operator.name)) {
      at(`operators[${i}].name`, `${show(operator.name)} must be a Linux user name (1-32 lowercase letters, digits, '_' or '-', starting with a letter)`);
    } else if (RESERVED_USERS.has(operator.name)) {
      at(`operators[${i}].name`, `${show(operator.name)} is a system account; use a personal user name`);
    } else if (operatorIndex.has(operator.name)) {
      at(`operators[${i}].name`, `${show(operator.name)} is already used by operators[${operatorIndex.get(operator.name)}]; operator names must be unique`);
    } else {
      operatorIndex.set(operator.name, i);
    }
    if (!SSH_PUBLIC_KEY.test(operator.sshPublicKey)) {
      at(`operators[${i}].sshPublicKey`, `${show(operator.sshPublicKey)} must be one OpenSSH public key line such as "ssh-ed25519 AAAA... you@host"`);
    }
  });
  return problems;
}

/** The Linux account cloud-init creates for an operator: its key, sudo (and docker), passwordless sudo, no password. */
export function operatorUser(operator: BootstrapOperator, docker: boolean): CloudConfigUser {
  return {
    name: operator.name,
    // cloud-init creates a missing "docker" group; docker.io's postinst then keeps it (it adds one only if absent).
    groups: docker ? ["sudo", "docker"] : ["sudo"],
    shell: "/bin/bash",
    sudo: "ALL=(ALL) NOPASSWD:ALL",
    lock_passwd: true,
    ssh_authorized_keys: [operator.sshPublicKey],
  };
}

/**
 * Checks options before anything is rendered. Throws one Error listing every problem, one per line, each naming the
 * field and showing the bad value (except the Tailscale auth key, which is never echoed).
 */
export function validateBootstrapOptions(options: BootstrapOptions): void {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`bootstrap.${field}: ${message}`);

  if (!DNS_LABEL.test(options.hostname)) {
    at("hostname", `${show(options.hostname)} must be a DNS label (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit)`);
  }
  if (!Object.hasOwn(osFacts, options.os)) {
    at("os", `${show(options.os)} must be one of ${Object.keys(osFacts).map(show).join(", ")}`);
  }

  problems.push(...operatorProblems(options.operators, "bootstrap."));

  const timezone = options.timezone ?? "UTC";
  if (!TIMEZONE.test(timezone)) at("timezone", `${show(timezone)} must be an IANA time zone name such as "UTC" or "Europe/Berlin"`);

  (options.packages ?? []).forEach((name, i) => {
    if (!PACKAGE.test(name)) at(`packages[${i}]`, `${show(name)} must be a Debian package name such as "htop", optionally "name=version"`);
  });

  const tailscale = options.tailscale;
  if (tailscale !== undefined) {
    if (tailscale.authKey.length === 0 || /\s/.test(tailscale.authKey)) {
      at("tailscale.authKey", "must be a non-empty auth key without whitespace (value not shown: it is a secret)");
    }
    const seen = new Set<string>();
    tailscale.tags.forEach((tag, i) => {
      if (!TAILSCALE_TAG.test(tag)) {
        at(`tailscale.tags[${i}]`, `${show(tag)} must be a bare tag name such as "server": a letter, then letters, digits or '-' ("tag:" is added)`);
      } else if (seen.has(tag)) {
        at(`tailscale.tags[${i}]`, `${show(tag)} is listed twice`);
      }
      seen.add(tag);
    });
  }

  const taken = new Map<string, string>(builtInFiles(options).map((file) => [file.path, "the bootstrap itself"]));
  (options.writeFiles ?? []).forEach((file, i) => {
    const { path } = file;
    if (!path.startsWith("/") || path.endsWith("/") || path.split("/").some((part) => part === ".." || part === ".") || /[\s\0]/.test(path)) {
      at(`writeFiles[${i}].path`, `${show(path)} must be an absolute file path without whitespace or '.'/'..' segments, such as "/etc/app/config.yaml"`);
    } else if (taken.has(path)) {
      at(`writeFiles[${i}].path`, `${show(path)} is already written by ${taken.get(path)}; each path may be written once`);
    } else {
      taken.set(path, `writeFiles[${i}]`);
    }
    if (file.permissions !== undefined && !PERMISSIONS.test(file.permissions)) {
      at(`writeFiles[${i}].permissions`, `${show(file.permissions)} must be four octal digits such as "0644" or "0600"`);
    }
  });

  (options.runcmd ?? []).forEach((command, i) => {
    if (command.trim().length === 0) at(`runcmd[${i}]`, `${show(command)} must be a non-empty shell command`);
  });

  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** The commands cloud-init runs after packages are installed, in order; `set -e` makes the done marker mean success. */
function commands(options: BootstrapOptions): string[] {
  const run: string[] = ["set -e"];
  const { tailscale } = options;
  // Whatever happens after this point, the auth key does not outlive the bootstrap.
  if (tailscale !== undefined) run.push(`trap 'rm -f ${AUTH_KEY_FILE}' EXIT`);
  run.push("systemctl restart ssh");
  if (options.qemuGuestAgent === true) run.push("systemctl enable --now qemu-guest-agent");
  if (options.docker === true) run.push("systemctl enable --now docker");
  if (tailscale !== undefined) {
    // https://tailscale.com/kb/1031/install-linux : the keyring and source list for this release.
    const base = `https://pkgs.tailscale.com/stable/${osFacts[options.os].tailscaleRepo}`;
    // A bounded join: an unreachable control plane fails the bootstrap instead of hanging `cloud-init status --wait`.
    const up = [`tailscale up --auth-key=file:${AUTH_KEY_FILE}`, `--hostname=${options.hostname}`, "--timeout=5m"];
    if (tailscale.tags.length > 0) up.push(`--advertise-tags=${tailscale.tags.map((tag) => `tag:${tag}`).join(",")}`);
    if (tailscale.ssh === true) up.push("--ssh");
    run.push(
      `curl -fsSL ${base}.noarmor.gpg -o ${TAILSCALE_KEYRING}`,
      `curl -fsSL ${base}.tailscale-keyring.list -o /etc/apt/sources.list.d/tailscale.list`,
      `${APT_GET} update`,
      `DEBIAN_FRONTEND=noninteractive ${APT_GET} install -y tailscale`,
      "systemctl enable --now tailscaled",
      up.join(" "),
      `rm -f ${AUTH_KEY_FILE}`,
    );
  }
  run.push(...(options.runcmd ?? []));
  run.push(`mkdir -p ${DONE_MARKER.slice(0, DONE_MARKER.lastIndexOf("/"))}`, `touch ${DONE_MARKER}`);
  return run;
}

/** The cloud-config for these options as a plain object. Validates first (see `validateBootstrapOptions`). */
export function bootstrapDocument(options: BootstrapOptions): CloudConfig {
  validateBootstrapOptions(options);
  const docker = options.docker === true;
  const packages = [
    "unattended-upgrades",
    ...(options.qemuGuestAgent === true ? ["qemu-guest-agent"] : []),
    ...(docker ? osFacts[options.os].dockerPackages : []),
    ...(options.tailscale !== undefined ? ["ca-certificates", "curl"] : []),
    ...(options.packages ?? []),
  ];
  return {
    hostname: options.hostname,
    manage_etc_hosts: true,
    timezone: options.timezone ?? "UTC",
    // Listing users replaces the image's default user (ubuntu/debian): only operators can log in.
    users: options.operators.map((operator) => operatorUser(operator, docker)),
    disable_root: true,
    ssh_pwauth: false,
    package_update: true,
    package_upgrade: true,
    packages: [...new Set(packages)],
    write_files: [
      ...builtInFiles(options),
      ...(options.writeFiles ?? []).map((file) => ({ path: file.path, content: file.content, owner: "root:root", permissions: file.permissions ?? "0644" })),
    ],
    runcmd: commands(options),
  };
}

/**
 * The user data: "#cloud-config" and the document as YAML. Rendered with YAML 1.1 rules because cloud-init reads it
 * with PyYAML: strings such as "yes", "on" or "0600" are quoted so they stay strings. Lines are never folded.
 */
export function renderCloudInit(options: BootstrapOptions): string {
  return `#cloud-config\n${stringify(bootstrapDocument(options), { version: "1.1", lineWidth: 0 })}`;
}
