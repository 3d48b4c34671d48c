import { createHash } from "node:crypto";
import { checkStackConfig } from "../stacks/estate/load";
import { quoteValue } from "../stacks/estate/quote";
import { closest } from "../stacks/estate/suggest";
import { runProgram } from "../stacks/plan/harness";
import { readStackConfig } from "../stacks/plan/stackFile";
import { hybridlab } from "../stacks/program";
import { asConfig, asStackFile, validEstate } from "./fixtures/estate";

const sha12 = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 12);
const problemsOf = (config: Record<string, string>, secretKeys?: string[]): string[] => {
  const result = checkStackConfig(config, secretKeys);
  return result.ok ? [] : result.problems;
};

describe("config keys that look like typos", () => {
  it("names a misspelled namespace and the key it most likely meant", () => {
    const { "hybridlab:budget": budget, ...rest } = asConfig(validEstate());
    expect(problemsOf({ ...rest, "hybridlb:budget": budget })).toEqual([
      'hybridlb:budget: unknown config namespace "hybridlb"; did you mean hybridlab:budget?',
      "hybridlab:budget: required: nodes.hub, nodes.spoke are paid cloud nodes, whose prices are checked against it: set hybridlab:budget (monthly, currency)",
    ]);
  });

  it("names a misspelled provider credential, and leaves other tools' namespaces alone", () => {
    const config = { ...asConfig(validEstate()), "hcloud:tokne": "x", "aws:region": "eu-west-1", "proxmoxve:insecure": "true" };
    expect(problemsOf(config)).toEqual(["hcloud:tokne: unknown hcloud setting; did you mean hcloud:token?"]);
  });

  it("suggests only what is a typo away", () => {
    expect(closest("budgte", ["budget", "nodes"])).toBe("budget");
    expect(closest("hybridlb", ["hybridlab", "hcloud"])).toBe("hybridlab");
    expect(closest("colour", ["kind", "role", "tags"])).toBeUndefined();
  });
});

describe("secrets", () => {
  const key = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==", "-----END OPENSSH PRIVATE KEY-----", ""].join("\n");

  it("refuses each credential given in plain text with the command that stores it encrypted, never echoing it", () => {
    const config = { ...asConfig(validEstate()), "hcloud:token": "hc-0123456789abcdef", "hybridlab:sshPrivateKey": key, "proxmoxve:password": "hunter2", "tailscale:oauthClientId": "client-1" };
    const problems = problemsOf(config, []);
    expect(problems).toEqual([
      `hcloud:token: must be a secret but is set in plain text (19 characters, sha256 ${sha12("hc-0123456789abcdef")}, not shown); store it encrypted with: pulumi config set --secret hcloud:token`,
      `hybridlab:sshPrivateKey: must be a secret but is set in plain text (${key.length} characters, sha256 ${sha12(key)}, not shown); store it encrypted with: pulumi config set --secret hybridlab:sshPrivateKey < path/to/private-key`,
      `proxmoxve:password: must be a secret but is set in plain text (7 characters, sha256 ${sha12("hunter2")}, not shown); store it encrypted with: pulumi config set --secret proxmoxve:password`,
    ]);
    expect(problems.join("\n")).not.toMatch(/hunter2|hc-0123|b3BlbnNz/);
  });

  it("accepts the same credentials as secrets", () => {
    const config = { ...asConfig(validEstate()), "hcloud:token": "hc-0123456789abcdef", "hybridlab:sshPrivateKey": key };
    expect(problemsOf(config, ["hcloud:token", "hybridlab:sshPrivateKey"])).toEqual([]);
  });

  it("accepts the offline placeholder of an encrypted private key, and still checks a real one", () => {
    const file = asStackFile(validEstate(), { "hybridlab:sshPrivateKey": { secure: "v1:c2FsdA==:ZW5jcnlwdGVk" } });
    const { config, secretKeys } = readStackConfig(file, "hybridlab", "Pulumi.dev.yaml");
    expect(problemsOf(config, secretKeys)).toEqual([]);
    expect(problemsOf({ ...config, "hybridlab:sshPrivateKey": "ssh-ed25519 AAAA not a private key" }, secretKeys)).toEqual([
      "hybridlab:sshPrivateKey: must be a PEM/OpenSSH private key (value hidden: it is a secret)",
    ]);
  });

  it("quotes a value short, and a private key only by its length and fingerprint", () => {
    expect(quoteValue("fsn1")).toBe('"fsn1"');
    expect(quoteValue("a".repeat(61))).toBe(`"${"a".repeat(60)}"... (61 characters)`);
    expect(quoteValue(key)).toBe(`a private key (${key.length} characters, sha256 ${sha12(key)}, not shown)`);
  });

  it("are checked by the program itself, as under the CLI: a plain-text token fails the run, an encrypted key does not", async () => {
    const config = { ...asConfig(validEstate()), "hybridlab:sshPrivateKey": "secret-placeholder-0123456789ab" };
    const secretKeys = ["hybridlab:sshPrivateKey"];
    await expect(runProgram(hybridlab, { config, secretKeys })).resolves.toBeDefined();
    await expect(runProgram(hybridlab, { config: { ...config, "digitalocean:token": "dop_v1_abc" }, secretKeys })).rejects.toThrow(
      `digitalocean:token: must be a secret but is set in plain text (10 characters, sha256 ${sha12("dop_v1_abc")}, not shown); store it encrypted with: pulumi config set --secret digitalocean:token`,
    );
  });
});
