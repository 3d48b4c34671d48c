/**
 * Grafana Alloy's config for a Docker host: read every container's logs from the Docker API and push them to Loki,
 * labelled by container, app, component and host. Alloy replaces Promtail (end of life in March 2026); the
 * component wiring follows Alloy's own loki.source.docker reference
 * (https://grafana.com/docs/alloy/latest/reference/components/loki/loki.source.docker/).
 */
import { requireMatch } from "../../components/validate";

/** Where logs go and which host they come from. */
export interface AlloyConfigInput {
  /** Loki's push endpoint, e.g. "http://100.64.0.1:3100/loki/api/v1/push"; required, no default. */
  readonly lokiPushUrl: string;
  /** Name of this host (the node), sent as the `host` label on every line; required, no default. */
  readonly host: string;
}

/** The Docker Engine socket Alloy reads, bind-mounted read-only into its container. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

const WHERE = "renderAlloyConfig";

/**
 * Renders config.alloy. Stream labels: `container` (name without Docker's leading "/"), `app` and `component`
 * (from the `hybridlab.app` / `hybridlab.component` container labels), `stream` (stdout or stderr), `job`
 * ("docker") and `host`. Throws "renderAlloyConfig: <field> must be ..., got ..." on a malformed URL or host.
 */
export function renderAlloyConfig(input: AlloyConfigInput): string {
  requireMatch(WHERE, "lokiPushUrl", input.lokiPushUrl, /^https?:\/\/[^\s/"\\]+\/[^\s"\\]*$/, "an absolute http(s) URL");
  requireMatch(WHERE, "host", input.host, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "a lowercase DNS label");
  const socket = `"unix://${DOCKER_SOCKET}"`;
  const rule = (source: string, target: string, regex?: string): string[] => [
    "",
    "\trule {",
    `\t\tsource_labels = ["${source}"]`,
    ...(regex !== undefined ? [`\t\tregex         = "${regex}"`] : []),
    `\t\ttarget_label  = "${target}"`,
    "\t}",
  ];
  return [
    `discovery.docker "containers" {`,
    `\thost = ${socket}`,
    "}",
    "",
    // Rules for loki.source.docker, which applies them per log entry; this component itself relabels no targets.
    `discovery.relabel "containers" {`,
    "\ttargets = []",
    ...rule("__meta_docker_container_name", "container", "/(.*)"),
    ...rule("__meta_docker_container_label_hybridlab_app", "app"),
    ...rule("__meta_docker_container_label_hybridlab_component", "component"),
    ...rule("__meta_docker_container_log_stream", "stream"),
    "}",
    "",
    `loki.source.docker "containers" {`,
    `\thost          = ${socket}`,
    "\ttargets       = discovery.docker.containers.targets",
    '\tlabels        = {"job" = "docker"}',
    "\trelabel_rules = discovery.relabel.containers.rules",
    "\tforward_to    = [loki.write.default.receiver]",
    "}",
    "",
    `loki.write "default" {`,
    "\tendpoint {",
    `\t\turl = "${input.lokiPushUrl}"`,
    "\t}",
    `\texternal_labels = {"host" = "${input.host}"}`,
    "}",
    "",
  ].join("\n");
}
