/**
 * The estate schema: the shape of everything a stack states under the `hybridlab:` config namespace.
 * Shape only (types, ranges, unknown keys); facts that relate one part to another are checked in `rules.ts`.
 */
import { z } from "zod";
import { osImages } from "../../components/os";
import { RESERVED_USERS } from "../bootstrap/cloudInit";
import { DEPLOY_USER } from "../bootstrap/deployUser";
import { containerFields } from "./containerSchema";
import { azureImport, digitalOceanImport, dnsImport, hetznerImport, proxmoxLxcImport, proxmoxVmImport } from "./adoption";
import { isCidr, isIpv4, isIpv4Cidr, isIpv6 } from "./net";
import { isOfflinePlaceholder } from "./secrets";

const resourceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, "must be 2-40 lowercase letters, digits or '-', starting with a letter");
const tag = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be lowercase letters, digits, '-' or '_'");
const tags = z.array(tag).default([]);
const ipv4 = z.string().refine(isIpv4, "must be an IPv4 address such as 192.168.1.10");
const ipv4Cidr = z.string().refine(isIpv4Cidr, "must be an IPv4 address with prefix such as 192.168.1.10/24");
const cidr = z.string().refine(isCidr, "must be an IPv4 or IPv6 network with prefix such as 198.51.100.0/24 or 2001:db8::/48");
const positiveInt = z.number().int().positive();
const port = z.number().int().min(1).max(65535);
// Length first (RFC 5321 caps a path at 254): zod's email pattern on a megabytes-long value exhausts the stack.
const emailFormat = z.email();
const email = z.string().refine((value) => value.length <= 254 && emailFormat.safeParse(value).success, "must be an email address");
const dnsLabel = z.string().regex(/^(@|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/, "must be one DNS label such as 'grafana', or '@' for the apex");
const domain = z
  .string()
  .max(253, "must be at most 253 characters (DNS)")
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase domain such as example.com");
// The comment is free text, but it lands in cloud-init YAML, shell scripts and authorized_keys: no control characters.
const SSH_KEY_LINE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]{20,}={0,3}( [^\r\n]*)?$/;
const sshPublicKey = z
  .string()
  .regex(SSH_KEY_LINE, "must be an OpenSSH public key line such as 'ssh-ed25519 AAAA... you@host'")
  // Judged only on a well-formed key line (so the comment is what holds them): a pasted private key is one problem.
  .refine((key) => !SSH_KEY_LINE.test(key) || !/[\p{Cc}\u2028\u2029]/u.test(key), "must not contain control characters (its comment reaches cloud-init, scripts and authorized_keys)");
/** Free text that reaches generated files or container environments: one line, no control characters. */
// Control characters spelled as ranges (\p{Cc} is U+0000-001F and U+007F-009F), so the pattern means the same in the
// JSON Schema an editor reads without the regex "u" flag.
const text = z.string().regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, "must be one line of text without control characters");

const osImage = z.enum(osImages);

// ---- Proxmox sites --------------------------------------------------------------------------------------------

export const datastoreContents = ["images", "rootdir", "snippets", "iso", "vztmpl", "backup", "import"] as const;

const datastore = z.strictObject({
  /** What the Proxmox storage is configured to hold (its `content` setting). */
  content: z.array(z.enum(datastoreContents)).min(1),
});

const bridge = z.strictObject({
  /** The bridge's subnet; every static guest address on it must fall inside. */
  cidr: ipv4Cidr,
  /** Default gateway for guests on this bridge. */
  gateway: ipv4.optional(),
  /** DNS servers handed to guests on this bridge. */
  nameservers: z.array(ipv4).default([]),
});

const capacity = z.strictObject({
  cores: positiveInt,
  memoryMiB: positiveInt,
  diskGiB: positiveInt,
});

const overcommit = z.strictObject({
  cpu: z.number().min(1).max(16).default(4),
  memory: z.number().min(1).max(4).default(1),
  disk: z.number().min(1).max(4).default(1),
});

