import { firewallRules, TAILSCALE_DIRECT_PORT } from "../stacks/derive/firewall";
import { loadEstate } from "../stacks/estate/load";
import type { Estate } from "../stacks/estate/schema";
import { asConfig, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

const estateOf = (raw: Json): Estate => loadEstate(asConfig(raw));
const INTERNET = ["0.0.0.0/0", "::/0"];
const tailscale = { protocol: "udp", port: TAILSCALE_DIRECT_PORT, sources: INTERNET, description: "Tailscale direct connections (WireGuard)" };

describe("firewallRules", () => {
  it("opens HTTP, HTTPS and HTTP/3 to the internet only on the hub that runs the reverse proxy", () => {
    expect(firewallRules(estateOf(validEstate()), "hub")).toEqual([
      { protocol: "tcp", port: 80, sources: INTERNET, description: "proxy: HTTP (ACME challenges, redirect to HTTPS)" },
      { protocol: "tcp", port: 443, sources: INTERNET, description: "proxy: HTTPS" },
      { protocol: "udp", port: 443, sources: INTERNET, description: "proxy: HTTP/3 (QUIC)" },
      tailscale,
    ]);
  });

  it("opens nothing but Tailscale on a spoke, whatever apps it runs (they are reached over the tailnet)", () => {
    const estate = estateOf(withValues(validEstate(), [["apps.minio.node", "spoke"], ["nodes.spoke.size", "s-2vcpu-4gb"]]));
    expect(firewallRules(estate, "spoke")).toEqual([tailscale]);
  });

  it.each([
    ["dev", "hub"],
    ["dev", "spoke"],
    ["prod", "hub"],
    ["prod", "spoke"],
  ])("keeps SSH off the internet in %s on the %s when no admin networks are configured", (environment, node) => {
    const rules = firewallRules(estateOf(withValue(validEstate(), "environment", environment)), node);
    expect(rules.filter((r) => r.port === 22)).toEqual([]);
    expect(rules.filter((r) => r.sources.includes("0.0.0.0/0")).map((r) => r.port)).toEqual(node === "hub" ? [80, 443, 443, TAILSCALE_DIRECT_PORT] : [TAILSCALE_DIRECT_PORT]);
  });

  it.each(["dev", "prod"])("opens SSH in %s only to the admin networks, on every node", (environment) => {
    const estate = estateOf(withValues(validEstate(), [["environment", environment], ["access.adminCidrs", ["198.51.100.0/24", "192.0.2.7/32"]]]));
    for (const node of ["hub", "spoke"]) {
      expect(firewallRules(estate, node).filter((r) => r.port === 22)).toEqual([
        { protocol: "tcp", port: 22, sources: ["198.51.100.0/24", "192.0.2.7/32"], description: "SSH from the admin networks" },
      ]);
    }
  });

  it("allows an explicit 0.0.0.0/0 admin network in dev", () => {
    const estate = estateOf(withValue(validEstate(), "access.adminCidrs", ["0.0.0.0/0"]));
    expect(firewallRules(estate, "spoke").find((r) => r.port === 22)?.sources).toEqual(["0.0.0.0/0"]);
  });
});
