/** no-public-route-without-login, on hand-written programs: a Caddy container's uploaded Caddyfile and labelled upstreams. */
import { CONTAINER } from "../../policies/rules/containers";
import { caddySites } from "../../policies/rules/exposure";
import { check, messages, resource } from "./support";

const POLICY = "no-public-route-without-login";

const caddy = (caddyfile: string) => resource(CONTAINER, "caddy", { name: "edge", uploads: [{ file: "/etc/caddy/Caddyfile", content: caddyfile }] });
const tracking = (labels: Array<{ label: string; value: string }>) =>
  resource(CONTAINER, "tracking", { name: "tracking", labels, ports: [{ internal: 5000, external: 5001 }] });
const noLogin = [
  { label: "hybridlab.login", value: "none" },
  { label: "hybridlab.node", value: "lab" },
];
const site = (upstream: string, extra = "") => `{\n\temail ops@example.com\n}\n\n(auth) {\n\tforward_auth oauth2-proxy:4180 {\n\t\turi /oauth2/auth\n\t}\n}\n\n:2019 {\n\tmetrics /metrics\n}\n\nml.example.com {\n${extra}\treverse_proxy ${upstream}\n}\n`;

describe(POLICY, () => {
  it.each([
    ["by container name and container port", "tracking:5000"],
    ["by the node's MagicDNS name and published port", "lab.tail1234.ts.net:5001"],
    ["by the bare node name, with a scheme", "http://lab:5001"],
  ])("refuses a public site routed to a login-less container %s", (_how, upstream) => {
    expect(messages(POLICY, [caddy(site(upstream)), tracking(noLogin)])).toEqual([
      `the Caddyfile of edge routes ml.example.com to ${upstream}, which is tracking (labelled hybridlab.login: none), without forward_auth: anyone on the internet could use it; put the site behind single sign-on (exposure: sso) or keep the app on the tailnet (exposure: tailnet)`,
    ]);
  });

  it("accepts the same route behind forward_auth, inline or through an imported snippet", () => {
    expect(check(POLICY, [caddy(site("tracking:5000", "\timport auth\n")), tracking(noLogin)])).toEqual([]);
    expect(check(POLICY, [caddy(site("tracking:5000", "\tforward_auth oauth2-proxy:4180 {\n\t\turi /oauth2/auth\n\t}\n")), tracking(noLogin)])).toEqual([]);
  });

  it("accepts routes to containers with a login, and to the same port on another node", () => {
    expect(check(POLICY, [caddy(site("tracking:5000")), tracking([])])).toEqual([]);
    expect(check(POLICY, [caddy(site("other.tail1234.ts.net:5001")), tracking(noLogin)])).toEqual([]);
  });

  it("reads a Caddyfile's sites: addresses, upstreams and guards, skipping global options, snippets and port listeners", () => {
    expect(caddySites(site("a:1 b:2", "\timport auth\n"))).toEqual([{ addresses: ["ml.example.com"], upstreams: ["a:1", "b:2"], guarded: true }]);
  });
});