const proxmoxSite = z.strictObject({
  /** Proxmox VE API URL, e.g. https://pve.lan:8006/. Credentials stay in provider config (see `credential`). */
  endpoint: z.url({ protocol: /^https$/, error: "must be an https:// URL such as https://pve.lan:8006/" }),
  /**
   * The config key holding this site's credential, read as a secret: its API token, or root@pam's password with
   * `rootAuth`. Each site names its own (`proxmoxve:hetznerApiToken`, set with `pulumi config set --secret`), so
   * sites with different hosts never share one; default `proxmoxve:apiToken` (`proxmoxve:password` with `rootAuth`).
   */
  credential: z
    .string()
    .regex(/^proxmoxve:[A-Za-z][A-Za-z0-9_-]*$/, "must be a config key in the proxmoxve namespace such as proxmoxve:hetznerApiToken")
    .optional(),
  /** The PVE node name guests are placed on (`pvesh get /nodes`). */
  node: resourceName,
  /** Storages on the node, by name. */
  datastores: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be a Proxmox storage id"), datastore),
  /** Linux bridges on the node, by name (vmbr0, ...). */
  bridges: z.record(z.string().regex(/^vmbr\d+$/, "must be a Proxmox bridge name such as vmbr0"), bridge),
  /** Accept the API's self-signed certificate (a fresh Proxmox install has one). */
  insecure: z.boolean().default(false),
  /**
   * SSH to the node, which VMs need: their cloud-init snippets are uploaded over SSH (the API cannot write them).
   * The key comes from your SSH agent, or from `proxmoxve:sshPrivateKey` (secret).
   */
  ssh: z
    .strictObject({
      username: z.string().min(1).default("root"),
      agent: z.boolean().default(true),
      /** The host's SSH port (snippet uploads and every other SSH connection to the host); default 22. */
      port: port.optional(),
      /**
       * Reach the site's guests at their LAN addresses through the host (an SSH jump as `username`, at the endpoint's
       * address and `port`): for a LAN the program is not on, such as a Proxmox server at a hoster with its guests on
       * a private bridge. Used for every connection to a guest's LAN address (all of them without a tailnet, an LXC's
       * bootstrap with one). Default false.
       */
      jump: z.boolean().default(false),
    })
    .optional(),
  /**
   * Authenticate as root@pam (password in `proxmoxve:password`, secret) instead of an API token
   * (`proxmoxve:apiToken`): Proxmox lets only root@pam set the LXC feature keyctl that Docker needs.
   */
  rootAuth: z.boolean().default(false),
  /**
   * Monitor the Proxmox host and its guests with prometheus-pve-exporter, run on one of the site's guests (it reaches
   * the API at `endpoint` over the LAN). The token must be read-only (role PVEAuditor on /, per the exporter's
   * README); its secret is `hybridlab:pveExporterTokens.<site>`. Absent: the site's host is not monitored.
   */
  pveExporter: z
    .strictObject({
      /** The API token's id, user and token name: `prometheus@pve!monitoring`. */
      tokenId: z.string().regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$/, "must be a Proxmox API token id such as prometheus@pve!monitoring"),
      /** The guest (a node of this site) that runs the exporter; default the site's first guest by name. */
      node: resourceName.optional(),
    })
    .optional(),
  /** What the node can give guests; placement is checked against capacity x overcommit. */
  capacity,
  overcommit: overcommit.prefault({}),
});

// ---- Nodes ----------------------------------------------------------------------------------------------------

export const nodeRoles = ["hub", "spoke", "lab"] as const;

const nodeCommon = {
  /** hub: public entry point (reverse proxy, monitoring); spoke: cloud worker; lab: private Proxmox guest. */
  role: z.enum(nodeRoles),
  tags,
  description: text.max(200).optional(),
  /**
   * Serve the Docker daemon's own metrics (`metrics-addr`, port 9323) for the monitoring app; default false. It is
   * first-boot configuration: turning it on for a running node rebuilds the machine (the change preview says so).
   */
  dockerMetrics: z.boolean().default(false),
};

const guestNetwork = z.strictObject({
  bridge: z.string(),
  /** Static address with prefix (192.168.1.100/24), or "dhcp". */
  address: z.union([z.literal("dhcp"), ipv4Cidr]),
  /** Overrides the bridge's gateway. */
  gateway: ipv4.optional(),
  vlan: z.number().int().min(1).max(4094).optional(),
});

