/**
 * The agents on every Docker host: node-exporter (host metrics), cAdvisor (container metrics) and, when the estate
 * has a monitoring app, Grafana Alloy shipping container logs to its Loki; on the guest a Proxmox site names, the
 * Proxmox VE exporter for that site.
 * Upstream deployments: node-exporter https://github.com/prometheus/node_exporter#docker (host network and PID
 * namespace, the host's / mounted read-only with rslave propagation, --path.rootfs); cAdvisor
 * https://github.com/google/cadvisor/blob/master/docs/running.md (read-only mounts of /, /sys, /var/lib/docker and the
 * Docker socket; run here without --privileged, which costs only some disk I/O details); Alloy
 * https://grafana.com/docs/alloy/latest/set-up/install/docker/ (`run` with the config file and a storage path).
 */
import { PVE_EXPORTER, pveExporters, type PveExporter } from "../../derive/hostAgents";
import { lokiPushUrl } from "../../derive/monitoring";
import type { Estate } from "../../estate/schema";
import { renderAlloyConfig } from "../../render/alloy";
import { hostAgents } from "../apps";
import { httpCheck } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec, ContainerSpec } from "../../../components/apps/deploymentSpec";

/** The pseudo-app the agents belong to (container names `agents-<agent>`, label hybridlab.app=agents). */
export const AGENTS_APP = "agents";

const CADVISOR_PORT = 8080;
const ALLOY_PORT = 12345;

export function hostAgentDeployment(estate: Pick<Estate, "apps" | "tailnet" | "nodes" | "proxmox">, node: string): AppDeploymentSpec {
  const nodeExporter: ContainerSpec = {
    component: "node-exporter",
    image: images.nodeExporter,
    command: ["--path.rootfs=/host", `--web.listen-address=:${hostAgents["node-exporter"]}`],
    binds: [{ hostPath: "/", containerPath: "/host", propagation: "rslave" }],
    hostNetwork: true,
    hostPid: true,
    healthcheck: httpCheck("wget", `http://127.0.0.1:${hostAgents["node-exporter"]}/metrics`),
    memoryMiB: 64,
  };
  const cadvisor: ContainerSpec = {
    component: "cadvisor",
    image: images.cadvisor,
    command: ["--docker_only=true", "--housekeeping_interval=30s", "--store_container_labels=false", "--whitelisted_container_labels=hybridlab.app,hybridlab.component,hybridlab.stack"],
    ports: [{ name: "cadvisor", containerPort: CADVISOR_PORT }],
    binds: [
      { hostPath: "/", containerPath: "/rootfs" },
      { hostPath: "/sys", containerPath: "/sys" },
      { hostPath: "/var/lib/docker", containerPath: "/var/lib/docker" },
      { hostPath: "/dev/disk", containerPath: "/dev/disk" },
    ],
    // The kernel log, from which cAdvisor's OOM parser reports kernel OOM kills (`--device=/dev/kmsg` in
    // docs/running.md). Most distributions set kernel.dmesg_restrict=1, so reading it also takes CAP_SYSLOG, which
    // Docker's default set lacks.
    devices: ["/dev/kmsg"],
    dockerSocket: true,
    healthcheck: httpCheck("wget", `http://127.0.0.1:${CADVISOR_PORT}/healthz`),
    memoryMiB: 256,
    // Reads every container's cgroup and the Docker state as root.
    capabilities: "image-default",
    capAdd: ["SYSLOG"],
  };
  const push = lokiPushUrl(estate, node);
  const alloy: ContainerSpec[] =
    push === undefined
      ? []
      : [
          {
            component: "alloy",
            image: images.alloy,
            command: ["run", `--server.http.listen-addr=0.0.0.0:${ALLOY_PORT}`, "--storage.path=/var/lib/alloy/data", "/etc/alloy/config.alloy"],
            configFiles: [{ path: "/etc/alloy/config.alloy", content: renderAlloyConfig({ lokiPushUrl: push, host: node }), artifact: "config.alloy" }],
            volumes: [{ name: "alloy-data", path: "/var/lib/alloy/data" }],
            dockerSocket: true,
            // The image has bash but neither curl nor wget (grafana/alloy#477): ask /-/ready over bash's /dev/tcp.
            healthcheck: {
              test: ["CMD", "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${ALLOY_PORT} && printf 'GET /-/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '`],
            },
            memoryMiB: 256,
            capabilities: "image-default",
          },
        ];
  const pve = pveExporters(estate).find((e) => e.node === node);
  return {
    secrets: pve ? { "pve-token": { kind: "config", key: "pveExporterTokens", field: pve.site } } : {},
    containers: [nodeExporter, cadvisor, ...alloy, ...(pve ? [pveExporter(pve)] : [])],
  };
}

/**
 * The Proxmox VE exporter for one site, configured by environment (PVE_USER, PVE_TOKEN_NAME, PVE_TOKEN_VALUE,
 * PVE_VERIFY_SSL, per its README's "Authentication"), the token value a secret. Its image is Alpine (busybox wget)
 * and runs as an unprivileged user; `/` answers once it serves.
 */
function pveExporter(pve: PveExporter): ContainerSpec {
  return {
    component: PVE_EXPORTER.agent,
    image: images.pveExporter,
    command: [`--web.listen-address=0.0.0.0:${PVE_EXPORTER.port}`],
    ports: [{ name: PVE_EXPORTER.agent, containerPort: PVE_EXPORTER.port }],
    env: { PVE_USER: pve.user, PVE_TOKEN_NAME: pve.tokenName, PVE_VERIFY_SSL: pve.verifyTls ? "true" : "false" },
    secretEnv: { PVE_TOKEN_VALUE: "{{pve-token}}" },
    healthcheck: httpCheck("wget", `http://127.0.0.1:${PVE_EXPORTER.port}/`),
    memoryMiB: 128,
  };
}
