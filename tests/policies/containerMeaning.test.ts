/**
 * Container rules read meaning, not spelling: host paths are normalised before they are compared, secret variables
 * are recognised in any case style, and values that switch a control off count as missing.
 */
import fc from "fast-check";
import { CONTAINER, embedsCredential, isSecretLooking } from "../../policies/rules/containers";
import { exposesPath, normalizeHostPath } from "../../policies/rules/shared";
import { check, messages, resource } from "./support";

/** A container every container rule accepts, with `overrides` on top. */
function container(overrides: Record<string, unknown> = {}) {
  return resource(CONTAINER, "moodle-app", {
    image: "sha256:0f1e2d3c",
    memory: 1024,
    restart: "unless-stopped",
    healthcheck: { tests: ["CMD", "curl", "-f", "http://localhost/"] },
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    envs: ["MOODLE_SITE_NAME=Academy", "[secret]"],
    labels: [{ label: "hybridlab.component", value: "moodle" }],
    ...overrides,
  });
}

const bind = (source: string) => container({ mounts: [{ type: "bind", source, target: "/host" }] });

describe("host paths", () => {
  test.each([
    ["//etc", "/etc"],
    ["/etc/", "/etc"],
    ["/srv/./data//", "/srv/data"],
    ["/srv/../etc/ssl", "/etc/ssl"],
    ["/../../", "/"],
    ["", "/"],
  ])("normalizeHostPath(%j) is %j", (path, expected) => {
    expect(normalizeHostPath(path)).toBe(expected);
  });

  const segment = fc.constantFrom("etc", "var", "run", "docker.sock", "srv", "data", ".", "..", "");
  const path = fc.array(segment, { maxLength: 8 }).map((parts) => `/${parts.join("/")}`);

  test("normalising is idempotent and yields an absolute path without ., .., // or a trailing slash", () => {
    fc.assert(
      fc.property(path, (p) => {
        const n = normalizeHostPath(p);
        expect(normalizeHostPath(n)).toBe(n);
        expect(n.startsWith("/")).toBe(true);
        expect(n === "/" || !/(^|\/)\.{1,2}(\/|$)|\/\/|\/$/.test(n)).toBe(true);
      }),
    );
  });

  test("spelling a path differently (extra slashes, ./, a detour through ..) never changes what it exposes", () => {
    const detour = fc.tuple(path, fc.constantFrom("", "/", "/.", "//", "/x/..")).map(([p, tail]) => [p, `/${p}${tail}`.replace(/^\/+/, "//")]);
    fc.assert(
      fc.property(detour, path, ([p, respelt], target) => {
        expect(exposesPath(respelt, target)).toBe(exposesPath(p, target));
      }),
    );
  });

  test("a parent exposes every path below it, and / exposes everything", () => {
    const below = fc.array(fc.constantFrom("etc", "run", "docker.sock", "data", "."), { maxLength: 5 }).map((parts) => parts.join("/"));
    fc.assert(
      fc.property(path, below, (parent, child) => {
        expect(exposesPath(parent, `${parent}/${child}`)).toBe(true);
        expect(exposesPath("/", child)).toBe(true);
      }),
    );
  });

  test("a sibling with a shared prefix exposes nothing: /etcetera is not /etc", () => {
    expect(exposesPath("/etcetera", "/etc")).toBe(false);
    expect(exposesPath("/var/lib/dockerd", "/var/lib/docker")).toBe(false);
  });
});

describe("container-docker-socket-allow-list reads paths as the kernel does", () => {
  test.each(["/var//run/docker.sock", "/var/run/./docker.sock", "/srv/../run/docker.sock", "/var", "/", "/run/user/1000/docker.sock"])("fails a bind of %s", (source) => {
    expect(messages("container-docker-socket-allow-list", [bind(source)])).toEqual([
      `container "moodle" mounts the Docker socket (${source}), which gives root on the host; only cadvisor, alloy, node-exporter may`,
    ]);
  });

  test("accepts binds that do not reach the socket", () => {
    expect(check("container-docker-socket-allow-list", [bind("/srv/moodle"), bind("/var/lib/moodle"), bind("/runner")])).toEqual([]);
  });

  test("takes the allow-list from config", () => {
    const config = { "container-docker-socket-allow-list": { allowed: ["moodle"] } };
    expect(check("container-docker-socket-allow-list", [bind("/")], { config })).toEqual([]);
  });
});

describe("container-no-sensitive-host-mounts reads paths as the kernel does", () => {
  test.each(["//etc", "/etc/", "/srv/../etc/ssl", "/var", "/var/lib", "/./usr/share"])("fails a bind of %s", (source) => {
    expect(messages("container-no-sensitive-host-mounts", [bind(source)])).toEqual([
      `container "moodle" binds host directories ${source}; use a named volume or an upload instead`,
    ]);
  });

  test("accepts data directories", () => {
    expect(check("container-no-sensitive-host-mounts", [bind("/srv/moodle"), bind("/var/backups/moodle"), bind("/etcetera")])).toEqual([]);
  });
});