const proxmoxGuest = {
  ...nodeCommon,
  site: z.string(),
  /** Proxmox guest id, unique per cluster. */
  vmid: z.number().int().min(100).max(999_999_999),
  cores: positiveInt.max(128),
  memoryMiB: positiveInt.min(256).max(4_194_304),
  diskGiB: positiveInt.max(65_536),
  /** Storage for the root disk; defaults to the site's first storage that can hold it. */
  datastore: z.string().optional(),
  networks: z.array(guestNetwork).min(1),
  /** Boot order among the site's guests (lower starts first). */
  startupOrder: z.number().int().min(0).max(9999).optional(),
  /** Schedule a vzdump backup (daily by default for guests that hold data). */
  backup: z.boolean().optional(),
  /**
   * The hub's public address, which Proxmox cannot report: DNS A (and AAAA with `ipv6`) records point at it. Either
   * the guest holds it (a NIC on the host's public bridge with this address) or the Proxmox host forwards 80/tcp,
   * 443/tcp and 443/udp from it to the guest's LAN address (the `hostForwarding` stack output says what to forward).
   */
  publicAddress: z.strictObject({ ipv4, ipv6: z.string().refine(isIpv6, "must be an IPv6 address such as 2001:db8::10").optional() }).optional(),
};

const proxmoxVm = z.strictObject({
  kind: z.literal("proxmox-vm"),
  ...proxmoxGuest,
  /** A VM's root disk holds a cloud image, which needs a few GiB. */
  diskGiB: positiveInt.min(4).max(65_536),
  image: osImage.default("ubuntu-24.04"),
  /** An existing VM to adopt instead of creating one: `<PVE node>/<VMID>` (see adoption.ts). */
  import: proxmoxVmImport.optional(),
});

const proxmoxLxc = z.strictObject({
  kind: z.literal("proxmox-lxc"),
  ...proxmoxGuest,
  template: osImage.default("ubuntu-24.04"),
  swapMiB: z.number().int().min(0).default(512),
  /** Unprivileged unless there is no other way. */
  unprivileged: z.boolean().default(true),
  /** Extra data volumes mounted into the container. */
  mounts: z
    .array(z.strictObject({ path: z.string().regex(/^\/[^\s]*$/, "must be an absolute path"), sizeGiB: positiveInt, datastore: z.string().optional() }))
    .default([]),
  /** An existing container to adopt: `{id: <PVE node>/<VMID>, unprivileged}` (see adoption.ts). */
  import: proxmoxLxcImport.optional(),
});

const cloudNode = {
  ...nodeCommon,
  /** Provider size (cx23, s-1vcpu-2gb, Standard_B2s) or a neutral class: small | medium | large. */
  size: z.string(),
  /** Provider region or location; defaults to the provider's default in the size catalog. */
  region: z.string().optional(),
  image: osImage.default("ubuntu-24.04"),
};

// `import`: the id of an existing machine to adopt instead of creating one (see adoption.ts).
const hetznerServer = z.strictObject({ kind: z.literal("hetzner"), ...cloudNode, import: hetznerImport.optional() });
const digitalOceanDroplet = z.strictObject({ kind: z.literal("digitalocean"), ...cloudNode, import: digitalOceanImport.optional() });
const azureVm = z.strictObject({ kind: z.literal("azure"), ...cloudNode, import: azureImport.optional() });

const node = z.discriminatedUnion("kind", [proxmoxVm, proxmoxLxc, hetznerServer, digitalOceanDroplet, azureVm]);

// ---- Apps -----------------------------------------------------------------------------------------------------

export const exposures = ["public", "sso", "tailnet"] as const;
export type Exposure = (typeof exposures)[number];

