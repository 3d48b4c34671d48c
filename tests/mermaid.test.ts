/**
 * `--format mermaid`: the estate as an architecture-beta diagram, parsed by Mermaid's own parser. Every group,
 * service and edge must refer to ids the diagram declares, since the parser alone does not check that (the
 * renderer would fail in the browser).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diagram, parseArgs, PlanInputError } from "../stacks/plan/cli";
import { title } from "../stacks/plan/render/mermaid";
import { asStackFile, validEstate, withValue } from "./fixtures/estate";
import { parseArchitecture, type ArchitectureAst } from "./support/mermaid";

const root = path.resolve(__dirname, "..");

function danglingReferences(ast: ArchitectureAst): string[] {
  const groups = new Set(ast.groups.map((g) => g.id));
  const services = new Set(ast.services.map((s) => s.id));
  return [
    ...[...ast.groups, ...ast.services].filter((x) => x.in !== undefined && !groups.has(x.in)).map((x) => `${x.id} in ${x.in}`),
    ...ast.edges.flatMap((e) => [e.lhsId, e.rhsId]).filter((id) => !services.has(id)),
  ];
}

describe.each(["dev", "prod"])("the %s diagram", (stack) => {
  const ast = parseArchitecture(diagram({ configFile: `Pulumi.${stack}.yaml` }, root));

  it("parses with Mermaid's parser and refers only to what it declares", () => {
    expect(ast.title).toBe(`hybridlab ${stack} estate`);
    expect(danglingReferences(ast)).toEqual([]);
    const ids = [...ast.groups, ...ast.services].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("joins every node to the tailnet", () => {
    const nodeGroups = ast.groups.filter((g) => g.id.startsWith("node_")).map((g) => g.id);
    const joined = ast.edges.filter((e) => e.rhsId === "tailnet" && e.lhsGroup).map((e) => ast.services.find((s) => s.id === e.lhsId)?.in);
    expect(joined.sort()).toEqual(nodeGroups.sort());
  });
});

describe("the prod diagram", () => {
  const ast = parseArchitecture(diagram({ configFile: "Pulumi.prod.yaml" }, root));

  it("groups nodes by Proxmox site and cloud, each titled with its size", () => {
    expect(ast.groups.filter((g) => g.id.startsWith("node_")).map((g) => [g.title, g.in])).toEqual([
      ["analytics lab VM 4 cores 12288 MiB 100 GiB", "site_home"],
      ["devlab lab VM 4 cores 12288 MiB 50 GiB", "site_home"],
      ["hub cx33", "cloud_hetzner"],
      ["learning lab VM 4 cores 8192 MiB 80 GiB", "site_home"],
      ["minio lab LXC 2 cores 4096 MiB 20 GiB", "site_home"],
      ["spoke azure spoke Standard_B2s", "cloud_azure"],
      ["spoke do spoke s 2vcpu 4gb", "cloud_digitalocean"],
    ]);
    expect(ast.groups.filter((g) => !g.id.startsWith("node_")).map((g) => [g.id, g.icon, g.title])).toEqual([
      ["site_home", "server", "Proxmox site home node pve"],
      ["cloud_azure", "cloud", "Azure"],
      ["cloud_digitalocean", "cloud", "DigitalOcean"],
      ["cloud_hetzner", "cloud", "Hetzner Cloud"],
      ["internet", "internet", "Internet"],
    ]);
  });

  it("puts each app on its node, and a node without apps is still drawn", () => {
    expect(ast.services.filter((s) => s.in?.startsWith("node_")).map((s) => `${s.title} @ ${s.in}`)).toEqual([
      "airflow @ node_analytics",
      "mlflow @ node_analytics",
      "spark @ node_devlab",
      "identity @ node_hub",
      "monitoring @ node_hub",
      "proxy reverse proxy @ node_hub",
      "moodle @ node_learning",
      "minio @ node_minio",
      "spoke azure no apps @ node_spoke_azure",
      "spoke do no apps @ node_spoke_do",
    ]);
  });

  it("routes each public hostname through the reverse proxy, saying how it is exposed and how the proxy reaches the app", () => {
    expect(ast.services.filter((s) => s.in === "internet").map((s) => s.title)).toEqual(["airflow example com", "auth example com", "grafana example com", "learn example com"]);
    const edges = ast.edges.filter((e) => e.rhsId !== "tailnet").map((e) => `${e.lhsId} -[${e.title}]- ${e.rhsId}`);
    expect(edges).toEqual([
      "entry_airflow -[HTTPS sign in DNS only]- app_proxy",
      "entry_identity -[HTTPS DNS only]- app_proxy",
      "entry_monitoring -[HTTPS sign in DNS only]- app_proxy",
      "entry_moodle -[HTTPS DNS only]- app_proxy",
      "app_proxy -[tailnet port 8080]- app_airflow",
      "app_proxy -[port 8180]- app_identity",
      "app_proxy -[port 3000]- app_monitoring",
      "app_proxy -[tailnet port 8080]- app_moodle",
    ]);
  });
});

describe("titles", () => {
  it.each([
    ["learn.example.com", "[learn example com]"],
    ["spoke-do  s-2vcpu-4gb", "[spoke do s 2vcpu 4gb]"],
    ["Standard_B2s", "[Standard_B2s]"],
  ])("spells %j as Mermaid accepts it", (text, expected) => {
    expect(title(text)).toBe(expected);
  });

  it("fails when a title keeps a character the grammar refuses (the parser really checks)", () => {
    expect(() => parseArchitecture("architecture-beta\n    service a(server)[learn.example.com]\n")).toThrow("Mermaid rejects the diagram");
  });
});

describe("parseArgs", () => {
  it("takes --format mermaid", () => {
    expect(parseArgs(["--stack", "prod", "--format", "mermaid"])).toMatchObject({ stack: "prod", format: "mermaid" });
  });
  it("refuses what only a plan takes", () => {
    expect(() => parseArgs(["--format", "mermaid", "--against", "a.json", "--emit-dir", "out"])).toThrow("--format mermaid draws the estate only; it takes no --against, --emit-dir");
  });
  it("reports an invalid estate for a diagram as for a plan", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "hybridlab-diagram-")), "Pulumi.broken.yaml");
    writeFileSync(file, asStackFile(withValue(validEstate(), "apps.moodle.node", "nowhere")));
    expect(() => diagram({ configFile: file }, root)).toThrow(PlanInputError);
    expect(() => diagram({ configFile: file }, root)).toThrow('hybridlab:apps.moodle.node: unknown node "nowhere"; expected one of: devlab, minio, hub, spoke');
  });
});
