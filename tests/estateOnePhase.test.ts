/**
 * One phase of errors: shape and cross-reference problems come in one round, and whatever a renderer or component
 * would refuse later is refused here, with its config path.
 */
import { OPERATOR_KEY, problemsOf, validEstate, withValue, withValues, type Json } from "./fixtures/estate";

describe("shape and cross-reference problems in one round", () => {
  test("reports a malformed node beside an unknown reference elsewhere, and nothing about the node it left out", () => {
    const estate = withValues(validEstate(), [
      ["nodes.hub.size", 5],
      ["apps.moodle.node", "nowhere"],
    ]);
    // The hub is left out of the rules, so "unknown node hub" (the proxy) and "no node has role hub" are held back.
    expect(problemsOf(estate)).toEqual([
      "hybridlab:nodes.hub.size: expected string (got 5)",
      'hybridlab:apps.moodle.node: unknown node "nowhere"; expected one of: devlab, minio, spoke',
    ]);
  });

  test("reports a malformed app beside a problem on a machine, holding back \"no reverse proxy\" for the hostnames", () => {
    const estate = withValues(validEstate(), [
      ["apps.proxy.acmeEmail", "not-an-email"],
      ["nodes.minio.vmid", 100],
    ]);
    expect(problemsOf(estate)).toEqual([
      'hybridlab:apps.proxy.acmeEmail: must be an email address (got "not-an-email")',
      "hybridlab:nodes.minio.vmid: 100 is already used by nodes.devlab; VMIDs must be unique per Proxmox site",
    ]);
  });

  test("reports a node name that is not one beside an unknown reference", () => {
    const estate = withValues(validEstate(), [
      ["nodes.Bad_Name", { kind: "hetzner", role: "lab", size: "small" }],
      ["apps.moodle.node", "nowhere"],
    ]);
    expect(problemsOf(estate)).toEqual([
      "hybridlab:nodes.Bad_Name: name \"Bad_Name\" must be 2-40 lowercase letters, digits or '-', starting with a letter",
      'hybridlab:apps.moodle.node: unknown node "nowhere"; expected one of: devlab, minio, hub, spoke',
    ]);
  });

  test("a stack/environment mismatch is reported beside a shape problem", () => {
    const estate = withValues(validEstate(), [["nodes.spoke.region", 7]]);
    expect(problemsOf(estate, "prod")).toEqual([
      "hybridlab:nodes.spoke.region: expected string (got 7)",
      'hybridlab:environment: the stack "prod" is a prod stack, but environment is dev; set hybridlab:environment: prod',
    ]);
  });

  test("reports only the shape when a key every rule reads is malformed", () => {
    const estate = withValues(validEstate(), [
      ["environment", "staging"],
      ["nodes.minio.vmid", 100],
    ]);
    expect(problemsOf(estate)).toEqual(['hybridlab:environment: expected one of: dev, prod (got "staging")']);
  });
});

