/**
 * The lean `Container` must reach the engine exactly as the provider's `docker.Container` does: any difference
 * (type, an input, a secret, a dependency, the plugin version) would be a diff, or a replacement, on every running
 * container. This compares the two registrations field by field, so a provider upgrade that changes how its class
 * registers a container fails here.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { Container, CONTAINER_TYPE } from "../components/docker/Container";
import { runProgram, type RecordedResource } from "../stacks/plan/harness";

/** Every kind of input ContainerService sets: Outputs, secrets, nested lists and maps, unset ones. */
function containerArgs(image: docker.RemoteImage): docker.ContainerArgs {
  return {
    name: "airflow-api",
    hostname: "airflow-api",
    image: image.imageId,
    command: ["api-server"],
    entrypoints: undefined,
    envs: ["AIRFLOW__CORE__EXECUTOR=CeleryExecutor", pulumi.secret("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql://airflow:pw@db/airflow")],
    ports: [{ internal: 8080, external: 8080, ip: "100.64.0.1" }],
    volumes: [{ volumeName: "airflow-logs", containerPath: "/opt/airflow/logs" }],
    mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock", readOnly: true, bindOptions: undefined }],
    uploads: [{ file: "/opt/airflow/webserver_config.py", content: "AUTH_TYPE = 1\n" }],
    healthcheck: { tests: ["CMD", "curl", "-fsS", "http://localhost:8080/api/v2/version"], interval: "30s", timeout: "10s", retries: 5, startPeriod: "30s" },
    restart: "unless-stopped",
    mustRun: true,
    wait: true,
    waitTimeout: 180,
    memory: 2048,
    cpus: "1.5",
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    labels: [{ label: "hybridlab.app", value: "airflow" }],
    hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
    networksAdvanced: [{ name: "hybridlab" }],
    devices: [{ hostPath: "/dev/dri", containerPath: "/dev/dri" }],
    privileged: false,
    capabilities: { drops: ["ALL"], adds: [] },
    securityOpts: ["no-new-privileges:true"],
  };
}

/** What the engine receives, less what differs by name alone. */
function registration(resource: RecordedResource): Omit<RecordedResource, "urn" | "name" | "secretDigests"> {
  const { urn: _urn, name: _name, secretDigests: _digests, ...rest } = resource;
  return rest;
}

describe("the lean Docker container", () => {
  it("registers exactly what docker.Container registers: type, inputs, secrets, dependencies, options, plugin version", async () => {
    const run = await runProgram(() => {
      const image = new docker.RemoteImage("image", { name: "apache/airflow:3.3.2", keepLocally: true });
      const network = new docker.Network("network", { name: "hybridlab" });
      const opts: pulumi.CustomResourceOptions = { dependsOn: [network], additionalSecretOutputs: ["envs", "containerLogs"], deleteBeforeReplace: true };
      new docker.Container("provider-class", containerArgs(image), opts);
      new Container("lean", containerArgs(image), opts);
    });
    const [lean, provider] = ["lean", "provider-class"].map((name) => run.resources.find((r) => r.name === name));
    if (!lean || !provider) throw new Error("both containers must be registered");
    expect(lean.type).toBe(CONTAINER_TYPE);
    expect(lean.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(lean.secretPaths).toEqual(["envs[1]"]);
    expect(registration(lean)).toEqual(registration(provider));
    expect(Object.keys(lean.inputs).sort()).toEqual(Object.keys(provider.inputs).sort());
  });

  it("sends the engine the same request, every field of it (plugin download URL, aliases, options) but the name", async () => {
    const requests = new Map<string, Record<string, unknown>>();
    const original = MockMonitor.prototype.registerResource;
    const spy = jest.spyOn(MockMonitor.prototype, "registerResource").mockImplementation(function (this: MockMonitor, req: RegisterResourceRequest, callback) {
      const { name: _name, ...request } = req.toObject();
      requests.set(req.getName(), request);
      return original.call(this, req, callback);
    });
    try {
      await runProgram(() => {
        const image = new docker.RemoteImage("image", { name: "apache/airflow:3.3.2", keepLocally: true });
        new docker.Container("provider-class", containerArgs(image), { additionalSecretOutputs: ["envs"], protect: true, ignoreChanges: ["logs"] });
        new Container("lean", containerArgs(image), { additionalSecretOutputs: ["envs"], protect: true, ignoreChanges: ["logs"] });
      });
    } finally {
      spy.mockRestore();
    }
    expect(requests.get("lean")).toBeDefined();
    expect(requests.get("lean")).toEqual(requests.get("provider-class"));
  });

  it("is a docker.Container to the SDK and to dependents, and resolves its name and exit code", async () => {
    let seen: { isContainer?: boolean; unsetOutputs?: boolean } = {};
    const run = await runProgram(() => {
      const container = new Container("oneshot", { name: "minio-buckets", image: "sha256:abc", attach: true, restart: "no" });
      // No Output for what was never set: that is the memory the class saves.
      seen = { isContainer: docker.Container.isInstance(container), unsetOutputs: ["bridge", "containerLogs", "gpus", "shmSize"].some((key) => key in container) };
      return { name: container.name, exitCode: container.exitCode };
    });
    expect(seen).toEqual({ isContainer: true, unsetOutputs: false });
    expect(run.outputs).toEqual({ name: "minio-buckets", exitCode: 0 });
  });
});
