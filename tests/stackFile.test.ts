import { readStackConfig, securePlaceholder, StackFileError } from "../stacks/plan/stackFile";

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
    expect(() => readStackConfig("config:\n  a: 1\n  a: 2\n", "p", "Pulumi.dev.yaml")).toThrow(/^Pulumi\.dev\.yaml: not valid YAML: Map keys must be unique/);
    expect(() => readStackConfig("- a\n- b\n", "p", "x.yaml")).toThrow("x.yaml: expected a YAML map with a 'config:' key");
    expect(() => readStackConfig("config: [1]\n", "p", "x.yaml")).toThrow("x.yaml: 'config' must be a map of namespace:key to value");
  });
});
