/**
 * The Caddyfile's single sign-on, for real: `caddy validate` accepts it, and Caddy run on loopback sends an
 * unauthenticated request to the sign-in page, lets an authorized one through to the upstream, and proxies
 * /oauth2/* to the sign-in gateway. The gateway and the upstream are tiny node servers; everything stops itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderCaddyfile } from "../../stacks/render/caddyfile";
import { runValidator, withTempFile } from "../support/validators";

const FQDN = "grafana.example.com";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: urlPath, headers: { host: FQDN, ...headers }, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

async function waitFor(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      await get(port, "/__ready");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe("a site behind single sign-on", () => {
  it("passes caddy validate", () => {
    const text = renderCaddyfile({ acmeEmail: "ops@example.com", staging: false, metricsPort: 2019, sites: [{ fqdn: FQDN, upstream: "grafana:3000", signIn: { endpoint: "proxy-oauth2-proxy:4180", uri: "/oauth2/auth?allowed_emails=ann@example.com" } }] });
    const result = withTempFile("Caddyfile", text, (file) => {
      const home = path.dirname(file);
      return runValidator("caddy", "caddy", ["validate", "--adapter", "caddyfile", "--config", file], { env: { HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home } });
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Valid configuration");
    // Already in caddy fmt's canonical form.
    const formatted = withTempFile("Caddyfile", text, (file) => runValidator("caddy", "caddy", ["fmt", file]));
    expect(formatted.stdout).toBe(text);
  });

  describe("run by Caddy on loopback", () => {
    const seen: string[] = [];
    const gateway = createServer((req, res) => {
      seen.push(`${req.url} ${String(req.headers["x-forwarded-uri"] ?? "")}`);
      if (req.url?.startsWith("/oauth2/auth")) {
        const ok = req.headers.cookie === "_oauth2_proxy=valid";
        res.writeHead(ok ? 202 : 401, ok ? { "X-Auth-Request-Email": "ann@example.com" } : {});
        res.end();
      } else {
        res.writeHead(200);
        res.end("sign-in page");
      }
    });
    const upstream = createServer((req, res) => {
      res.writeHead(200);
      res.end(`grafana for ${String(req.headers["x-auth-request-email"] ?? "nobody")}`);
    });
    let caddy: ChildProcess | undefined;
    let dir = "";
    let port = 0;

    beforeAll(async () => {
      const [authPort, upstreamPort] = [await listen(gateway), await listen(upstream)];
      const probe = createServer();
      port = await listen(probe);
      await new Promise((r) => probe.close(r));
      const rendered = renderCaddyfile({
        acmeEmail: "ops@example.com",
        staging: true,
        metricsPort: 2019,
        sites: [{ fqdn: FQDN, upstream: `127.0.0.1:${upstreamPort}`, signIn: { endpoint: `127.0.0.1:${authPort}`, uri: "/oauth2/auth?allowed_emails=ann@example.com" } }],
      });
      // Plain HTTP on a free loopback port instead of ACME on 443; everything else exactly as rendered.
      const local = rendered.replace(`${FQDN} {`, `http://${FQDN}:${port} {`).replace(":2019 {", `http://127.0.0.1:${port} {`);
      dir = mkdtempSync(path.join(tmpdir(), "hybridlab-caddy-sso-"));
      const file = path.join(dir, "Caddyfile");
      writeFileSync(file, local.replace("{\n\temail", `{\n\tauto_https off\n\thttp_port ${port}\n\temail`));
      caddy = spawn("caddy", ["run", "--adapter", "caddyfile", "--config", file], { env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }, stdio: "ignore" });
      // Bounded: Caddy is killed after the tests, or after 20 seconds whatever happens.
      setTimeout(() => caddy?.kill("SIGKILL"), 20_000).unref();
      await waitFor(port, Date.now() + 10_000);
    }, 15_000);

    afterAll(async () => {
      caddy?.kill("SIGKILL");
      await Promise.all([new Promise((r) => gateway.close(r)), new Promise((r) => upstream.close(r))]);
      rmSync(dir, { recursive: true, force: true });
    });

    it("redirects an unauthenticated request to the sign-in page, with the way back", async () => {
      const res = await get(port, "/d/home?orgId=1");
      expect(res.status).toBe(302);
      expect(res.location).toBe(`/oauth2/sign_in?rd=http://${FQDN}/d/home?orgId=1`);
      expect(seen).toContain("/oauth2/auth?allowed_emails=ann@example.com /d/home?orgId=1");
    });

    it("lets a signed-in request through to the upstream, with the gateway's identity headers", async () => {
      const res = await get(port, "/", { cookie: "_oauth2_proxy=valid" });
      expect([res.status, res.body]).toEqual([200, "grafana for ann@example.com"]);
    });

    it("proxies the sign-in endpoints themselves to the gateway, unguarded", async () => {
      const res = await get(port, "/oauth2/sign_in");
      expect([res.status, res.body]).toEqual([200, "sign-in page"]);
    });
  });
});