const appCommon = {
  /** The node that runs the app's containers. */
  node: z.string(),
  /** Public hostname as a label under the DNS base domain ('@' for the apex); absent keeps the app private. */
  hostname: dnsLabel.optional(),
  /**
   * Who gets in: `public` (anyone; the app's own login protects it), `sso` (behind the estate's single sign-on) or
   * `tailnet` (no DNS record, no route: over the mesh only). Default `public` with a hostname, `tailnet` without.
   */
  exposure: z.enum(exposures).optional(),
  /**
   * Who may reach it: for `sso`, email addresses or `@domain`s; for `tailnet`, tailnet users (emails) or
   * `group:<name>` from `tailnet.groups`. Admins always may. Default none.
   */
  allow: z.array(z.string().regex(/^(group:[a-z][a-z0-9-]*|@[a-z0-9.-]+\.[a-z]{2,63}|[^\s@]+@[a-z0-9.-]+\.[a-z]{2,63})$/, "must be an email, an @domain or group:<name>")).default([]),
  /** Mark the app as having no login of its own (or one you do not trust), so it is never `public`. */
  ownLogin: z.literal(false).optional(),
  /** Host port overrides by port name (see the app catalog for each kind's ports and defaults). */
  ports: z.record(z.string(), port).default({}),
};

/**
 * Where an app's workers run: a count on the app's own node, or a count per node (`[{node: analytics, count: 2}]`).
 * Workers on other nodes reach the app over the mesh, or the LAN without a tailnet.
 */
const workerPlacement = z.union([
  z.number().int().min(1).max(16),
  z.array(z.strictObject({ node: z.string(), count: z.number().int().min(1).max(16) })).min(1, "must place workers on at least one node"),
]);
export type WorkerPlacement = z.infer<typeof workerPlacement>;

const reverseProxy = z.strictObject({
  kind: z.literal("reverse-proxy"),
  ...appCommon,
  /** Account email for Let's Encrypt. */
  acmeEmail: email,
});

const moodle = z.strictObject({
  kind: z.literal("moodle"),
  ...appCommon,
  siteName: text.min(1).default("Moodle"),
  adminEmail: email,
});

const airflow = z.strictObject({
  kind: z.literal("airflow"),
  ...appCommon,
  executor: z.enum(["LocalExecutor", "CeleryExecutor"]).default("LocalExecutor"),
  /** Celery workers (CeleryExecutor only): a count on the app's node (default 1), or a count per node. */
  workers: workerPlacement.optional(),
});

const mlflow = z.strictObject({
  kind: z.literal("mlflow"),
  ...appCommon,
  /** A MinIO app that stores artifacts; absent keeps artifacts on a local volume. */
  artifactStore: z.string().optional(),
  artifactBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{2,62}$/, "must be an S3 bucket name").default("mlflow"),
  /** Run MLflow's basic-auth app (`--app-name basic-auth`, admin credentials generated): its own login. */
  basicAuth: z.boolean().default(false),
});

const minio = z.strictObject({
  kind: z.literal("minio"),
  ...appCommon,
  /** Buckets created at deploy. */
  buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{2,62}$/, "must be an S3 bucket name")).default([]),
});

const spark = z.strictObject({
  kind: z.literal("spark"),
  ...appCommon,
  /** Workers: a count on the app's node, or a count per node; each offers workerCores and workerMemoryMiB. */
  workers: workerPlacement.default(1),
  workerCores: z.number().int().min(1).max(64).default(2),
  workerMemoryMiB: z.number().int().min(512).max(262_144).default(2048),
  /** A MinIO app jobs read and write over S3A (`s3a://<bucket>/...`) with Spark's own credentials; absent: none. */
  objectStore: z.string().optional(),
  /** The object store bucket Spark may use. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{2,62}$/, "must be an S3 bucket name").default("spark-data"),
});

const monitoring = z.strictObject({
  kind: z.literal("monitoring"),
  ...appCommon,
  retentionDays: z.number().int().min(1).max(365).default(15),
  /** Where Alertmanager sends alerts by email (needs `smtp`); absent keeps alerts in Alertmanager's UI. */
  alertEmail: email.optional(),
  /** The mail relay alerts go through; its password is the secret `hybridlab:smtpPassword`. */
  smtp: z
    .strictObject({
      smarthost: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/, "must be host:port such as smtp.example.com:587")
        .refine((v) => {
          const port = Number(v.slice(v.lastIndexOf(":") + 1));
          return port >= 1 && port <= 65535;
        }, "must have a port from 1 to 65535"),
      from: email,
      username: z.string().regex(/^[^\s\u0000-\u001f\u007f-\u009f]+$/, "must be a user name without spaces or control characters"),
    })
    .optional(),
});

