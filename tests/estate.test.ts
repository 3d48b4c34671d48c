import { cloudCatalog } from "../components/cloud/cloudSizes";
import { estateConfig, loadEstate, parseEstate, EstateConfigError } from "../stacks/estate/load";
import { asConfig, problemsOf, validEstate, withValues } from "./fixtures/estate";
import { createHash } from "node:crypto";

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n";
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("a valid estate", () => {
  it("parses with defaults filled in", () => {
    const result = parseEstate(validEstate());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { estate } = result;
    expect(estate.dns).toEqual({ zone: "example.com", subdomain: "dev", ttl: 300, proxied: false, www: false });
    expect(estate.access.adminCidrs).toEqual([]);
    expect(estate.proxmox.home.overcommit).toEqual({ cpu: 4, memory: 1, disk: 1 });
    const minio = estate.nodes.minio;
    expect(minio.kind === "proxmox-lxc" && [minio.unprivileged, minio.swapMiB, minio.template]).toEqual([true, 512, "ubuntu-24.04"]);
  });

  it("reads Pulumi's config map: JSON for structured values, plain strings for scalars, other namespaces ignored", () => {
    const config = { ...asConfig(validEstate()), "hcloud:token": "not-ours" };
    expect(estateConfig(config).environment).toBe("dev");
    expect(estateConfig(config)).not.toHaveProperty("token");
    expect(loadEstate(config).nodes.hub.kind).toBe("hetzner");
  });

  it("accepts a neutral size class and each provider's own size names", () => {
    const estate = withValues(validEstate(), [
      ["nodes.spoke.size", "medium"],
      ["nodes.az", { kind: "azure", role: "spoke", size: "Standard_B2s", region: "westeurope" }],
    ]);
    expect(problemsOf(estate)).toEqual([]);
  });
});

