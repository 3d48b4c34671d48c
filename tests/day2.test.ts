/**
 * Day 2: the changes a running estate lives through, each applied to the shipped dev and prod estates, planned,
 * and compared with the plan before it (`diffPlans`, as `npm run plan -- --against` does). None replaces or deletes
 * what holds data, except a move to another cloud, which is announced and, in prod, refused until acknowledged;
 * generated passwords never change. The README's "What each change does" table is checked against these outcomes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { images } from "../stacks/catalog/containers/images";
import { blockedChanges, diffPlans, type ChangeSet, type ResourceChange } from "../stacks/plan/changes";
import { parseArgs, plan } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";

const root = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "hybridlab-day2-"));
type Config = Record<string, unknown>;
type Nodes = Record<string, Record<string, unknown>>;
type Apps = Record<string, Record<string, unknown>>;
const STACKS = ["dev", "prod"] as const;
type Stack = (typeof STACKS)[number];

const ALEX = { name: "alex", sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGw9yQ4bV0rQb3mJgTqO8u0sXx2t1yYp6k8r0s5Y7c9d alex@desk" };
const ROTATED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwW3sq8v2Ykq1mJ0mZ4pQeYw9cXn2bT5hR7uL1aK3dF simon@new-laptop";

interface Day2Change {
  /** As the README's table names it. */
  readonly name: string;
  /** The estate before the change, from the shipped one; default: as shipped. */
  readonly before?: (config: Config) => void;
  readonly after: (config: Config) => void;
  /** A change outside the estate (a code change such as an image bump): applied around the `after` plan. */
  readonly code?: () => () => void;
  /** The one change allowed to rebuild a machine (announced; refused in prod until acknowledged). */
  readonly rebuilds?: boolean;
}

const nodes = (c: Config): Nodes => c["hybridlab:nodes"] as Nodes;
const apps = (c: Config): Apps => c["hybridlab:apps"] as Apps;
const operators = (c: Config): Array<{ name: string; sshPublicKey: string }> => c["hybridlab:operators"] as Array<{ name: string; sshPublicKey: string }>;

/** The VM, the app-less node and the app that both estates have. */
const VM = "devlab";
const BARE = "spoke-do";

const changes: readonly Day2Change[] = [
  { name: "add an operator", after: (c) => operators(c).push(ALEX) },
  { name: "remove an operator", before: (c) => operators(c).push(ALEX), after: (c) => operators(c).pop() },
  { name: "rotate an operator's key", after: (c) => (operators(c)[0].sshPublicKey = ROTATED) },
  {
    name: "bump an app's image",
    after: () => undefined,
    // Images are pinned in the catalog, not the estate: a bump is a code change.
    code: () => {
      const bump = jest.replaceProperty(images as Record<string, string>, "grafana", "grafana/grafana:13.2.4");
      return () => bump.restore();
    },
  },
  { name: "change a container environment value", after: (c) => (apps(c).moodle.siteName = "Data Academy") },
  { name: "resize a VM (cores, memory)", after: (c) => Object.assign(nodes(c)[VM], { cores: Number(nodes(c)[VM].cores) + 1, memoryMiB: Number(nodes(c)[VM].memoryMiB) + 1024 }) },
  { name: "grow a disk", after: (c) => (nodes(c)[VM].diskGiB = Number(nodes(c)[VM].diskGiB) + 10) },
  {
    name: "add an app to a node that had none",
    // Dev's spoke has memory for the host agents only; before and after alike, it is given room for MinIO's.
    before: (c) => (nodes(c)[BARE].size = "s-2vcpu-4gb"),
    after: (c) => (apps(c).store = { kind: "minio", node: BARE, buckets: ["scratch"] }),
  },
  { name: "remove an app", after: (c) => delete apps(c).spark },
  { name: "move a cloud node to another provider", after: (c) => Object.assign(nodes(c)[BARE], { kind: "hetzner", region: "nbg1", size: "small" }), rebuilds: true },
  { name: "rename a public hostname", after: (c) => (apps(c).moodle.hostname = "courses") },
  { name: "change the DNS TTL", after: (c) => ((c["hybridlab:dns"] as Config).ttl = 600) },
  { name: "add a MinIO bucket", after: (c) => (apps(c).minio.buckets = [...(apps(c).minio.buckets as string[]), "reports"]) },
  { name: "change monitoring retention", after: (c) => (apps(c).monitoring.retentionDays = Number(apps(c).monitoring.retentionDays) + 7) },
];

