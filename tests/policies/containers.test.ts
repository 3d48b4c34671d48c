import { CONTAINER, isSecretLooking, parseImageReference, REMOTE_IMAGE } from "../../policies/rules/containers";
import { check, messages, resource } from "./support";

/** A container every container rule accepts. */
function container(overrides: Record<string, unknown> = {}, extras: Parameters<typeof resource>[3] = {}) {
  return resource(
    CONTAINER,
    "moodle-app",
    {
      image: "sha256:0f1e2d3c",
      memory: 1024,
      restart: "unless-stopped",
      healthcheck: { tests: ["CMD", "curl", "-f", "http://localhost/"] },
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      envs: ["MOODLE_SITE_NAME=Academy", "[secret]"],
      labels: [
        { label: "hybridlab.app", value: "moodle" },
        { label: "hybridlab.component", value: "moodle" },
        { label: "hybridlab.stack", value: "prod" },
      ],
      ...overrides,
    },
    extras,
  );
}

const containerRules = [
  "container-image-pinned",
  "container-not-privileged",
  "container-capabilities-allow-list",
  "container-docker-socket-allow-list",
  "container-no-sensitive-host-mounts",
  "container-memory-limit",
  "container-healthcheck",
  "container-restart-policy",
  "container-log-rotation",
  "container-no-plaintext-secret-env",
  "container-no-host-network",
];