describe("an invalid estate", () => {
  const cases: Array<[string, Array<readonly [string, unknown]>, string[]]> = [
    ["an unknown top-level key", [["bogus", 1]], ["hybridlab:bogus: unknown key; expected one of: environment, proxmox, nodes, apps, dns, tailnet, operators, access, budget, sshPrivateKey, sso, ssoClientSecret, smtpPassword, appSecrets, pveExporterTokens"]],
    ["a wrong type", [["nodes.minio.vmid", "two hundred"]], ['hybridlab:nodes.minio.vmid: expected number (got "two hundred")']],
    ["an unknown node kind", [["nodes.odd", { kind: "vultr", role: "spoke" }]], ['hybridlab:nodes.odd.kind: expected one of: proxmox-vm, proxmox-lxc, hetzner, digitalocean, azure (got "vultr")']],
    ["an unknown key on a node", [["nodes.hub.colour", "red"]], ["hybridlab:nodes.hub.colour: unknown key; expected one of: kind, role, tags, description, dockerMetrics, size, region, image, import"]],
    ["a missing required field", [["nodes.devlab.cores", undefined]], ["hybridlab:nodes.devlab.cores: required: expected number"]],
    ["a bad environment", [["environment", "staging"]], ['hybridlab:environment: expected one of: dev, prod (got "staging")']],
    ["a name that is not a DNS-safe label", [["nodes.Dev_Lab", { kind: "hetzner", role: "spoke", size: "small" }]], ['hybridlab:nodes.Dev_Lab: name "Dev_Lab" must be 2-40 lowercase letters, digits or \'-\', starting with a letter']],
    ["a bridge CIDR that is not one", [["proxmox.home.bridges.vmbr0.cidr", "192.168.1.0"]], ['hybridlab:proxmox.home.bridges.vmbr0.cidr: must be an IPv4 address with prefix such as 192.168.1.10/24 (got "192.168.1.0")']],
    ["an http Proxmox endpoint", [["proxmox.home.endpoint", "http://pve:8006"]], ['hybridlab:proxmox.home.endpoint: must be an https:// URL such as https://pve.lan:8006/ (got "http://pve:8006")']],
    ["no operators", [["operators", []]], ["hybridlab:operators: must list at least one operator with an SSH public key"]],
    [
      "a private key pasted as a public key, shown only by length and fingerprint",
      [["operators.0.sshPublicKey", PRIVATE_KEY]],
      [`hybridlab:operators[0].sshPublicKey: must be an OpenSSH public key line such as 'ssh-ed25519 AAAA... you@host' (got a private key (${PRIVATE_KEY.length} characters, sha256 ${sha256(PRIVATE_KEY).slice(0, 12)}, not shown))`],
    ],
    ["a misspelled top-level key", [["budgte", { monthly: 40 }]], ["hybridlab:budgte: unknown key; did you mean budget? (expected one of: environment, proxmox, nodes, apps, dns, tailnet, operators, access, budget, sshPrivateKey, sso, ssoClientSecret, smtpPassword, appSecrets, pveExporterTokens)"]],
    ["a misspelled key on a node", [["nodes.hub.regoin", "fsn1"]], ["hybridlab:nodes.hub.regoin: unknown key; did you mean region? (expected one of: kind, role, tags, description, dockerMetrics, size, region, image, import)"]],
    [
      "a 10 MB value, cut to its first characters",
      [["apps.moodle.adminEmail", "x".repeat(10 * 1024 * 1024)]],
      [`hybridlab:apps.moodle.adminEmail: must be an email address (got "${"x".repeat(60)}"... (10485760 characters))`],
    ],
    [
      "a 10 MB reference, cut in the rule's message too",
      [["nodes.devlab.site", "y".repeat(10 * 1024 * 1024)]],
      [`hybridlab:nodes.devlab.site: unknown Proxmox site "${"y".repeat(60)}"... (10485760 characters); expected one of: home (hybridlab:proxmox)`],
    ],
    ["a VMID below Proxmox's range", [["nodes.minio.vmid", 99]], ["hybridlab:nodes.minio.vmid: expected number to be >=100 (got 99)"]],
    ["a duplicate VMID", [["nodes.minio.vmid", 100]], ["hybridlab:nodes.minio.vmid: 100 is already used by nodes.devlab; VMIDs must be unique per Proxmox site"]],
    ["an address outside its bridge", [["nodes.minio.networks.0.address", "10.0.0.5/24"]], ["hybridlab:nodes.minio.networks[0].address: 10.0.0.5 is not a usable host address in vmbr0's subnet 192.168.1.0/24"]],
    ["a broadcast address", [["nodes.minio.networks.0.address", "192.168.1.255/24"]], ["hybridlab:nodes.minio.networks[0].address: 192.168.1.255 is not a usable host address in vmbr0's subnet 192.168.1.0/24"]],
    ["colliding addresses", [["nodes.minio.networks.0.address", "192.168.1.100/24"]], ["hybridlab:nodes.minio.networks[0].address: 192.168.1.100 is already assigned to nodes.devlab; addresses must be unique on a bridge"]],
    ["the gateway as an address", [["nodes.minio.networks.0.address", "192.168.1.1/24"]], ["hybridlab:nodes.minio.networks[0].address: 192.168.1.1 is the gateway of vmbr0; pick another address"]],
    ["a prefix that differs from the bridge", [["nodes.minio.networks.0.address", "192.168.1.200/16"]], ["hybridlab:nodes.minio.networks[0].address: prefix /16 differs from vmbr0's subnet 192.168.1.0/24; use 192.168.1.200/24"]],
    ["an unknown bridge", [["nodes.minio.networks.0.bridge", "vmbr9"]], ['hybridlab:nodes.minio.networks[0].bridge: unknown bridge "vmbr9" on site "home"; expected one of: vmbr0']],
    ["an unknown site", [["nodes.devlab.site", "office"]], ['hybridlab:nodes.devlab.site: unknown Proxmox site "office"; expected one of: home (hybridlab:proxmox)']],
    ["a storage that cannot hold VM disks", [["nodes.devlab.datastore", "local"]], ['hybridlab:nodes.devlab.datastore: storage "local" does not hold "images" (its content: iso, vztmpl, snippets, backup)']],
    ["an unknown storage", [["nodes.devlab.datastore", "ceph"]], ['hybridlab:nodes.devlab.datastore: unknown storage "ceph" on site "home"; expected one of: local, local-lvm']],
    [
      "guests over the site's capacity",
      [["nodes.devlab.cores", 40], ["nodes.devlab.memoryMiB", 36864]],
      [
        "hybridlab:proxmox.home.capacity.cores: guests ask for 41 cores but the site allows 32 (8 x overcommit 4); shrink guests or raise capacity/overcommit",
        "hybridlab:proxmox.home.capacity.memoryMiB: guests ask for 39424 memoryMiB but the site allows 32768 (32768 x overcommit 1); shrink guests or raise capacity/overcommit",
      ],
    ],
    ["an unknown cloud size", [["nodes.hub.size", "cx99"]], ['hybridlab:nodes.hub.size: unknown hetzner size "cx99"; expected one of: small, medium, large, ' + "SIZES"]],
    ["an unknown region", [["nodes.spoke.region", "fsn1"]], ['hybridlab:nodes.spoke.region: unknown digitalocean region "fsn1"; expected one of: REGIONS']],
    ["an app on a node that does not exist", [["apps.moodle.node", "learning"]], ['hybridlab:apps.moodle.node: unknown node "learning"; expected one of: devlab, minio, hub, spoke']],
    ["two apps on one hostname", [["apps.minio.hostname", "learn"]], ["hybridlab:apps.minio.hostname: learn.dev.example.com is already claimed by apps.moodle; hostnames must be unique"]],
    [
      "two apps on one host port",
      [["apps.airflow", { kind: "airflow", node: "devlab" }]],
      ["hybridlab:apps.airflow.ports.http: host port 8080 on node devlab is already claimed by apps.moodle (http); set apps.airflow.ports.http to a free port"],
    ],
    ["a port override the app does not have", [["apps.moodle.ports", { https: 8443 }]], ['hybridlab:apps.moodle.ports.https: moodle has no port "https"; expected one of: http, db-metrics']],
    ["spokes without a hub", [["nodes.hub.role", "spoke"], ["apps.proxy.node", "devlab"], ["apps.monitoring.node", "spoke"]], ["hybridlab:nodes: spokes exist but no node has role hub; spokes are reached through the hub", "hybridlab:apps.proxy.node: a reverse-proxy runs on the hub, but nodes.devlab has role lab"]],
    ["two hubs", [["nodes.spoke.role", "hub"]], ["hybridlab:nodes.spoke.role: nodes.hub is already the hub; an estate has one hub"]],
    ["a spoke without a tailnet", [["tailnet", undefined]], ["hybridlab:tailnet: spokes are joined to the hub by Tailscale: set hybridlab:tailnet (name of your tailnet)"]],
    ["a public hostname without a DNS zone", [["dns", undefined]], ["hybridlab:apps.monitoring.hostname: a public hostname needs hybridlab:dns (the zone it lives in)", "hybridlab:apps.moodle.hostname: a public hostname needs hybridlab:dns (the zone it lives in)"]],
    ["a public hostname without a reverse proxy", [["apps.proxy", undefined]], ["hybridlab:apps.monitoring.hostname: a public hostname is served by the hub's reverse proxy, but no app has kind reverse-proxy", "hybridlab:apps.moodle.hostname: a public hostname is served by the hub's reverse proxy, but no app has kind reverse-proxy"]],
    ["a hostname on the reverse proxy itself", [["apps.proxy.hostname", "edge"]], ["hybridlab:apps.proxy.hostname: a reverse-proxy is not served under a hostname; remove it"]],
    ["an MLflow artifact store that is not MinIO", [["apps.mlflow", { kind: "mlflow", node: "devlab", artifactStore: "moodle" }]], ['hybridlab:apps.mlflow.artifactStore: "moodle" is not a minio app; expected one of: minio']],
    [
      "a second reverse proxy",
      [["apps.edge", { kind: "reverse-proxy", node: "hub", acmeEmail: "ops@example.com", ports: { http: 8000, https: 8443, metrics: 2020 } }]],
      [
        "hybridlab:apps.edge.kind: apps.proxy is already the reverse proxy; an estate has one",
        "hybridlab:apps.edge.ports.http: the reverse proxy must listen on 80 (ACME and browsers expect it), got 8000",
        "hybridlab:apps.edge.ports.https: the reverse proxy must listen on 443 (ACME and browsers expect it), got 8443",
      ],
    ],
    ["VMs but no storage for snippets", [["proxmox.home.datastores.local.content", ["iso", "vztmpl", "backup"]]], ['hybridlab:proxmox.home.datastores: VMs receive their cloud-init user data as a snippet: add "snippets" to the content of a storage (usually local)']],
    ["VMs but no storage for cloud images", [["proxmox.home.datastores.local.content", ["snippets", "vztmpl", "backup"]]], ['hybridlab:proxmox.home.datastores: VM disks are imported from cloud images stored as iso content: add "iso" to the content of a storage (usually local)']],
    ["LXCs but no storage for templates", [["proxmox.home.datastores.local.content", ["snippets", "iso", "backup"]]], ['hybridlab:proxmox.home.datastores: LXC containers are created from templates (vztmpl content): add "vztmpl" to the content of a storage (usually local)']],
    ["backups in prod but no backup storage", [["environment", "prod"], ["proxmox.home.datastores.local.content", ["snippets", "iso", "vztmpl"]]], ['hybridlab:proxmox.home.datastores: guests with backups need a storage for the archives: add "backup" to the content of a storage (usually local)']],
    ["VMs but no SSH to upload their snippets", [["proxmox.home.ssh", undefined]], ["hybridlab:proxmox.home.ssh: cloud-init snippets are uploaded over SSH (the Proxmox API cannot write them): set ssh: {username: root} and load the key in your SSH agent or proxmoxve:sshPrivateKey"]],
    [
      "an LXC without root@pam",
      [["proxmox.home.rootAuth", false]],
      ["hybridlab:nodes.minio: needs Docker for the host agents every node runs (the LXC feature keyctl) and Tailscale (the /dev/net/tun device passthrough), which Proxmox lets only root@pam set: set hybridlab:proxmox.home.rootAuth: true (password in proxmoxve:password), or make the node a VM"],
    ],
    [
      "an LXC that runs no app without root@pam",
      [["proxmox.home.rootAuth", false], ["apps.minio", undefined], ["apps.mlflow", undefined]],
      ["hybridlab:nodes.minio: needs Docker for the host agents every node runs (the LXC feature keyctl) and Tailscale (the /dev/net/tun device passthrough), which Proxmox lets only root@pam set: set hybridlab:proxmox.home.rootAuth: true (password in proxmoxve:password), or make the node a VM"],
    ],
    [
      "an LXC on DHCP",
      [["nodes.minio.networks.0.address", "dhcp"]],
      ["hybridlab:nodes.minio.networks: an LXC is bootstrapped over SSH at its LAN address (its template has no cloud-init), and with DHCP that address is unknown: give networks[0] a static address such as 192.168.1.50/24"],
    ],
    [
      "a lab without a tailnet: a VM on DHCP and a cloud node without admin networks, watched from another node",
      [["tailnet", undefined], ["nodes.hub.role", "lab"], ["nodes.spoke", undefined], ["apps.proxy", undefined], ["apps.monitoring", { kind: "monitoring", node: "devlab" }], ["apps.moodle.hostname", undefined], ["nodes.devlab.networks.0.address", "dhcp"], ["apps.spare", { kind: "minio", node: "hub" }]],
      [
        "hybridlab:nodes.devlab.networks: without hybridlab:tailnet the program reaches a guest (bootstrap, operators, Docker) and other nodes reach its apps and agents at its static LAN address, and with DHCP it has none: give networks[0] a static address such as 192.168.1.50/24, or set hybridlab:tailnet",
        "hybridlab:nodes.hub: without hybridlab:tailnet the program reaches a cloud node over SSH at its public address, which its firewall opens only to access.adminCidrs, and none are set: set hybridlab:tailnet, or list your admin network in access.adminCidrs",
        "hybridlab:nodes.hub: talks with other nodes (monitor spare api), but without hybridlab:tailnet a cloud node has only a public address, known after it is created, its firewall opens no app or agent port and it cannot reach a LAN: set hybridlab:tailnet, or keep its apps and the apps they talk to (the proxy, the monitoring app) on it",
        "hybridlab:apps.spare: its UI is kept off the internet, but nodes.hub is a cloud node without hybridlab:tailnet, whose firewall opens no app port, so nobody could reach it: give it a hostname (with exposure sso, or public if it has its own login), or set hybridlab:tailnet",
      ],
    ],
    ["a private key that is not one, without echoing it", [["sshPrivateKey", "hunter2"]], ["hybridlab:sshPrivateKey: must be a PEM/OpenSSH private key (value hidden: it is a secret)"]],
    ["an operator named like a system account", [["operators.0.name", "root"]], ['hybridlab:operators[0].name: must not be a system account such as root or nobody (got "root")']],
    ["an operator named like the deploy account", [["operators.0.name", "hybridlab"]], ['hybridlab:operators[0].name: must not be "hybridlab", the account automation logs in with (got "hybridlab")']],
    ["no deploy key", [["access", {}]], ["hybridlab:access.deployKey: required: expected string"]],
    ["SSH open to the world in prod", [["environment", "prod"], ["access.adminCidrs", ["203.0.113.0/24", "0.0.0.0/0"]]], ["hybridlab:access.adminCidrs[1]: 0.0.0.0/0 opens SSH to the whole internet; in prod list your admin networks, or none to use the tailnet only"]],
    ["an app on www while www aliases the apex", [["dns.www", true], ["apps.moodle.hostname", "@"], ["apps.monitoring.hostname", "www"]], ["hybridlab:apps.monitoring.hostname: www is taken by dns.www (an alias of the apex app); choose another hostname or set dns.www: false"]],
    ["an alert email without a mail relay", [["apps.monitoring.alertEmail", "ops@example.com"]], ["hybridlab:apps.monitoring.smtp: alertEmail needs the mail relay to send through: set smtp {smarthost, from, username}"]],
    ["a mail relay without its password", [["apps.monitoring.alertEmail", "ops@example.com"], ["apps.monitoring.smtp", { smarthost: "smtp.example.com:587", from: "alerts@example.com", username: "alerts" }]], ["hybridlab:smtpPassword: the mail relay needs its password: pulumi config set --secret hybridlab:smtpPassword ..."]],
    ["no storage that can hold VM disks", [["proxmox.home.datastores.local-lvm.content", ["rootdir"]]], ['hybridlab:nodes.devlab.datastore: site "home" has no storage with content "images"; add one or set datastore']],
    ["a NIC gateway outside its bridge", [["nodes.minio.networks.0.gateway", "10.0.0.1"]], ["hybridlab:nodes.minio.networks[0].gateway: 10.0.0.1 is outside vmbr0's subnet 192.168.1.0/24"]],
    ["an LXC mount on a storage without rootdir", [["nodes.minio.mounts", [{ path: "/srv/data", sizeGiB: 50, datastore: "local" }]]], ['hybridlab:nodes.minio.mounts[0].datastore: storage "local" does not hold "rootdir" (its content: iso, vztmpl, snippets, backup)']],
    ["a duplicate operator", [["operators.1", { name: "ops", sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqfmKXLpfzaDL3oW9PpLO7xvfeCauJOmdwKnp3hfdA5" }]], [
        "hybridlab:operators[1].sshPublicKey: the same key as operators[0] (ops), whatever its comment; each operator logs in with their own key",
        'hybridlab:operators[1].name: operator "ops" is listed twice',
      ],
    ],
  ];

  it.each(cases)("fails when it has %s", (_what, changes, expected) => {
    const estate = withValues(validEstate(), changes);
    const resolved = expected.map((line) =>
      line.replace("SIZES", Object.keys(cloudCatalog.hetzner.sizes).join(", ")).replace("REGIONS", cloudCatalog.digitalocean.regions.join(", ")),
    );
    expect(problemsOf(estate)).toEqual(resolved);
  });

  it("reports every problem at once, each on its own line naming its path", () => {
    const estate = withValues(validEstate(), [
      ["bogus", true],
      ["nodes.minio.vmid", 100],
      ["apps.moodle.node", "nowhere"],
      ["nodes.hub.size", "cx99"],
    ]);
    // Shape problems first, then the references, checked on what did parse: all in one round.
    expect(problemsOf(estate).map((p) => p.split(":")[1])).toEqual(["bogus", "nodes.minio.vmid", "nodes.hub.size", "apps.moodle.node"]);
  });

  it("throws one error listing every problem from loadEstate", () => {
    const config = asConfig(withValues(validEstate(), [["nodes.minio.vmid", 100], ["apps.moodle.node", "nowhere"]]));
    expect(() => loadEstate(config)).toThrow(EstateConfigError);
    expect(() => loadEstate(config)).toThrow(/has 2 problems:\n {2}- hybridlab:nodes\.minio\.vmid: .*\n {2}- hybridlab:apps\.moodle\.node: /);
  });
});
