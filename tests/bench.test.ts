/**
 * What the benchmark builds on: the generated estates are valid and mix every node kind with apps on every node,
 * and the critical path follows what the engine waits for (dependencies, explicit providers, a component's waits
 * passed on to its children).
 */
import { readFileSync } from "node:fs";
import { criticalPath, type GraphResource } from "../bench/criticalPath";
import { generatedEstate } from "../bench/estateGenerator";
import { parseEstate } from "../stacks/estate/load";
import { runProgram } from "../stacks/plan/harness";
import { readStackConfig } from "../stacks/plan/stackFile";
import { hybridlab } from "../stacks/program";

describe("generated estates", () => {
  it.each([2, 10, 50, 200])("with %i nodes are valid under the schema and the estate rules", (nodes) => {
    const result = parseEstate(generatedEstate(nodes));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("mix Proxmox sites and clouds, with an app on every node", () => {
    const result = parseEstate(generatedEstate(200));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const { nodes, apps, proxmox } = result.estate;
    expect(Object.keys(nodes)).toHaveLength(200);
    expect(new Set(Object.values(nodes).map((n) => n.kind))).toEqual(new Set(["proxmox-vm", "proxmox-lxc", "hetzner", "digitalocean", "azure"]));
    expect(Object.keys(proxmox)).toEqual(["site-0", "site-1"]);
    expect(Object.keys(nodes).filter((node) => !Object.values(apps).some((app) => app.node === node))).toEqual([]);
    expect(new Set(Object.values(apps).map((a) => a.kind))).toEqual(new Set(["reverse-proxy", "monitoring", "moodle", "minio", "mlflow", "spark", "airflow"]));
  });

  it("refuses fewer than two nodes (a hub and one more)", () => {
    expect(() => generatedEstate(1)).toThrow("generatedEstate: nodes must be an integer >= 2, got 1");
  });
});

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
const resource = (type: string, name: string, more: Partial<GraphResource> = {}): GraphResource => ({
  urn: urn(type, name),
  type,
  parent: "",
  dependsOn: [],
  custom: !type.startsWith("hybridlab:"),
  provider: "",
  ...more,
});

describe("the critical path", () => {
  const machine = resource("x:index:Machine", "vm");
  const provider = resource("pulumi:providers:docker", "docker", { dependsOn: [machine.urn] });
  const service = resource("hybridlab:docker:ContainerService", "db", { dependsOn: [machine.urn] });
  const image = resource("docker:index/remoteImage:RemoteImage", "db-image", { parent: service.urn, provider: `${provider.urn}::id-1` });
  const db = resource("docker:index/container:Container", "db", { parent: service.urn, dependsOn: [image.urn], provider: `${provider.urn}::id-1` });
  const web = resource("docker:index/container:Container", "web", { dependsOn: [db.urn] });

  it("counts resources one after another, through explicit providers, but not the providers themselves", () => {
    expect(criticalPath([machine, provider, service, image, db, web])).toEqual({
      depth: 4,
      chain: ["x:index:Machine vm", "docker:index/remoteImage:RemoteImage db-image", "docker:index/container:Container db", "docker:index/container:Container web"],
    });
  });

  it("passes a component's waits on to its children", () => {
    const first = resource("x:index:Step", "first");
    const second = resource("x:index:Step", "second", { dependsOn: [first.urn] });
    const third = resource("x:index:Step", "third", { dependsOn: [second.urn] });
    const waiting = { ...service, dependsOn: [third.urn] };
    expect(criticalPath([machine, provider, waiting, first, second, third, image, db, web]).chain).toEqual([
      "x:index:Step first",
      "x:index:Step second",
      "x:index:Step third",
      "docker:index/remoteImage:RemoteImage db-image",
      "docker:index/container:Container db",
      "docker:index/container:Container web",
    ]);
  });

  it("is empty for no resources", () => {
    expect(criticalPath([])).toEqual({ depth: 0, chain: [] });
  });
});

describe("the prod deploy", () => {
  it("waits on no image pull after its first container, and on no other node's containers", async () => {
    const { config, secretKeys } = readStackConfig(readFileSync("Pulumi.prod.yaml", "utf8"), "hybridlab", "Pulumi.prod.yaml");
    const { chain } = criticalPath((await runProgram(hybridlab, { stack: "prod", config, secretKeys })).resources);
    expect(chain).toEqual([
      "tailscale:index/acl:Acl tailnet",
      "tailscale:index/tailnetKey:TailnetKey analytics-tailnet",
      "proxmoxve:index/fileLegacy:FileLegacy analytics-user-data",
      "proxmoxve:index/vmLegacy:VmLegacy analytics",
      "command:remote:Command analytics-bootstrap",
      "docker:index/remoteImage:RemoteImage airflow-db-image",
      "docker:index/container:Container airflow-db",
      "docker:index/container:Container airflow-init",
      "docker:index/container:Container airflow-api-server",
    ]);
  });
});