describe("container-no-plaintext-secret-env by meaning", () => {
  test.each(["dbPassword", "DB_PASSWORD", "PGPASSWORD", "db-password", "db.password", "apiToken", "SECRET_KEY", "apiKey", "APIKEY", "awsSecretAccessKey", "MYSQL_PWD", "REDIS_PASS"])(
    "%s looks secret",
    (name) => {
      expect(isSecretLooking(name)).toBe(true);
    },
  );

  test.each(["PUBLIC_URL", "KEYCLOAK_URL", "monkeyCount", "PASSENGER_COUNT", "BYPASS_PROXY", "LOG_LEVEL"])("%s does not look secret", (name) => {
    expect(isSecretLooking(name)).toBe(false);
  });

  test("the case style of a name never changes the verdict", () => {
    const word = fc.constantFrom("db", "password", "api", "token", "site", "name", "key", "url", "secret", "level");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const snake = words.join("_").toUpperCase();
        const kebab = words.join("-");
        const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
        expect(isSecretLooking(kebab)).toBe(isSecretLooking(snake));
        expect(isSecretLooking(camel)).toBe(isSecretLooking(snake));
      }),
    );
  });

  test.each([
    ["postgres://airflow:hunter2@db/airflow", true],
    ["redis://:hunter2@redis:6379/0", true],
    ["https://user:p%40ss@example.com", true],
    ["postgres://airflow@db/airflow", false],
    ["http://db:5432/airflow", false],
    ["mailto:ops@example.com", false],
  ])("embedsCredential(%s) is %s", (value, expected) => {
    expect(embedsCredential(value)).toBe(expected);
  });

  test("fails variables in any case style and URLs with a password, whatever they are called", () => {
    const c = container({ envs: ["dbPassword=hunter2", "PGPASSWORD=hunter2", "db-password=hunter2", "SQL_ALCHEMY_CONN=postgresql://airflow:hunter2@db/airflow", "SITE_URL=https://moodle.example.com"] });
    expect(messages("container-no-plaintext-secret-env", [c])).toEqual([
      'container "moodle" sets dbPassword, PGPASSWORD, db-password, SQL_ALCHEMY_CONN as plain text: pass the value with pulumi.secret (or a *_FILE path to a mounted secret)',
    ]);
  });

  test("a URL with a password passes when the variable is allow-listed", () => {
    const config = { "container-no-plaintext-secret-env": { allowed: ["SQL_ALCHEMY_CONN"] } };
    expect(check("container-no-plaintext-secret-env", [container({ envs: ["SQL_ALCHEMY_CONN=postgresql://a:b@db/a"] })], { config })).toEqual([]);
  });
});

describe("values that disable a control count as missing", () => {
  test.each(["-1", "0", "0k", "unlimited", ""])("container-log-rotation fails max-size %j", (maxSize) => {
    expect(messages("container-log-rotation", [container({ logOpts: { "max-size": maxSize } })])).toEqual([
      `container "moodle" logs with json-file without rotation (max-size ${JSON.stringify(maxSize)} does not bound it): set logOpts max-size such as 10m (and max-file), or logDriver "local"`,
    ]);
  });

  test.each(["10m", "1g", "512k", "100"])("container-log-rotation accepts max-size %s", (maxSize) => {
    expect(check("container-log-rotation", [container({ logOpts: { "max-size": maxSize } })])).toEqual([]);
  });

  test.each([0, -1])("container-memory-limit fails memory %d", (memory) => {
    expect(messages("container-memory-limit", [container({ memory })])).toEqual([
      'container "moodle" has no memory limit: set memory (MB) so one container cannot starve the host',
    ]);
  });

  test.each([[["NONE"]], [["CMD"]], [["CMD-SHELL", " "]], [[]]])("container-healthcheck fails tests %j", (tests) => {
    expect(messages("container-healthcheck", [container({ healthcheck: { tests } })])).toEqual([
      'container "moodle" has no healthcheck: add healthcheck.tests with a probe the image can run',
    ]);
  });

  test("container-healthcheck accepts a shell probe", () => {
    expect(check("container-healthcheck", [container({ healthcheck: { tests: ["CMD-SHELL", "pg_isready -U moodle"] } })])).toEqual([]);
  });

  test.each(["no", "", "never"])("container-restart-policy fails restart %j on a service", (restart) => {
    expect(messages("container-restart-policy", [container({ restart })])).toHaveLength(1);
  });
});
