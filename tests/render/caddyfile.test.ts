import { dirname } from "node:path";
import { LETS_ENCRYPT_STAGING, renderCaddyfile, type CaddyfileInput } from "../../stacks/render/caddyfile";
import { runValidator, withTempFile, type ValidatorResult } from "../support/validators";

const input: CaddyfileInput = {
  acmeEmail: "ops@example.com",
  staging: false,
  metricsPort: 2019,
  sites: [
    { fqdn: "minio.dev.example.com", upstream: "100.64.0.2:9001" },
    { fqdn: "example.com", upstream: "moodle:8080", aliases: ["www.example.com"] },
    { fqdn: "grafana.dev.example.com", upstream: "grafana:3000" },
  ],
};

/** Runs `caddy <args> FILE` on the Caddyfile; Caddy writes to $HOME and XDG dirs, so they point into the temp dir. */
function caddy(caddyfile: string, args: string[]): ValidatorResult {
  return withTempFile("Caddyfile", caddyfile, (file) => {
    const home = dirname(file);
    return runValidator("caddy", "caddy", [...args, file], { env: { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home } });
  });
}

/** The JSON config Caddy adapts the Caddyfile to, proving what the directives mean, not only that they parse. */
function adapt(caddyfile: string): Record<string, unknown> {
  const result = caddy(caddyfile, ["adapt", "--adapter", "caddyfile", "--config"]);
  expect(result).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe("renderCaddyfile", () => {
  it.each([
    ["production", false],
    ["staging", true],
  ])("passes caddy validate, without warnings, for %s", (_name, staging) => {
    const result = caddy(renderCaddyfile({ ...input, staging }), ["validate", "--adapter", "caddyfile", "--config"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Valid configuration");
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/"level":"(warn|error)"/);
  });

  it("passes caddy validate with no sites (a hub before any app is public)", () => {
    expect(caddy(renderCaddyfile({ ...input, sites: [] }), ["validate", "--adapter", "caddyfile", "--config"]).status).toBe(0);
  });

  it("is already in caddy fmt's canonical form", () => {
    const text = renderCaddyfile({ ...input, staging: true });
    expect(caddy(text, ["fmt"]).stdout).toBe(text);
  });

  it("renders global options, the shared snippet, the metrics listener and sites sorted by hostname", () => {
    expect(renderCaddyfile({ ...input, staging: true })).toBe(`{
	email ops@example.com
	acme_ca ${LETS_ENCRYPT_STAGING}
	admin off
	servers {
		metrics
		protocols h1 h2 h3
	}
}

(common) {
	encode zstd gzip
	header {
		Strict-Transport-Security "max-age=31536000"
		X-Content-Type-Options nosniff
		?Referrer-Policy strict-origin-when-cross-origin
		?X-Frame-Options SAMEORIGIN
		-Server
		-X-Powered-By
	}
	log {
		output stdout
		format json
	}
}

:2019 {
	metrics /metrics
}

example.com {
	import common
	reverse_proxy moodle:8080
}

www.example.com {
	import common
	redir https://example.com{uri} permanent
}

grafana.dev.example.com {
	import common
	reverse_proxy grafana:3000
}

minio.dev.example.com {
	import common
	reverse_proxy 100.64.0.2:9001
}
`);
  });

  it("leaves the CA at Caddy's default in production", () => {
    expect(renderCaddyfile(input)).not.toContain("acme_ca");
  });

  it("is the same for any order of sites and aliases", () => {
    const reordered = { ...input, sites: [...input.sites].reverse() };
    expect(renderCaddyfile(reordered)).toBe(renderCaddyfile(input));
  });

  it("means what it says once adapted: admin off, staging CA, metrics on every server, headers and proxy per site", () => {
    const config = adapt(renderCaddyfile({ ...input, staging: true }));
    expect(config.admin).toEqual({ disabled: true });
    expect(config).toMatchObject({ apps: { tls: { automation: { policies: [{ issuers: [{ module: "acme", ca: LETS_ENCRYPT_STAGING, email: "ops@example.com" }] }] } } } });
    const servers = (config.apps as { http: { servers: Record<string, { listen: string[]; metrics?: object; routes: unknown[] }> } }).http.servers;
    expect(Object.values(servers).map((server) => [server.listen, server.metrics])).toEqual([
      [[":2019"], {}],
      [[":443"], {}],
    ]);
    const https = JSON.stringify(Object.values(servers)[1].routes);
    for (const fragment of [
      '"Strict-Transport-Security":["max-age=31536000"]',
      '"X-Content-Type-Options":["nosniff"]',
      '"delete":["Server","X-Powered-By"]',
      '"require":{"headers":{"Referrer-Policy":null,"X-Frame-Options":null}}',
      '"handler":"encode"',
      '{"handler":"reverse_proxy","upstreams":[{"dial":"grafana:3000"}]}',
      '"Location":["https://example.com{http.request.uri}"]',
    ]) {
      expect(https).toContain(fragment);
    }
  });

  it.each<[string, Partial<CaddyfileInput>, string]>([
    ["the email is malformed", { acmeEmail: "ops" }, 'renderCaddyfile: acmeEmail must be an email address, got "ops"'],
    ["the metrics port is out of range", { metricsPort: 70000 }, "renderCaddyfile: metricsPort must be an integer from 1 to 65535, got 70000"],
    ["a hostname is not fully qualified", { sites: [{ fqdn: "grafana", upstream: "grafana:3000" }] }, 'renderCaddyfile: sites[0].fqdn must be a lowercase fully qualified hostname, got "grafana"'],
    ["an upstream has no port", { sites: [{ fqdn: "a.example.com", upstream: "grafana" }] }, 'renderCaddyfile: sites[0].upstream must be a "host:port" address, got "grafana"'],
    ["an upstream port is out of range", { sites: [{ fqdn: "a.example.com", upstream: "grafana:0" }] }, "renderCaddyfile: sites[0].upstream port must be an integer from 1 to 65535, got 0"],
    [
      "an alias repeats a site's hostname",
      { sites: [{ fqdn: "a.example.com", upstream: "a:1" }, { fqdn: "b.example.com", upstream: "b:1", aliases: ["a.example.com"] }] },
      'renderCaddyfile: sites[1].aliases[0] must be a hostname no other site or alias uses, got "a.example.com" twice',
    ],
  ])("fails when %s", (_name, change, message) => {
    expect(() => renderCaddyfile({ ...input, ...change })).toThrow(message);
  });
});