describe("values that flow into generated files", () => {
  test.each([
    ["an escape sequence", `${OPERATOR_KEY}\u001b[2J`],
    ["a NUL", `${OPERATOR_KEY}\u0000`],
    ["a tab", `${OPERATOR_KEY}\tlaptop`],
    ["a line separator", `${OPERATOR_KEY}\u2028runcmd`],
  ])("refuses an SSH key comment with %s", (_what, key) => {
    expect(problemsOf(withValue(validEstate(), "operators.0.sshPublicKey", key))).toEqual([
      expect.stringMatching(/^hybridlab:operators\[0\]\.sshPublicKey: must not contain control characters \(its comment reaches cloud-init, scripts and authorized_keys\) \(got "/),
    ]);
  });

  test("refuses a key whose body has padding in the middle, which cloud-init would refuse", () => {
    const key = "ssh-ed25519 AAAAC3NzaC1=ZDI1NTE5AAAAIBqfmKXLpfzaDL3oW9PpLO7xvfeCauJOmdwKnp3hfdA5 ops@example.com";
    expect(problemsOf(withValue(validEstate(), "operators.0.sshPublicKey", key))).toHaveLength(1);
  });

  const monitoring = (smtp: Json) =>
    withValues(validEstate(), [
      ["apps.monitoring", { kind: "monitoring", node: "hub", hostname: "grafana", alertEmail: "ops@example.com", smtp }],
      ["smtpPassword", "relay-password"],
    ]);

  test("refuses a mail relay user name with a space, which Alertmanager's file would not hold", () => {
    expect(problemsOf(monitoring({ smarthost: "smtp.example.com:587", from: "alerts@example.com", username: "ops team" }))).toEqual([
      'hybridlab:apps.monitoring.smtp.username: must be a user name without spaces or control characters (got "ops team")',
    ]);
  });

  test.each(["smtp.example.com:70000", "smtp.example.com:0"])("refuses the mail relay %s", (smarthost) => {
    expect(problemsOf(monitoring({ smarthost, from: "alerts@example.com", username: "ops" }))).toEqual([
      `hybridlab:apps.monitoring.smtp.smarthost: must have a port from 1 to 65535 (got "${smarthost}")`,
    ]);
  });

  test("refuses a site name over two lines", () => {
    expect(problemsOf(withValue(validEstate(), "apps.moodle.siteName", "Academy\nMOODLE_ADMIN=x"))).toEqual([
      'hybridlab:apps.moodle.siteName: must be one line of text without control characters (got "Academy\\nMOODLE_ADMIN=x")',
    ]);
  });

  test("refuses a public name longer than DNS allows", () => {
    const label = "a".repeat(63);
    const estate = withValue(validEstate(), "dns", { zone: `${[label, label, label].join(".")}.com`, subdomain: label });
    expect(problemsOf(estate)).toEqual([
      `hybridlab:apps.monitoring.hostname: grafana.${label.slice(0, 32)}... is 267 characters; a DNS name has at most 253: shorten the hostname, dns.subdomain or dns.zone`,
      `hybridlab:apps.moodle.hostname: learn.${label.slice(0, 34)}... is 265 characters; a DNS name has at most 253: shorten the hostname, dns.subdomain or dns.zone`,
    ]);
  });
});

describe("what components and providers would refuse later", () => {
  test.each(["dev.eu", "dev_eu", "1dev"])("refuses the stack name %s, which a backup job id or a Tailscale key description cannot hold", (stack) => {
    expect(problemsOf(validEstate(), stack)).toEqual([
      `hybridlab: the stack name "${stack}" must be a letter, then letters, digits or '-' (Proxmox backup job ids and Tailscale key descriptions take no other characters)`,
    ]);
  });

  test("accepts any stack name Pulumi does when nothing takes it in: no Proxmox site, no tailnet", () => {
    const cloudOnly = withValues(validEstate(), [
      ["proxmox", {}],
      ["nodes", { hub: { kind: "hetzner", role: "lab", size: "small" } }],
      ["apps", {}],
      ["tailnet", undefined],
      // Without a tailnet the program reaches the node over SSH from the admin network.
      ["access.adminCidrs", ["198.51.100.0/24"]],
    ]);
    expect(problemsOf(cloudOnly, "dev_eu.1")).toEqual([]);
    expect(problemsOf(withValue(cloudOnly, "tailnet", { name: "example.com" }), "dev_eu.1")).toEqual([
      `hybridlab: the stack name "dev_eu.1" must be a letter, then letters, digits or '-' (Tailscale key descriptions take no other characters)`,
    ]);
  });

  test("refuses a stack and site whose backup job id exceeds Proxmox's 64 characters", () => {
    expect(problemsOf(validEstate(), `s${"x".repeat(58)}`)).toEqual([]);
    const long = `s${"x".repeat(59)}`;
    // The id is quoted cut short, as every long value in a message is.
    expect(problemsOf(validEstate(), long)).toEqual([`hybridlab:proxmox.home: the backup job id "${long}"... (65 characters) is longer than Proxmox's 64 characters; shorten the site or stack name`]);
  });

  test("refuses a VM disk too small for its cloud image, and sizes beyond what Proxmox and Docker take", () => {
    const estate = withValues(validEstate(), [
      ["nodes.devlab.diskGiB", 2],
      ["nodes.minio.memoryMiB", 5_000_000],
      ["apps.spark", { kind: "spark", node: "spoke", workerMemoryMiB: 300_000 }],
    ]);
    expect(problemsOf(estate)).toEqual([
      "hybridlab:nodes.devlab.diskGiB: expected number to be >=4 (got 2)",
      "hybridlab:nodes.minio.memoryMiB: expected number to be <=4194304 (got 5000000)",
      "hybridlab:apps.spark.workerMemoryMiB: expected number to be <=262144 (got 300000)",
    ]);
  });
});