const identity = z.strictObject({
  kind: z.literal("identity"),
  ...appCommon,
  /** The Keycloak realm people sign in to; created at deploy with the single sign-on client. */
  realm: resourceName.default("hybridlab"),
});

/** Any other image, with the catalog apps' guarantees (see containerSchema.ts for its fields). */
const container = z.strictObject({
  kind: z.literal("container"),
  ...appCommon,
  ...containerFields,
});

const app = z.discriminatedUnion("kind", [reverseProxy, moodle, airflow, mlflow, minio, spark, monitoring, identity, container]);

// ---- The rest ---------------------------------------------------------------------------------------------------

const dns = z.strictObject({
  /** The Cloudflare zone, e.g. example.com. */
  zone: domain,
  /** Label between app hostnames and the zone (dev -> grafana.dev.example.com). */
  subdomain: dnsLabel.refine((v) => v !== "@", "must be a label, not '@'").optional(),
  /** Record TTL in seconds; 1 means Cloudflare's automatic. */
  ttl: z.union([z.literal(1), z.number().int().min(60).max(86400)]).default(300),
  /** Route through Cloudflare's proxy (orange cloud). */
  proxied: z.boolean().default(false),
  /** Add www.<base> for the app that holds the apex ('@'). */
  www: z.boolean().default(false),
  /** Existing records to adopt instead of creating them (see adoption.ts). */
  import: dnsImport.optional(),
});

const tailnet = z.strictObject({
  /** Tailnet name as shown in the admin console (example.com or tail1234.ts.net). */
  name: z.string().min(3),
  /**
   * MagicDNS suffix (tail1234.ts.net, from the admin console's DNS page). Nodes reach each other as
   * <node>.<suffix>; without it they use bare MagicDNS names (<node>), which rely on the tailnet's search domain.
   */
  magicDnsSuffix: domain.optional(),
  /** Lifetime of the per-node auth keys, in days. */
  keyExpiryDays: z.number().int().min(1).max(90).default(90),
  /** Adopt the tailnet's existing policy file (import it) instead of overwriting it on the first `pulumi up`. */
  importAcl: z.boolean().optional(),
  /**
   * People on the tailnet, by group (`group:<name>` in the policy file): its members' login emails and the nodes
   * they may SSH to. What else they may reach is each app's `allow`.
   */
  groups: z
    .record(
      resourceName,
      z.strictObject({
        members: z.array(email).min(1, "must list at least one member's tailnet login email"),
        ssh: z.array(z.string()).default([]),
      }),
    )
    .default({}),
});

const sso = z.strictObject({
  /** The identity app (kind identity: Keycloak) that signs people in. */
  identity: z.string().optional(),
  /** Or an external OpenID Connect issuer, e.g. https://accounts.google.com; its client secret is `hybridlab:ssoClientSecret`. */
  issuer: z.url({ protocol: /^https$/, error: "must be an https:// URL such as https://accounts.google.com" }).optional(),
  /** The external issuer's client id for this estate's sign-in proxy. */
  clientId: z.string().min(1).optional(),
  /** Email domains whose people may sign in to every sso app (each app may narrow it with `allow`). */
  emailDomains: z.array(domain).default([]),
});

const operator = z.strictObject({
  /** Becomes a Linux user on every node. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a Linux user name: 1-32 lowercase letters, digits, '_' or '-', starting with a letter")
    .refine((n) => !RESERVED_USERS.has(n), "must not be a system account such as root or nobody")
    .refine((n) => n !== DEPLOY_USER, `must not be "${DEPLOY_USER}", the account automation logs in with`),
  sshPublicKey,
});

const access = z.strictObject({
  /** Networks allowed to reach SSH on public nodes; empty means SSH only over the tailnet. */
  adminCidrs: z.array(cidr).default([]),
  /**
   * The public key automation (remote commands, Docker over SSH) logs in with, as the account `hybridlab` on every
   * node: the public half of `hybridlab:sshPrivateKey`, or of a key in your SSH agent. A machine's first boot holds
   * this key and no operator's, so operators come and go without touching a running machine's user data.
   */
  deployKey: sshPublicKey,
});

