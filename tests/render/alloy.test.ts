import { renderAlloyConfig } from "../../stacks/render/alloy";

// Alloy has no Debian package to validate with; the exact text is asserted instead, written the way `alloy fmt`
// lays it out (tabs, aligned "=") against the component reference pages of loki.source.docker and loki.write.
describe("renderAlloyConfig", () => {
  it("discovers containers, labels their logs and pushes them to Loki with the host label", () => {
    expect(renderAlloyConfig({ lokiPushUrl: "http://100.64.0.1:3100/loki/api/v1/push", host: "hub" })).toBe(`discovery.docker "containers" {
	host = "unix:///var/run/docker.sock"
}

discovery.relabel "containers" {
	targets = []

	rule {
		source_labels = ["__meta_docker_container_name"]
		regex         = "/(.*)"
		target_label  = "container"
	}

	rule {
		source_labels = ["__meta_docker_container_label_hybridlab_app"]
		target_label  = "app"
	}

	rule {
		source_labels = ["__meta_docker_container_label_hybridlab_component"]
		target_label  = "component"
	}

	rule {
		source_labels = ["__meta_docker_container_log_stream"]
		target_label  = "stream"
	}
}

loki.source.docker "containers" {
	host          = "unix:///var/run/docker.sock"
	targets       = discovery.docker.containers.targets
	labels        = {"job" = "docker"}
	relabel_rules = discovery.relabel.containers.rules
	forward_to    = [loki.write.default.receiver]
}

loki.write "default" {
	endpoint {
		url = "http://100.64.0.1:3100/loki/api/v1/push"
	}
	external_labels = {"host" = "hub"}
}
`);
  });

  it("differs between hosts only in the host label", () => {
    const a = renderAlloyConfig({ lokiPushUrl: "http://loki:3100/loki/api/v1/push", host: "hub" }).split("\n");
    const b = renderAlloyConfig({ lokiPushUrl: "http://loki:3100/loki/api/v1/push", host: "spoke-1" }).split("\n");
    expect(a.filter((line, i) => line !== b[i])).toEqual(['\texternal_labels = {"host" = "hub"}']);
  });

  it.each([
    ["the push URL is not a URL", { lokiPushUrl: "loki:3100", host: "hub" }, 'renderAlloyConfig: lokiPushUrl must be an absolute http(s) URL, got "loki:3100"'],
    ["the push URL would break out of its string", { lokiPushUrl: 'http://loki/"}', host: "hub" }, 'renderAlloyConfig: lokiPushUrl must be an absolute http(s) URL, got "http://loki/"}"'],
    ["the host is not a DNS label", { lokiPushUrl: "http://loki:3100/loki/api/v1/push", host: "Hub.example" }, 'renderAlloyConfig: host must be a lowercase DNS label, got "Hub.example"'],
  ])("fails when %s", (_name, input, message) => {
    expect(() => renderAlloyConfig(input)).toThrow(message);
  });
});
