import { securePlaceholder } from "../stacks/estate/secrets";
import { readStackConfig, StackFileError } from "../stacks/plan/stackFile";

describe("readStackConfig", () => {
  it("encodes values the way the Pulumi CLI hands them to a program", () => {
    const { config, secretKeys } = readStackConfig(
      ["config:", "  hybridlab:environment: prod", "  hybridlab:budget:", "    monthly: 60", "  hcloud:token:", "    secure: v1:abc", "  plainKey: 3"].join("\n"),
      "hybridlab",
      "Pulumi.prod.yaml",
    );
    expect(config).toEqual({
      "hybridlab:environment": "prod",
      "hybridlab:budget": '{"monthly":60}',
      "hcloud:token": securePlaceholder("v1:abc"),
      "hybridlab:plainKey": "3",
    });
    expect(secretKeys).toEqual(["hcloud:token"]);
  });

  it("turns nested secure values into stable placeholders and marks the whole key secret", () => {
    const text = ["config:", "  hybridlab:alerts:", "    webhook:", "      secure: v1:xyz"].join("\n");
    const first = readStackConfig(text, "hybridlab", "f.yaml");
    expect(first.config["hybridlab:alerts"]).toBe(`{"webhook":"${securePlaceholder("v1:xyz")}"}`);
    expect(first.secretKeys).toEqual(["hybridlab:alerts"]);
    expect(readStackConfig(text, "hybridlab", "f.yaml")).toEqual(first);
    expect(securePlaceholder("v1:xyz")).not.toContain("xyz");
  });

  it("fails on duplicate keys and non-map documents, naming the file", () => {
    expect(() => readStackConfig("config:\n  a: 1\n  a: 2\n", "p", "Pulumi.dev.yaml")).toThrow(StackFileError);
    expect(() => readStackConfig("config:\n  a: 1\n  a: 2\n", "p", "Pulumi.dev.yaml")).toThrow("Pulumi.dev.yaml: not valid YAML:\nMap keys must be unique at line 3, column 3:\n\n  a: 1\n  a: 2\n  ^");
    expect(() => readStackConfig("- a\n- b\n", "p", "x.yaml")).toThrow("x.yaml: expected a YAML map with a 'config:' key");
    expect(() => readStackConfig("config: [1]\n", "p", "x.yaml")).toThrow("x.yaml: 'config' must be a map of namespace:key to value");
  });

  it("shows each syntax error with the offending lines and a caret under the spot", () => {
    const text = ["config:", "  hybridlab:environment: dev", "  hybridlab:budget:", "    monthly: 40", "   currency: EUR", "  hybridlab:tailnet: {name: example.com"].join("\n");
    expect(() => readStackConfig(text, "hybridlab", "Pulumi.dev.yaml")).toThrow(
      [
        "Pulumi.dev.yaml: not valid YAML:",
        "All mapping items must start at the same column at line 5, column 1:",
        "",
        "    monthly: 40",
        "   currency: EUR",
        "^",
        "",
        "Flow map in block collection must be sufficiently indented and end with a } at line 6, column 40:",
        "",
        "  hybridlab:tailnet: {name: example.com",
        "                                       ^",
      ].join("\n"),
    );
    expect(() => readStackConfig("config:\n\thybridlab:environment: dev\n", "hybridlab", "f.yaml")).toThrow(/^f\.yaml: not valid YAML:\nTabs are not allowed as indentation at line 2, column 1:\n\nconfig:\n\thybridlab:environment: dev\n\^/);
  });

  it("reads what the Pulumi CLI reads: CRLF line endings, anchors, aliases and merge keys", () => {
    const crlf = ["config:", "  hybridlab:environment: dev", '  hybridlab:dns: {zone: "example.com",', '    subdomain: "dev"}', '  hybridlab:motd: "one line', '    written on two"', "  hybridlab:sshPrivateKey: |", "    -----BEGIN OPENSSH PRIVATE KEY-----", "    b3Blbg==", "    -----END OPENSSH PRIVATE KEY-----", ""].join("\r\n");
    expect(readStackConfig(crlf, "hybridlab", "f.yaml").config).toEqual({
      "hybridlab:environment": "dev",
      "hybridlab:dns": '{"zone":"example.com","subdomain":"dev"}',
      "hybridlab:motd": "one line written on two",
      "hybridlab:sshPrivateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n",
    });
    const merged = [
      "config:",
      "  hybridlab:nodes:",
      "    devlab: &vm {kind: proxmox-vm, role: lab, site: home, cores: 2}",
      "    analytics:",
      "      <<: *vm",
      "      cores: 8",
      "  hybridlab:access: {adminCidrs: [&office 203.0.113.0/24]}",
      "  hybridlab:notes: [*office]",
    ].join("\n");
    const { config } = readStackConfig(merged, "hybridlab", "f.yaml");
    expect(JSON.parse(config["hybridlab:nodes"])).toEqual({
      devlab: { kind: "proxmox-vm", role: "lab", site: "home", cores: 2 },
      analytics: { kind: "proxmox-vm", role: "lab", site: "home", cores: 8 },
    });
    expect(config["hybridlab:notes"]).toBe('["203.0.113.0/24"]');
  });

  it("reads numbers as yaml.v3 does: underscores dropped, Go's base prefixes, and 1.1 octals", () => {
    const { config } = readStackConfig("config:\n  hybridlab:n: {memoryMiB: 16_384, octal: 0755, newOctal: 0o17, hex: 0x1F, binary: 0b101, notOctal: 089, quoted: '0755', yes: yes}\n", "hybridlab", "f.yaml");
    expect(JSON.parse(config["hybridlab:n"])).toEqual({ memoryMiB: 16384, octal: 493, newOctal: 15, hex: 31, binary: 5, notOctal: 89, quoted: "0755", yes: "yes" });
  });

  it("refuses an alias to an anchor that does not exist", () => {
    expect(() => readStackConfig("config:\n  hybridlab:nodes: *missing\n", "hybridlab", "f.yaml")).toThrow(/^f\.yaml: not valid YAML: Unresolved alias \(the anchor must be set before the alias\): missing$/);
  });

  it("refuses a key given in two spellings (with and without the project namespace, or the old ns:config:name) and a key that is no config key", () => {
    const text = ["config:", "  hybridlab:budget: {monthly: 40}", "  budget: {monthly: 60}", "  environment: dev", "  hybridlab:config:environment: prod", "  hcloud:token:extra: x"].join("\n");
    expect(() => readStackConfig(text, "hybridlab", "Pulumi.dev.yaml")).toThrow(
      [
        'Pulumi.dev.yaml: config keys "hybridlab:budget" and "budget" are the same key, "hybridlab:budget" (a key without a namespace belongs to the project); keep one',
        'Pulumi.dev.yaml: config keys "environment" and "hybridlab:config:environment" are the same key, "hybridlab:environment" (a key without a namespace belongs to the project); keep one',
        'Pulumi.dev.yaml: could not parse "hcloud:token:extra" as a configuration key (configuration keys should be of the form <namespace>:<name>)',
      ].join("\n"),
    );
  });
});
