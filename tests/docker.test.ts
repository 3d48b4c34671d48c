import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ContainerService, failedOneShot } from "../components/docker/ContainerService";
import { configHash, type ContainerServiceArgs } from "../components/docker/containerServiceArgs";
import { bootstrapWaitCommand, DockerHost, type DockerHostArgs } from "../components/docker/DockerHost";
import { renderOperatorSync } from "../stacks/bootstrap/operators";
import { hostAgents } from "../stacks/catalog/apps";
import { AGENTS_APP, hostAgentDeployment } from "../stacks/catalog/containers/agents";
import { composeApps } from "../stacks/compose/apps";
import { loadEstate } from "../stacks/estate/load";
import { ofType, runProgram, type ProgramRun, type RecordedResource } from "../stacks/plan/harness";
import { asConfig, validEstate } from "./fixtures/estate";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";
const COMMAND = "command:remote:Command";
const PROVIDER = "pulumi:providers:docker";
const NETWORK = "docker:index/network:Network";

function only(run: ProgramRun, type: string, name?: string): RecordedResource {
  const found = ofType(run, type).filter((r) => name === undefined || r.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

const service = (overrides: Partial<ContainerServiceArgs> = {}): ContainerServiceArgs => ({
  stack: "dev",
  app: "minio",
  component: "server",
  image: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
  command: ["server", "/data"],
  ports: [{ internal: 9000, external: 9000 }],
  env: { MINIO_PROMETHEUS_AUTH_TYPE: "public" },
  secretEnv: { MINIO_ROOT_PASSWORD: "s3cr3t-value" },
  volumes: [{ name: "data", path: "/data" }],
  configFiles: [{ path: "/etc/minio/extra.conf", content: "a=1\n" }],
  healthcheck: { test: ["CMD", "mc", "ready", "local"], intervalSeconds: 10 },
  memoryMiB: 1024,
  cpus: 1.5,
  networks: ["hybridlab"],
  ...overrides,
});

const labelsOf = (container: RecordedResource): Record<string, string> =>
  Object.fromEntries((container.inputs.labels as Array<{ label: string; value: string }>).map((l) => [l.label, l.value]));

describe("ContainerService", () => {
  it("pulls the pinned image and runs it with limits, rotation, labels, a healthcheck and no privileges", async () => {
    const run = await runProgram(() => {
      new ContainerService("minio-server", service());
    });
    const component = only(run, "hybridlab:docker:ContainerService");
    const image = only(run, IMAGE);
    const container = only(run, CONTAINER);
    expect(image).toMatchObject({ name: "minio-server-image", parent: component.urn, inputs: { name: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", keepLocally: true } });
    expect(container.parent).toBe(component.urn);
    expect(container.inputs).toMatchObject({
      name: "minio-server",
      image: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      command: ["server", "/data"],
      ports: [{ internal: 9000, external: 9000 }],
      restart: "unless-stopped",
      mustRun: true,
      wait: true,
      memory: 1024,
      cpus: "1.5",
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      privileged: false,
      capabilities: { drops: ["ALL"], adds: [] },
      securityOpts: ["no-new-privileges:true"],
      networksAdvanced: [{ name: "hybridlab" }],
      healthcheck: { tests: ["CMD", "mc", "ready", "local"], interval: "10s", timeout: "10s", retries: 5, startPeriod: "30s" },
      uploads: [{ file: "/etc/minio/extra.conf", content: "a=1\n" }],
      volumes: [{ volumeName: "minio-data", containerPath: "/data" }],
      mounts: [],
    });
    expect(labelsOf(container)).toEqual({
      "hybridlab.stack": "dev",
      "hybridlab.app": "minio",
      "hybridlab.component": "server",
      "hybridlab.secret-env": "MINIO_ROOT_PASSWORD",
      "hybridlab.config-hash": configHash([{ path: "/etc/minio/extra.conf", content: "a=1\n" }]),
    });
  });

  it("keeps secret environment values secret, element by element", async () => {
    const run = await runProgram(() => {
      new ContainerService("minio-server", service({ secretEnv: { MINIO_ROOT_PASSWORD: pulumi.secret("from-random"), MINIO_ROOT_USER: "plain-but-secret" } }));
    });
    const container = only(run, CONTAINER);
    expect(container.inputs.envs).toEqual(["MINIO_PROMETHEUS_AUTH_TYPE=public", "[secret]", "[secret]"]);
    expect(container.secretPaths).toEqual(["envs[1]", "envs[2]"]);
    expect(JSON.stringify(run.resources)).not.toMatch(/from-random|plain-but-secret/);
  });

  it("creates one named volume per state path, retained on delete and protected when asked", async () => {
    const run = await runProgram(() => {
      new ContainerService("minio-server", service({ volumes: [{ name: "data", path: "/data" }, { name: "cache", path: "/cache" }], protectVolumes: true }));
    });
    const volumes = ofType(run, VOLUME);
    expect(volumes.map((v) => [v.name, v.inputs.name, v.retainOnDelete, v.protect])).toEqual([
      ["minio-server-cache", "minio-cache", true, true],
      ["minio-server-data", "minio-data", true, true],
    ]);
  });

  it("changes the config-hash label when a config file changes, and only then", async () => {
    const hashWith = async (content: string, env: Record<string, string>): Promise<string> => {
      const run = await runProgram(() => {
        new ContainerService("minio-server", service({ configFiles: [{ path: "/etc/minio/extra.conf", content }], env }));
      });
      return labelsOf(only(run, CONTAINER))["hybridlab.config-hash"];
    };
    const base = await hashWith("a=1\n", {});
    expect(await hashWith("a=1\n", { OTHER: "x" })).toBe(base);
    expect(await hashWith("a=2\n", {})).not.toBe(base);
    expect(configHash([{ path: "/a", content: "1" }, { path: "/b", content: "2" }])).toBe(configHash([{ path: "/b", content: "2" }, { path: "/a", content: "1" }]));
  });

  it("mounts the Docker socket read-only only when asked", async () => {
    const run = await runProgram(() => {
      new ContainerService("plain", service({ component: "plain" }));
      new ContainerService("collector", service({ component: "collector", dockerSocket: true, binds: [{ hostPath: "/sys", containerPath: "/sys" }] }));
    });
    const byName = (name: string) => only(run, CONTAINER, name).inputs.mounts;
    expect(byName("plain")).toEqual([]);
    expect(byName("collector")).toEqual([
      { type: "bind", source: "/sys", target: "/sys", readOnly: true },
      { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock", readOnly: true },
    ]);
  });

  it("runs a one-shot container to completion: restart no, attached, no healthcheck", async () => {
    const run = await runProgram(() => {
      new ContainerService("minio-buckets", service({ component: "buckets", oneShot: true, healthcheck: undefined, ports: [], volumes: [] }));
    });
    expect(only(run, CONTAINER).inputs).toMatchObject({ restart: "no", mustRun: false, wait: false, attach: true, logs: true });
    expect(only(run, CONTAINER).inputs.healthcheck).toBeUndefined();
  });

  it("keeps the image's default capabilities minus the unneeded ones when asked", async () => {
    const run = await runProgram(() => {
      new ContainerService("db", service({ component: "db", capabilities: "image-default" }));
    });
    expect(only(run, CONTAINER).inputs).toMatchObject({ capabilities: { drops: ["AUDIT_WRITE", "MKNOD", "NET_RAW", "SETFCAP", "SYS_CHROOT"], adds: [] }, securityOpts: [] });
  });

  it.each([
    ["an untagged image", { image: "caddy" }, 'ContainerService x: image must be an image pinned to an exact version tag such as "caddy:2.11.4" or to a digest (not "latest", not untagged), got "caddy"'],
    ["latest", { image: "ghcr.io/google/cadvisor:latest" }, 'got "ghcr.io/google/cadvisor:latest"'],
    ["a registry port without a tag", { image: "registry.lan:5000/caddy" }, 'got "registry.lan:5000/caddy"'],
    ["no healthcheck", { healthcheck: undefined }, 'ContainerService x: healthcheck.test must be ["CMD", ...] or ["CMD-SHELL", "..."] using a tool the image has, got undefined'],
    ["a bare healthcheck command", { healthcheck: { test: ["curl", "-f", "http://x"] } }, 'healthcheck.test must be ["CMD", ...]'],
    ["a one-shot with a healthcheck", { oneShot: true }, "ContainerService x: healthcheck must be absent for a one-shot container"],
    ["the socket as a bind", { binds: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] }, "binds must not expose the Docker socket; set dockerSocket: true"],
    ["no network", { networks: [] }, "ContainerService x: networks must be empty (and ports absent) with hostNetwork, and list at least one network otherwise"],
    ["too little memory", { memoryMiB: 4 }, "ContainerService x: memoryMiB must be an integer from 6 to 262144, got 4"],
    ["a variable in both env and secretEnv", { secretEnv: { MINIO_PROMETHEUS_AUTH_TYPE: "x" } }, "ContainerService x: env and secretEnv must not both set MINIO_PROMETHEUS_AUTH_TYPE"],
    ["a device outside /dev", { devices: ["/sys/class/drm"] }, 'ContainerService x: devices[0] must be a device path under /dev, got "/sys/class/drm"'],
    ["no GPUs", { gpus: 0 }, "ContainerService x: gpus must be an integer from 1 to 64, got 0"],
    ["a user with spaces", { user: "root user" }, 'ContainerService x: user must be a user name or uid, optionally with :group, got "root user"'],
    ["the image's healthcheck and another", { imageHealthcheck: true }, 'ContainerService x: imageHealthcheck must not be combined with oneShot or a healthcheck, got ["CMD","mc","ready","local"]'],
  ])("fails when given %s", async (_what, overrides, message) => {
    await expect(runProgram(() => new ContainerService("x", service(overrides as Partial<ContainerServiceArgs>)))).rejects.toThrow(message);
  });

  it("passes host devices at the same path, GPUs and the user to Docker, and labels a container that relies on its image's healthcheck", async () => {
    const run = await runProgram(() => {
      new ContainerService("x", service({ devices: ["/dev/dri", "/dev/kmsg"], gpus: 2, user: "1000:44", healthcheck: undefined, imageHealthcheck: true }));
    });
    const container = only(run, CONTAINER);
    expect(container.inputs).toMatchObject({
      devices: [
        { hostPath: "/dev/dri", containerPath: "/dev/dri" },
        { hostPath: "/dev/kmsg", containerPath: "/dev/kmsg" },
      ],
      gpus: "2",
      user: "1000:44",
    });
    expect(container.inputs.healthcheck).toBeUndefined();
    expect(labelsOf(container)["hybridlab.healthcheck"]).toBe("image");
    const plain = only(
      await runProgram(() => {
        new ContainerService("y", service());
      }),
      CONTAINER,
    );
    expect([plain.inputs.devices, plain.inputs.gpus, plain.inputs.user, labelsOf(plain)["hybridlab.healthcheck"]]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("accepts a digest-pinned image", async () => {
    const image = `caddy@sha256:${"a".repeat(64)}`;
    const run = await runProgram(() => {
      new ContainerService("x", service({ image }));
    });
    expect(only(run, IMAGE).inputs.name).toBe(image);
  });
});

/** Stands in for a node's component (a VM, a server) with one child, as real machines have. */
class Machine extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Machine", name, {});
    new random.RandomId(`${name}-machine`, { byteLength: 4 }, { parent: this });
    this.registerOutputs({});
  }
}

const estate = loadEstate(asConfig(validEstate()));
const hostArgs = (machine: pulumi.Resource, overrides: Partial<DockerHostArgs> = {}): DockerHostArgs => ({
  stack: "dev",
  sshHost: "hub.tail1.ts.net",
  overTailnet: true,
  sshUser: "hybridlab",
  machineIdentity: "hub-id 0a0b0c0d",
  operatorSync: renderOperatorSync(estate.operators),
  readyAfter: [machine],
  agentsApp: AGENTS_APP,
  agents: hostAgentDeployment(estate, "hub"),
  agentPorts: hostAgents,
  ...overrides,
});

describe("DockerHost", () => {
  it("waits for cloud-init over SSH, then manages Docker over ssh:// with the shared network and the agents", async () => {
    const run = await runProgram(() => {
      const machine = new Machine("hub");
      new DockerHost("hub", hostArgs(machine));
    });
    const host = only(run, "hybridlab:docker:DockerHost");
    const wait = only(run, COMMAND, "hub-bootstrap");
    const provider = only(run, PROVIDER);
    const network = only(run, NETWORK);
    expect(wait).toMatchObject({ name: "hub-bootstrap", parent: host.urn, inputs: { create: bootstrapWaitCommand(false), connection: "[secret]", triggers: ["hub-id 0a0b0c0d"] } });
    expect(wait.inputs.create).toBe("cloud-init status --wait >/dev/null || true; test -f /var/lib/hybridlab/bootstrap-done");
    expect(wait.dependsOn).toEqual([only(run, "random:index/randomId:RandomId").urn]);
    expect(provider).toMatchObject({
      name: "hub-docker",
      // Over the tailnet WireGuard authenticates the peer: a rebuilt node's new host key is accepted.
      inputs: {
        host: "ssh://hybridlab@hub.tail1.ts.net",
        sshOpts: JSON.stringify(["-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]),
      },
    });
    expect(provider.dependsOn).toContain(wait.urn);
    expect(network.inputs).toMatchObject({ name: "hybridlab", driver: "bridge" });
    expect(network.provider.startsWith(provider.urn)).toBe(true);
    const agents = ofType(run, CONTAINER);
    expect(agents.map((c) => c.inputs.name).sort()).toEqual(["agents-alloy", "agents-cadvisor", "agents-node-exporter"]);
    for (const agent of agents) {
      expect(agent.provider.startsWith(provider.urn)).toBe(true);
      expect(agent.dependsOn).toEqual(expect.arrayContaining([wait.urn, network.urn]));
    }
    expect(only(run, CONTAINER, "hub-agents-node-exporter").inputs).toMatchObject({ networkMode: "host", pidMode: "host", networksAdvanced: [], ports: [] });
    // Kernel OOM kills reach cAdvisor through the kernel log, readable with CAP_SYSLOG under dmesg_restrict.
    expect(only(run, CONTAINER, "hub-agents-cadvisor").inputs).toMatchObject({
      ports: [{ internal: 8080, external: 9338 }],
      devices: [{ hostPath: "/dev/kmsg", containerPath: "/dev/kmsg" }],
      capabilities: { adds: ["SYSLOG"] },
    });
    expect(only(run, CONTAINER, "hub-agents-node-exporter").inputs.devices).toBeUndefined();
  });

  it("runs the bootstrap script of an LXC host as its bootstrap user, once, with the script kept secret", async () => {
    const run = await runProgram(() => {
      const machine = new Machine("minio");
      new DockerHost("minio", hostArgs(machine, { sshHost: "minio", bootstrapUser: "root", bootstrapScript: "#!/bin/bash\ntouch /x\n" }));
    });
    const wait = only(run, COMMAND, "minio-bootstrap");
    expect(wait.inputs).toMatchObject({ create: "bash -s && test -f /var/lib/hybridlab/bootstrap-done", stdin: "[secret]" });
    expect(wait.ignoreChanges).toEqual(["stdin"]);
    expect(only(run, PROVIDER).inputs.host).toBe("ssh://hybridlab@minio");
  });

  it("applies the operators after the bootstrap, again whenever the operator set changes or the machine is rebuilt", async () => {
    const run = await runProgram(() => new DockerHost("hub", hostArgs(new Machine("hub"))));
    const sync = only(run, COMMAND, "hub-operators");
    expect(sync.inputs).toMatchObject({ create: "sudo bash -s", stdin: renderOperatorSync(estate.operators), triggers: ["hub-id 0a0b0c0d"], connection: "[secret]" });
    expect(sync.dependsOn).toContain(only(run, COMMAND, "hub-bootstrap").urn);
    // A rebuilt machine's network and containers are recreated on it: they carry its identity.
    expect(only(run, NETWORK).inputs.labels).toContainEqual({ label: "hybridlab.machine", value: "hub-id 0a0b0c0d" });
    for (const agent of ofType(run, CONTAINER)) expect(agent.inputs.labels).toContainEqual({ label: "hybridlab.machine", value: "hub-id 0a0b0c0d" });
  });

  it("trusts the first host key and refuses a changed one when it is not reached over the tailnet", async () => {
    const run = await runProgram(() => new DockerHost("hub", hostArgs(new Machine("hub"), { sshHost: "192.168.1.100", overTailnet: false })));
    expect(only(run, PROVIDER).inputs).toMatchObject({
      host: "ssh://hybridlab@192.168.1.100",
      sshOpts: JSON.stringify(["-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15", "-o", "StrictHostKeyChecking=accept-new"]),
    });
  });

  it.each([
    ["no machine to wait for", { readyAfter: [] }, "DockerHost h: readyAfter must list the node's resources, got none"],
    ["a bad user", { sshUser: "Root User" }, 'DockerHost h: sshUser must be a Linux user name, got "Root User"'],
    ["a bad bootstrap host", { bootstrapHost: "192.168.1.200/24" }, 'DockerHost h: bootstrapHost must be a host name or IPv4 address, got "192.168.1.200/24"'],
    ["a bad timeout", { bootstrapTimeout: "soon" }, 'DockerHost h: bootstrapTimeout must be a duration such as "30m", got "soon"'],
    ["an empty operator sync", { operatorSync: " " }, "DockerHost h: operatorSync must be a script, got an empty one"],
  ])("fails when given %s", async (_what, overrides, message) => {
    await expect(runProgram(() => new DockerHost("h", { ...hostArgs(new Machine("h")), ...(overrides as Partial<DockerHostArgs>) }))).rejects.toThrow(message);
  });

  it("never makes one node's Docker host wait on another node", async () => {
    const run = await runProgram(() => {
      const machines = Object.fromEntries(
        Object.entries(estate.nodes).map(([name, node]) => [name, { dependsOn: new Machine(name), kind: node.kind, machineId: pulumi.output(`${name}-id`), generation: pulumi.output("0a0b0c0d") }]),
      );
      return composeApps(estate, "dev", machines);
    });
    const hosts = ofType(run, "hybridlab:docker:DockerHost");
    // Every node, with or without apps, runs the host agents.
    expect(hosts.map((h) => h.name).sort()).toEqual(["devlab", "hub", "minio", "spoke"]);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const hostOf = (r: RecordedResource): string | undefined => {
      for (let at: RecordedResource | undefined = r; at; at = byUrn.get(at.parent)) {
        if (at.type === "hybridlab:docker:DockerHost") return at.name;
        if (at.type === "test:index:Machine") return at.name;
      }
      return undefined;
    };
    for (const host of hosts) {
      const inside = run.resources.filter((r) => hostOf(r) === host.name && r.type !== "test:index:Machine");
      expect(inside.length).toBeGreaterThan(5);
      for (const r of inside) {
        const foreign = r.dependsOn.map((urn) => byUrn.get(urn)).filter((d): d is RecordedResource => d !== undefined && hostOf(d) !== undefined && hostOf(d) !== host.name);
        expect([r.name, foreign.map((d) => d.name)]).toEqual([r.name, []]);
      }
    }
  });
});

describe("a one-shot container", () => {
  const urn = "urn:pulumi:dev::hybridlab::hybridlab:apps:AppDeployment$hybridlab:docker:ContainerService$docker:index/container:Container::airflow-init";
  it("passes when it exited 0 (or before its exit is known, in a preview) and fails the deployment otherwise", () => {
    expect(failedOneShot("airflow-init", 0, urn)).toBe(0);
    expect(failedOneShot("airflow-init", undefined, urn)).toBe(0);
    expect(() => failedOneShot("airflow-init", 1, urn)).toThrow(
      `one-shot container airflow-init exited with code 1; read why with \`docker logs airflow-init\` on its host, fix the cause, then re-run it with: pulumi up --replace '${urn}'`,
    );
  });
});