const planned = new Map<string, Promise<PlanDocument>>();

/** The plan of the shipped stack with `edit` applied; one plan per distinct config (removing undoes adding). */
function planOf(stack: Stack, edit: (config: Config) => void, code?: () => () => void): Promise<PlanDocument> {
  const doc = parse(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Config };
  edit(doc.config);
  const text = stringify(doc);
  const key = `${stack}\0${code === undefined ? "" : code.toString()}\0${text}`;
  const cached = planned.get(key);
  if (cached) return cached;
  const file = path.join(dir, String(planned.size), `Pulumi.${stack}.yaml`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const restore = code?.();
  const result = plan(parseArgs(["--stack", stack, "--config", file, "--format", "json"]), root)
    .then((p) => p.document)
    .finally(() => restore?.());
  planned.set(key, result);
  return result;
}

/** How the README names what a resource is. */
function noun(change: ResourceChange): string | undefined {
  const name = change.urn.split("::").pop() ?? "";
  if (change.type.startsWith("hybridlab:")) return undefined; // components: their children say what happens
  if (change.type === "command:remote:Command") return name.endsWith("-operators") ? "operator sync" : "bootstrap";
  if (change.type === "random:index/randomId:RandomId") return name.endsWith("-generation") ? "node generation" : "generated key";
  const nouns: Record<string, string> = {
    "docker:index/container:Container": "containers",
    "docker:index/volume:Volume": "data volumes",
    "docker:index/network:Network": "Docker network",
    "docker:index/remoteImage:RemoteImage": "images",
    "pulumi:providers:docker": "Docker provider",
    "proxmoxve:index/vmLegacy:VmLegacy": "Proxmox VM",
    "proxmoxve:index/containerLegacy:ContainerLegacy": "Proxmox LXC",
    "proxmoxve:index/fileLegacy:FileLegacy": "cloud-init snippet",
    "hcloud:index/server:Server": "Hetzner server",
    "hcloud:index/firewall:Firewall": "firewall",
    "hcloud:index/network:Network": "private network",
    "hcloud:index/networkSubnet:NetworkSubnet": "private network",
    "hcloud:index/sshKey:SshKey": "deploy key upload",
    "digitalocean:index/droplet:Droplet": "DigitalOcean droplet",
    "digitalocean:index/firewall:Firewall": "firewall",
    "digitalocean:index/vpc:Vpc": "private network",
    "digitalocean:index/sshKey:SshKey": "deploy key upload",
    "cloudflare:index/dnsRecord:DnsRecord": "DNS records",
    "tailscale:index/tailnetKey:TailnetKey": "tailnet key",
    "tailscale:index/acl:Acl": "tailnet policy",
    "random:index/randomPassword:RandomPassword": "generated passwords",
  };
  return nouns[change.type] ?? change.type;
}

/** One cell of the README table: per action, what it touches; then whether the plan refuses it. */
function outcome(set: ChangeSet, blocked: number): string {
  const parts = (["create", "update", "replace", "delete"] as const).flatMap((action) => {
    const touched = [...new Set(set.resources.filter((c) => c.action === action).flatMap((c) => noun(c) ?? []))].sort();
    return touched.length === 0 ? [] : [`${action} ${touched.join(", ")}`];
  });
  const text = parts.length === 0 ? "nothing" : parts.join("; ");
  return blocked > 0 ? `${text}; **refused until acknowledged**` : text;
}

const results = new Map<string, Record<Stack, { set: ChangeSet; blocked: number }>>();

beforeAll(async () => {
  for (const stack of STACKS) {
    for (const change of changes) {
      // One plan at a time: the program runs under one process-wide set of Pulumi mocks.
      const before = await planOf(stack, (c) => change.before?.(c));
      const after = await planOf(
        stack,
        (c) => {
          change.before?.(c);
          change.after(c);
        },
        change.code,
      );
      const set = diffPlans(before, after);
      results.set(change.name, { ...results.get(change.name), [stack]: { set, blocked: blockedChanges(set, stack, stack).length } } as Record<Stack, { set: ChangeSet; blocked: number }>);
    }
  }
}, 900_000);

const of = (name: string, stack: Stack) => {
  const result = results.get(name)?.[stack];
  if (!result) throw new Error(`no result for ${name} in ${stack}`);
  return result;
};
const touched = (set: ChangeSet, action: string, type: string): string[] =>
  set.resources.filter((c) => c.action === action && c.type === type).map((c) => c.urn.split("::").pop() ?? "");

describe.each(STACKS)("day 2 on the %s estate", (stack) => {
  it.each(changes.filter((c) => !c.rebuilds).map((c) => [c.name]))("%s: replaces and deletes nothing that holds data, and no generated password", (name) => {
    const { set, blocked } = of(name, stack);
    expect(set.resources.filter((c) => c.stateful && (c.action === "replace" || c.action === "delete")).map((c) => c.urn)).toEqual([]);
    expect(set.resources.filter((c) => c.type === "random:index/randomPassword:RandomPassword" && c.action !== "create").map((c) => c.urn)).toEqual([]);
    expect(blocked).toBe(0);
    expect(set.resources.length).toBeGreaterThan(0);
  });

  it.each([["add an operator"], ["remove an operator"], ["rotate an operator's key"]])("%s: updates the operator sync on every node and nothing else", (name) => {
    const { set } = of(name, stack);
    const nodeNames = Object.keys(parse(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")).config["hybridlab:nodes"]).sort();
    expect(set.resources.map((c) => [c.action, c.urn.split("::").pop(), c.changedInputs])).toEqual(nodeNames.map((node) => ["update", `${node}-operators`, ["stdin"]]));
  });

  it("resizes a VM and grows its disk in place", () => {
    expect(of("resize a VM (cores, memory)", stack).set.resources.map((c) => [c.action, c.changedInputs])).toEqual([["update", ["cpu.cores", "memory.dedicated"]]]);
    expect(of("grow a disk", stack).set.resources.map((c) => [c.action, c.changedInputs])).toEqual([["update", ["disks[0].size"]]]);
  });

  it("gives a node that had no app its containers without touching its machine", () => {
    const { set } = of("add an app to a node that had none", stack);
    expect(touched(set, "create", "docker:index/container:Container")).toEqual(expect.arrayContaining(["store-server", "store-buckets"]));
    expect(set.resources.filter((c) => c.urn.endsWith(`::${BARE}`) || c.urn.endsWith(`::${BARE}-bootstrap`))).toEqual([]);
  });

  it("moves a cloud node by building the new machine with a fresh generation and tailnet key, announced, refused in prod until acknowledged", () => {
    const { set, blocked } = of("move a cloud node to another provider", stack);
    expect(touched(set, "create", "hcloud:index/server:Server")).toEqual([BARE]);
    expect(touched(set, "delete", "digitalocean:index/droplet:Droplet")).toEqual([BARE]);
    expect(touched(set, "replace", "tailscale:index/tailnetKey:TailnetKey")).toEqual([`${BARE}-tailnet`]);
    expect(touched(set, "replace", "random:index/randomId:RandomId")).toEqual([`${BARE}-generation`]);
    expect(touched(set, "replace", "command:remote:Command").sort()).toEqual([`${BARE}-bootstrap`, `${BARE}-operators`]);
    expect(set.resources.filter((c) => c.stateful && c.action !== "create").every((c) => c.urn.split("::").pop()?.startsWith(BARE))).toBe(true);
    expect(blocked).toBe(stack === "prod" ? 2 : 0);
  });
});

describe("the README's table of what each change does", () => {
  it("states exactly the outcomes the day-2 suite finds", () => {
    const rows = changes.map((c) => `| ${c.name} | ${outcome(of(c.name, "dev").set, of(c.name, "dev").blocked)} | ${outcome(of(c.name, "prod").set, of(c.name, "prod").blocked)} |`);
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const table = readme.split("\n").filter((line) => changes.some((c) => line.startsWith(`| ${c.name} |`)));
    expect(table).toEqual(rows);
  });
});
