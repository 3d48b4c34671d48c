import { TAILSCALE_ACL } from "../../policies/rules/network";
import { parseHuJson } from "../../policies/rules/tailscaleAcl";
import { check, messages, resource } from "./support";

const acl = (policy: object | string) => resource(TAILSCALE_ACL, "acl", { acl: typeof policy === "string" ? policy : JSON.stringify(policy) });
const allowAll = (entries: string) => [`the ACL allows everything: ${entries}; grant only the ports each tag needs`];

describe("tailscale-acl-no-allow-all", () => {
  test("accepts a least-privilege ACL, written in HuJSON", () => {
    const text = `{
      // the proxy reaches upstreams on their HTTP ports only
      "acls": [{"action": "accept", "src": ["tag:hub"], "dst": ["tag:lab:8080", "tag:lab:5000"],},],
      /* admins may SSH */ "ssh": [],
    }`;
    expect(parseHuJson(text)).toEqual({ acls: [{ action: "accept", src: ["tag:hub"], dst: ["tag:lab:8080", "tag:lab:5000"] }], ssh: [] });
    expect(check("tailscale-acl-no-allow-all", [acl(text)])).toEqual([]);
  });

  test("fails the default allow-all and a grant to everything", () => {
    const policy = {
      acls: [{ action: "accept", src: ["*"], dst: ["*:*"] }, { action: "accept", src: ["tag:hub"], dst: ["tag:lab:443"] }],
      grants: [{ src: ["*"], dst: ["*"], ip: ["*"] }],
    };
    expect(messages("tailscale-acl-no-allow-all", [acl(policy)])).toEqual(allowAll("acls[0] (* -> *:*); grants[0] (* -> *)"));
  });

  test("fails every port of every host in any spelling: 0-65535, 1-65535, split ranges, CIDRs, host aliases", () => {
    const policy = {
      hosts: { everything: "0.0.0.0/0" },
      acls: [
        { action: "accept", src: ["tag:a"], dst: ["*:0-65535"] },
        { action: "accept", src: ["tag:a"], dst: ["*:1-65535"] },
        { action: "accept", src: ["tag:a"], dst: ["*:1-1000,1001-65535"] },
        { action: "accept", src: ["tag:a"], dst: ["0.0.0.0/0:*"] },
        { action: "accept", src: ["tag:a"], dst: ["[::/0]:*"] },
        { action: "accept", src: ["tag:a"], dst: ["everything:*"] },
        { action: "accept", src: ["tag:a"], dst: ["*:1-1000"] },
      ],
    };
    expect(messages("tailscale-acl-no-allow-all", [acl(policy)])).toEqual(
      allowAll("acls[0] (tag:a -> *:0-65535); acls[1] (tag:a -> *:1-65535); acls[2] (tag:a -> *:1-1000,1001-65535); acls[3] (tag:a -> 0.0.0.0/0:*); acls[4] (tag:a -> ::/0:*); acls[5] (tag:a -> everything:*)"),
    );
  });

  test("reads the legacy users/ports names and everyone by CIDR", () => {
    const policy = { acls: [{ action: "accept", users: ["*"], ports: ["*:22"] }, { action: "accept", src: ["0.0.0.0/0", "::/0"], dst: ["*:443"] }, { action: "accept", users: ["group:admin"], ports: ["tag:web:22"] }] };
    expect(messages("tailscale-acl-no-allow-all", [acl(policy)])).toEqual(allowAll("acls[0] (* -> *:22); acls[1] (0.0.0.0/0,::/0 -> *:443)"));
  });

  test("fails grants whose ip list covers every port, and passes narrow or app-only grants", () => {
    const policy = {
      grants: [
        { src: ["tag:a"], dst: ["*"], ip: ["tcp:*", "udp:*"] },
        { src: ["tag:a"], dst: ["*"], ip: ["1-65535"] },
        { src: ["tag:a"], dst: ["*"], ip: ["tcp:443", "udp:53"] },
        { src: ["tag:a"], dst: ["tag:b"], ip: ["*"] },
        { src: ["tag:a"], dst: ["*"], app: { "tailscale.com/cap/example": [{}] } },
      ],
    };
    expect(messages("tailscale-acl-no-allow-all", [acl(policy)])).toEqual(allowAll("grants[0] (tag:a -> *); grants[1] (tag:a -> *)"));
  });

  test("fails an ACL it cannot parse", () => {
    expect(messages("tailscale-acl-no-allow-all", [acl("{acls: [")])[0]).toMatch(/^acl is not valid HuJSON \(.+\), so it cannot be checked$/);
  });
});