const budget = z.strictObject({
  monthly: z.number().positive(),
  currency: z.enum(["EUR", "USD"]).default("EUR"),
});

/** Every top-level key under `hybridlab:`, each a stack config value. */
export const estateSchema = z.strictObject({
  environment: z.enum(["dev", "prod"]),
  proxmox: z.record(resourceName, proxmoxSite).default({}),
  nodes: z.record(resourceName, node).default({}),
  apps: z.record(resourceName, app).default({}),
  dns: dns.optional(),
  tailnet: tailnet.optional(),
  operators: z.array(operator).min(1, "must list at least one operator with an SSH public key"),
  access,
  /** The monthly budget for paid (cloud) nodes; required when the estate has any, optional for Proxmox alone. */
  budget: budget.optional(),
  /**
   * Private key the program uses to reach nodes over SSH (remote commands, Docker over ssh://). Set it with
   * `pulumi config set --secret hybridlab:sshPrivateKey < key`; without it the local SSH agent is used.
   * The program reads it through pulumi.Config as a secret; the estate only checks its shape.
   */
  sshPrivateKey: z
    .string()
    // Offline the plan cannot decrypt a `secure:` value; its stand-in passes, and the real key is checked under the CLI.
    .refine((key) => isOfflinePlaceholder(key) || /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key), "must be a PEM/OpenSSH private key")
    .optional(),
  /** Single sign-on for apps with `exposure: sso`: a built-in identity app or an external OIDC issuer. */
  sso: sso.optional(),
  /** The external OIDC issuer's client secret: `pulumi config set --secret hybridlab:ssoClientSecret`. */
  ssoClientSecret: z.string().min(1).optional(),
  /** Password of the monitoring app's mail relay: `pulumi config set --secret hybridlab:smtpPassword ...`. */
  smtpPassword: z.string().min(1).optional(),
  /**
   * Secrets container apps read (`secretEnv: {KEY: {config: <name>}}`), by name, each set encrypted with
   * `pulumi config set --secret --path 'hybridlab:appSecrets.<name>'`.
   */
  appSecrets: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, "must be 2-40 lowercase letters, digits or '-', starting with a letter"), z.string().min(1)).optional(),
  /**
   * The read-only API token secret of each site's Proxmox VE exporter (`proxmox.<site>.pveExporter`), by site:
   * `pulumi config set --secret --path 'hybridlab:pveExporterTokens.<site>'`.
   */
  pveExporterTokens: z.record(resourceName, z.string().min(1)).optional(),
});

export type Estate = z.infer<typeof estateSchema>;
export type EstateInput = z.input<typeof estateSchema>;
export type ProxmoxSite = Estate["proxmox"][string];
export type EstateNode = Estate["nodes"][string];
export type NodeKind = EstateNode["kind"];
export type ProxmoxVmNode = Extract<EstateNode, { kind: "proxmox-vm" }>;
export type ProxmoxLxcNode = Extract<EstateNode, { kind: "proxmox-lxc" }>;
export type ProxmoxGuestNode = ProxmoxVmNode | ProxmoxLxcNode;
export type CloudNode = Extract<EstateNode, { kind: "hetzner" | "digitalocean" | "azure" }>;
export type App = Estate["apps"][string];
export type AppKind = App["kind"];
export type ContainerApp = Extract<App, { kind: "container" }>;
/** The app kinds whose facts are fixed in the catalog (every kind but `container`, which states its own). */
export type CatalogKind = Exclude<AppKind, "container">;

export function isProxmoxGuest(node: EstateNode): node is ProxmoxGuestNode {
  return node.kind === "proxmox-vm" || node.kind === "proxmox-lxc";
}

export function isCloudNode(node: EstateNode): node is CloudNode {
  return !isProxmoxGuest(node);
}
