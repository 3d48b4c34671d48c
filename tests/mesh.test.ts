import { TailnetAcl } from "../components/network/TailnetAcl";
import { TailnetKey } from "../components/network/TailnetKey";
import { composeGenerations } from "../stacks/compose/generation";
import { composeMesh } from "../stacks/compose/mesh";
import { crossHostConnections } from "../stacks/derive/connections";
import { renderTailnetAcl, type TailnetPolicy } from "../components/network/tailnetPolicy";
import { nodeTags, tailnetPolicy } from "../stacks/derive/tailnetAcl";
import { loadEstate } from "../stacks/estate/load";
import type { Estate } from "../stacks/estate/schema";
import { ofType, runProgram, SECRET } from "../stacks/plan/harness";
import { asConfig, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

const ACL = "tailscale:index/acl:Acl";
const KEY = "tailscale:index/tailnetKey:TailnetKey";
const estateOf = (raw: Json): Estate => loadEstate(asConfig(raw));

describe("tailnetPolicy", () => {
  const estate = estateOf(validEstate());
  const policy = tailnetPolicy(estate);

  it("tags every node, Proxmox guests included, with the estate, its role and its own tag", () => {
    expect(nodeTags(estate, "hub")).toEqual(["hybridlab", "hub", "node-hub"]);
    expect(nodeTags(estate, "minio")).toEqual(["hybridlab", "lab", "node-minio"]);
    expect(Object.keys(policy.tagOwners)).toEqual(["tag:hub", "tag:hybridlab", "tag:lab", "tag:node-devlab", "tag:node-hub", "tag:node-minio", "tag:node-spoke", "tag:spoke"]);
    // An API key's user (an admin) owns every tag; an OAuth client tagged tag:hybridlab may mint keys for every
    // other estate tag, because tag:hybridlab owns them.
    expect(policy.tagOwners["tag:hybridlab"]).toEqual(["autogroup:admin"]);
    for (const [owned, owners] of Object.entries(policy.tagOwners)) {
      if (owned !== "tag:hybridlab") expect([owned, owners]).toEqual([owned, ["autogroup:admin", "tag:hybridlab"]]);
    }
  });

  it("allows exactly the connections the apps need, per source node, and admins' SSH and app ports", () => {
    expect(policy.acls).toEqual([
      { action: "accept", src: ["tag:node-devlab"], dst: ["tag:node-hub:3100"] },
      {
        action: "accept",
        src: ["tag:node-hub"],
        // The spoke runs no app, but its host agents are scraped like every node's.
        dst: ["tag:node-devlab:8080", "tag:node-devlab:9100", "tag:node-devlab:9187", "tag:node-devlab:9338", "tag:node-minio:9000", "tag:node-minio:9100", "tag:node-minio:9338", "tag:node-spoke:9100", "tag:node-spoke:9338"],
      },
      { action: "accept", src: ["tag:node-minio"], dst: ["tag:node-hub:3100"] },
      { action: "accept", src: ["tag:node-spoke"], dst: ["tag:node-hub:3100"] },
      {
        action: "accept",
        src: ["autogroup:admin"],
        dst: [
          "tag:hybridlab:22",
          "tag:node-devlab:8080",
          "tag:node-devlab:9187",
          "tag:node-hub:2019",
          "tag:node-hub:3000",
          "tag:node-hub:3100",
          "tag:node-hub:443",
          "tag:node-hub:80",
          "tag:node-hub:9090",
          "tag:node-hub:9093",
          "tag:node-minio:9000",
          "tag:node-minio:9001",
        ],
      },
    ]);
  });

  it("allows every cross-host connection, and tests each one as accepted", () => {
    const edges = crossHostConnections(estate);
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      const dst = `tag:node-${edge.toNode}:${edge.port}`;
      expect(policy.acls.some((rule) => rule.src.includes(`tag:node-${edge.fromNode}`) && rule.dst.includes(dst))).toBe(true);
      expect(policy.tests.find((t) => t.src === `tag:node-${edge.fromNode}`)?.accept).toContain(dst);
    }
  });

  it("tests that the reverse of an edge and SSH between nodes are denied", () => {
    expect(policy.tests.find((t) => t.src === "tag:node-devlab")).toEqual({
      src: "tag:node-devlab",
      accept: ["tag:node-hub:3100"],
      deny: ["tag:node-hub:22", "tag:node-hub:8080", "tag:node-hub:9100", "tag:node-hub:9187", "tag:node-hub:9338"],
    });
    for (const test of policy.tests) {
      for (const denied of test.deny ?? []) expect(test.accept ?? []).not.toContain(denied);
    }
  });

  it("never allows everything", () => {
    const text = renderTailnetAcl(policy);
    expect(text).not.toContain('"*"');
    expect(text).not.toContain('"*:*"');
    for (const rule of policy.acls) expect([...rule.src, ...rule.dst].every((entry) => !entry.startsWith("*"))).toBe(true);
  });

  it("renders the same bytes every time, keys sorted at every level", () => {
    const text = renderTailnetAcl(policy);
    expect(renderTailnetAcl(tailnetPolicy(estateOf(validEstate())))).toBe(text);
    expect(text.startsWith('{\n  "acls": [\n    {\n      "action": "accept",\n      "dst": [')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["acls", "tagOwners", "tests"]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("has only the admins' rule and no tests when no app crosses hosts", () => {
    const bare = tailnetPolicy(estateOf(withValue(validEstate(), "apps", { proxy: { kind: "reverse-proxy", node: "hub", acmeEmail: "ops@example.com" } })));
    expect(bare.acls).toEqual([{ action: "accept", src: ["autogroup:admin"], dst: ["tag:hybridlab:22", "tag:node-hub:2019", "tag:node-hub:443", "tag:node-hub:80"] }]);
    expect(bare.tests).toEqual([]);
  });
});

describe("tailnet access for people", () => {
  const estate = estateOf(
    withValues(validEstate(), [
      ["tailnet.groups", { data: { members: ["ann@example.com", "cat@example.com"], ssh: ["devlab"] }, ops: { members: ["dan@example.com"] } }],
      ["apps.mlflow", { kind: "mlflow", node: "spoke", allow: ["group:data", "bob@example.com"] }],
      ["apps.spark", { kind: "spark", node: "devlab", ports: { "master-ui": 8088 }, allow: ["group:ops"] }],
    ]),
  );
  const policy = tailnetPolicy(estate);

  it("renders the estate's groups and grants each tailnet app's UI to whom it allows, and SSH to whom a group grants it", () => {
    expect(policy.groups).toEqual({ "group:data": ["ann@example.com", "cat@example.com"], "group:ops": ["dan@example.com"] });
    expect(policy.acls.filter((rule) => !rule.src.some((src) => src.startsWith("tag:") || src === "autogroup:admin"))).toEqual([
      { action: "accept", src: ["bob@example.com", "group:data"], dst: ["tag:node-spoke:5000"] },
      { action: "accept", src: ["group:ops"], dst: ["tag:node-devlab:8088"] },
      { action: "accept", src: ["group:data"], dst: ["tag:node-devlab:22"] },
    ]);
  });

  it("tests each person's grants as accepted, and what nobody granted them as denied", () => {
    const people = policy.tests.filter((t) => !t.src.startsWith("tag:"));
    expect(people).toEqual([
      { src: "ann@example.com", accept: ["tag:node-devlab:22", "tag:node-spoke:5000"], deny: ["tag:node-devlab:8088", "tag:node-spoke:22"] },
      { src: "bob@example.com", accept: ["tag:node-spoke:5000"], deny: ["tag:node-devlab:22", "tag:node-devlab:8088", "tag:node-spoke:22"] },
      { src: "cat@example.com", accept: ["tag:node-devlab:22", "tag:node-spoke:5000"], deny: ["tag:node-devlab:8088", "tag:node-spoke:22"] },
      { src: "dan@example.com", accept: ["tag:node-devlab:8088"], deny: ["tag:node-devlab:22", "tag:node-spoke:22", "tag:node-spoke:5000"] },
    ]);
  });

  it("adds no groups and no people's rules when the estate names nobody", () => {
    const plain = tailnetPolicy(estateOf(validEstate()));
    expect(plain.groups).toBeUndefined();
    expect(plain.tests.every((t) => t.src.startsWith("tag:"))).toBe(true);
  });
});

describe("TailnetAcl and TailnetKey", () => {
  const policy: TailnetPolicy = { tagOwners: { "tag:a": ["autogroup:admin"] }, acls: [{ action: "accept", src: ["tag:a"], dst: ["tag:a:22"] }], tests: [] };

  it("replaces the whole policy file with the rendered policy", async () => {
    const run = await runProgram(() => new TailnetAcl("tailnet", { policy }));
    const [acl] = ofType(run, ACL);
    expect(acl.parent).toBe(ofType(run, "hybridlab:network:TailnetAcl")[0].urn);
    expect(acl.inputs).toEqual({ acl: renderTailnetAcl(policy), overwriteExistingContent: true, resetAclOnDestroy: false });
  });

  it.each([
    [{ ...policy, acls: [{ action: "accept" as const, src: ["*"], dst: ["tag:a:22"] }] }, 'TailnetAcl tailnet: acls[0] must name tags, groups or hosts, got "*"; the estate never allows everything'],
    [{ ...policy, acls: [{ action: "accept" as const, src: ["tag:a"], dst: ["*:*"] }] }, 'TailnetAcl tailnet: acls[0] must name tags, groups or hosts, got "*:*"'],
    [{ ...policy, acls: [{ action: "accept" as const, src: ["tag:b"], dst: ["tag:a:22"] }] }, 'TailnetAcl tailnet: tagOwners must own every tag the ACLs use, got "tag:b" without an owner'],
  ])("fails when the policy is %j", async (bad, message) => {
    await expect(runProgram(() => new TailnetAcl("tailnet", { policy: bad }))).rejects.toThrow(message);
  });

  it.each([
    [{ tags: [] }, "TailnetKey hub: tags must list at least one entry"],
    [{ tags: ["tag:hub"] }, "TailnetKey hub: tags[0] must be a bare tag name such as \"hub\" (a letter, then letters, digits or '-'), got \"tag:hub\""],
    [{ tags: ["hub"], expiryDays: 365 }, "TailnetKey hub: expiryDays must be an integer from 1 to 90, got 365"],
  ])("fails when a key is given %j", async (args, message) => {
    await expect(runProgram(() => new TailnetKey("hub", args))).rejects.toThrow(message);
  });
});

describe("composeMesh", () => {
  const run = (raw: Json) => {
    const estate = estateOf(raw);
    return runProgram(() => ({ authKeys: composeMesh(estate, "dev", composeGenerations(estate)).authKeys }));
  };

  it("manages the tailnet the estate names, through one explicit provider", async () => {
    const result = await run(validEstate());
    const providers = ofType(result, "pulumi:providers:tailscale");
    expect(providers).toHaveLength(1);
    expect(providers[0].inputs).toMatchObject({ tailnet: "example.com" });
    for (const r of [...ofType(result, ACL), ...ofType(result, KEY)]) expect(r.provider).toContain("pulumi:providers:tailscale::tailscale::");
  });

  it("makes one single-use, pre-authorized, tagged key per node, Proxmox guests included, after the ACL", async () => {
    const result = await run(validEstate());
    const [acl] = ofType(result, ACL);
    expect(acl.inputs.acl).toBe(renderTailnetAcl(tailnetPolicy(estateOf(validEstate()))));
    const keys = ofType(result, KEY);
    expect(keys.map((k) => k.name).sort()).toEqual(["devlab-tailnet", "hub-tailnet", "minio-tailnet", "spoke-tailnet"]);
    const hub = keys.find((k) => k.name === "hub-tailnet");
    const generation = result.resources.find((r) => r.name === "hub-generation");
    expect(generation?.inputs).toEqual({ byteLength: 4, keepers: { image: "ubuntu-24.04", kind: "hetzner", region: "fsn1" } });
    expect(hub?.inputs).toEqual({
      // The node's generation leads: a rebuilt machine gets a fresh key.
      description: expect.stringMatching(/^[0-9a-f]{8} hetzner dev hub$/),
      ephemeral: false,
      expiry: 90 * 86_400,
      preauthorized: true,
      recreateIfInvalid: "never",
      reusable: false,
      tags: ["tag:hybridlab", "tag:hub", "tag:node-hub"],
    });
    for (const key of keys) expect(key.dependsOn).toContain(acl.urn);
    expect(keys.find((k) => k.name === "minio-tailnet")?.inputs.tags).toEqual(["tag:hybridlab", "tag:lab", "tag:node-minio"]);
  });

  it("keeps every auth key a secret", async () => {
    const result = await run(validEstate());
    expect(result.outputs).toEqual({ authKeys: { devlab: SECRET, hub: SECRET, minio: SECRET, spoke: SECRET } });
  });

  it("takes the key lifetime from tailnet.keyExpiryDays", async () => {
    const result = await run(withValue(validEstate(), "tailnet.keyExpiryDays", 7));
    expect(new Set(ofType(result, KEY).map((k) => k.inputs.expiry))).toEqual(new Set([7 * 86_400]));
  });

  it("builds nothing without a tailnet", async () => {
    const lab = withValue(withValue(withValue(validEstate(), "tailnet", undefined), "nodes.hub", undefined), "nodes.spoke", undefined);
    const result = await run(withValue(withValue(lab, "apps", { minio: { kind: "minio", node: "minio" } }), "dns", undefined));
    expect(result.resources.filter((r) => r.type.startsWith("tailscale:"))).toEqual([]);
    expect(result.outputs).toEqual({ authKeys: {} });
  });
});