describe("container rules", () => {
  test.each(containerRules)("%s accepts a well-configured container", (rule) => {
    expect(check(rule, [container()])).toEqual([]);
  });

  test("parseImageReference keeps a registry port out of the tag", () => {
    expect(parseImageReference("registry.lan:5000/tools/app")).toEqual({ repository: "registry.lan:5000/tools/app", tag: undefined, digest: undefined });
    expect(parseImageReference("ghcr.io/google/cadvisor:v0.52.1@sha256:abc")).toEqual({ repository: "ghcr.io/google/cadvisor", tag: "v0.52.1", digest: "sha256:abc" });
  });

  describe("container-image-pinned", () => {
    const image = (name: string) => resource(REMOTE_IMAGE, "img", { name });
    test.each(["caddy:2.10.0", "minio/minio:RELEASE.2025-09-07T16-13-09Z", "grafana/grafana@sha256:1234"])("accepts %s", (name) => {
      expect(check("container-image-pinned", [image(name)])).toEqual([]);
    });
    test("fails when an image has no tag", () => {
      expect(messages("container-image-pinned", [image("registry.lan:5000/app")])).toEqual([
        'image "registry.lan:5000/app" has no tag, so it pulls "latest": pin a version tag or a digest',
      ]);
    });
    test("fails when an image uses latest, on a RemoteImage or directly on a container", () => {
      expect(messages("container-image-pinned", [image("nginx:latest"), container({ image: "redis:stable" })])).toEqual([
        'image "redis:stable" uses the floating tag "stable": pin a version tag or a digest',
        'image "nginx:latest" uses the floating tag "latest": pin a version tag or a digest',
      ]);
    });
    test("takes the floating tags from config", () => {
      expect(check("container-image-pinned", [image("nginx:latest")], { config: { "container-image-pinned": { floatingTags: ["edge"] } } })).toEqual([]);
    });
  });

  test("container-not-privileged fails a privileged container", () => {
    expect(messages("container-not-privileged", [container({ privileged: true })])).toEqual([
      'container "moodle" runs privileged: remove privileged and add only the capabilities it needs',
    ]);
  });

  test("container-capabilities-allow-list names capabilities beyond the allow-list", () => {
    const c = container({ capabilities: { adds: ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "net_admin"] } });
    expect(messages("container-capabilities-allow-list", [c])).toEqual(['container "moodle" adds capabilities SYS_ADMIN, NET_ADMIN; allowed: NET_BIND_SERVICE, SYSLOG']);
    expect(check("container-capabilities-allow-list", [c], { config: { "container-capabilities-allow-list": { allowed: ["NET_BIND_SERVICE", "SYS_ADMIN", "NET_ADMIN"] } } })).toEqual([]);
  });

  describe("container-docker-socket-allow-list", () => {
    const socket = { volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }] };
    test("fails when an app container mounts the socket", () => {
      expect(messages("container-docker-socket-allow-list", [container(socket)])).toEqual([
        'container "moodle" mounts the Docker socket (/var/run/docker.sock), which gives root on the host; only cadvisor, alloy, node-exporter may',
      ]);
    });
    test("allows cAdvisor, recognised by its image when it has no component label", () => {
      const cadvisor = container({ ...socket, image: "ghcr.io/google/cadvisor:v0.52.1", labels: [] });
      expect(check("container-docker-socket-allow-list", [cadvisor])).toEqual([]);
    });
    test("catches a bind mount of /run as well", () => {
      const c = container({ mounts: [{ type: "bind", source: "/run/", target: "/host/run" }] });
      expect(messages("container-docker-socket-allow-list", [c])).toHaveLength(1);
    });
  });

  test("container-no-sensitive-host-mounts fails /etc for an app and allows /proc for node-exporter", () => {
    const app = container({ mounts: [{ type: "bind", source: "/etc", target: "/host/etc", readOnly: true }] });
    const exporter = container({ volumes: [{ hostPath: "/proc", containerPath: "/host/proc" }], labels: [{ label: "hybridlab.component", value: "node-exporter" }] });
    expect(messages("container-no-sensitive-host-mounts", [app, exporter])).toEqual([
      'container "moodle" binds host directories /etc; use a named volume or an upload instead',
    ]);
  });

  test("container-memory-limit fails without memory", () => {
    expect(messages("container-memory-limit", [container({ memory: undefined })])).toEqual([
      'container "moodle" has no memory limit: set memory (MB) so one container cannot starve the host',
    ]);
  });

  test("container-healthcheck fails without tests, and spares one-shot containers", () => {
    expect(messages("container-healthcheck", [container({ healthcheck: { tests: ["NONE"] } })])).toEqual([
      'container "moodle" has no healthcheck: add healthcheck.tests with a probe the image can run',
    ]);
    expect(check("container-healthcheck", [container({ healthcheck: undefined, restart: "no", mustRun: false })])).toEqual([]);
    expect(check("container-healthcheck", [container({ healthcheck: undefined })])[0].enforcementLevel).toBe("advisory");
  });

  test("container-healthcheck trusts a container labelled as relying on its image's own HEALTHCHECK", () => {
    const labels = [
      { label: "hybridlab.component", value: "app" },
      { label: "hybridlab.healthcheck", value: "image" },
    ];
    expect(check("container-healthcheck", [container({ healthcheck: undefined, labels })])).toEqual([]);
    expect(messages("container-healthcheck", [container({ healthcheck: undefined, labels: [labels[0], { label: "hybridlab.healthcheck", value: "none" }] })])).toEqual([
      'container "app" has no healthcheck: add healthcheck.tests with a probe the image can run',
    ]);
  });

  test("container-restart-policy fails restart no unless the container is a one-shot", () => {
    expect(messages("container-restart-policy", [container({ restart: "no" })])).toEqual([
      'container "moodle" has restart "no": use unless-stopped (or restart "no" with mustRun false for a one-shot)',
    ]);
    expect(check("container-restart-policy", [container({ restart: "no", mustRun: false })])).toEqual([]);
  });

  test("container-log-rotation fails json-file without max-size and accepts the local driver", () => {
    expect(messages("container-log-rotation", [container({ logDriver: undefined, logOpts: undefined })])).toEqual([
      'container "moodle" logs with json-file without rotation: set logOpts max-size such as 10m (and max-file), or logDriver "local"',
    ]);
    expect(check("container-log-rotation", [container({ logDriver: "local", logOpts: undefined })])).toEqual([]);
  });

  describe("container-no-plaintext-secret-env", () => {
    test("fails secret-looking variables with plain values", () => {
      const c = container({ envs: ["DB_PASSWORD=hunter2", "AIRFLOW__CORE__FERNET_KEY=abc", "LOG_LEVEL=info"] });
      expect(messages("container-no-plaintext-secret-env", [c])).toEqual([
        'container "moodle" sets DB_PASSWORD, AIRFLOW__CORE__FERNET_KEY as plain text: pass the value with pulumi.secret (or a *_FILE path to a mounted secret)',
      ]);
    });
    test("accepts secrets, *_FILE paths, empty values and a wholly secret list", () => {
      const ok = [container({ envs: ["[secret]", "DB_PASSWORD_FILE=/run/secrets/db", "API_TOKEN="] }), container({ envs: "[secret]" })];
      expect(check("container-no-plaintext-secret-env", ok)).toEqual([]);
    });
    test("accepts the Proxmox VE exporter's token name: the last part of the token's id, not its secret", () => {
      expect(check("container-no-plaintext-secret-env", [container({ envs: ["PVE_TOKEN_NAME=monitoring", "PVE_USER=prometheus@pve", "[secret]"] })])).toEqual([]);
    });
    test("trusts exactly the names the container declares secret, since the CLI shows secrets in plain text", () => {
      const labels = [
        { label: "hybridlab.component", value: "app" },
        { label: "hybridlab.secret-env", value: "DB_PASSWORD,MOODLE_ADMIN_PASSWORD" },
      ];
      const declared = container({ envs: ["DB_PASSWORD=secret-under-the-cli", "MOODLE_ADMIN_PASSWORD=also-secret"], labels }, { additionalSecretOutputs: ["envs"] });
      expect(check("container-no-plaintext-secret-env", [declared])).toEqual([]);
      // A plain password beside the declared ones is still caught, whatever additionalSecretOutputs says.
      const mixed = container({ envs: ["DB_PASSWORD=secret-under-the-cli", "SMTP_PASSWORD=hunter2"], labels }, { additionalSecretOutputs: ["envs"] });
      expect(messages("container-no-plaintext-secret-env", [mixed])).toEqual([
        'container "app" sets SMTP_PASSWORD as plain text: pass the value with pulumi.secret (or a *_FILE path to a mounted secret)',
      ]);
    });
    test.each([
      ["MINIO_ROOT_PASSWORD", true],
      ["GF_SECURITY_ADMIN_PASSWORD", true],
      ["TS_AUTHKEY", true],
      ["PUBLIC_URL", false],
      ["KEYCLOAK_URL", false],
      ["SECRET_KEY", true],
    ])("isSecretLooking(%s) is %s", (name, expected) => {
      expect(isSecretLooking(name)).toBe(expected);
    });
  });

  test("container-no-host-network fails host networking except for node-exporter", () => {
    const exporter = container({ networkMode: "host", labels: [{ label: "hybridlab.component", value: "node-exporter" }] });
    expect(messages("container-no-host-network", [container({ networkMode: "host" }), exporter])).toEqual([
      'container "moodle" uses the host network: publish ports on a bridge network instead',
    ]);
  });
});
