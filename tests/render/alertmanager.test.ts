import { renderAlertmanagerConfig, type AlertmanagerConfigInput } from "../../stacks/render/alertmanager";
import { runValidator, withTempFile } from "../support/validators";

const smtp = { smarthost: "smtp.example.com:587", from: "alerts@example.com", username: "alerts", passwordFile: "/run/secrets/smtp-password" };

function checkConfig(config: string): { status: number; output: string } {
  return withTempFile("alertmanager.yml", config, (file) => {
    const result = runValidator("prometheus-alertmanager", "amtool", ["check-config", file]);
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  });
}

describe("renderAlertmanagerConfig", () => {
  it.each<[string, AlertmanagerConfigInput]>([
    ["with email", { alertEmail: "ops@example.com", smtp }],
    ["without email", {}],
  ])("passes amtool check-config %s", (_name, input) => {
    const result = checkConfig(renderAlertmanagerConfig(input));
    expect(result.output).toContain("SUCCESS");
    expect(result.output).toContain(" - 1 inhibit rules\n - 1 receivers");
    expect(result.status).toBe(0);
  });

  it("fails amtool check-config on an unknown field (the check is real)", () => {
    expect(checkConfig(renderAlertmanagerConfig({}).replace("repeat_interval", "repeat_intervall")).status).not.toBe(0);
  });

  it("routes to email through the relay, reading the password from a file", () => {
    expect(renderAlertmanagerConfig({ alertEmail: "ops@example.com", smtp })).toBe(`global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: alerts@example.com
  smtp_auth_username: alerts
  smtp_auth_password_file: /run/secrets/smtp-password
  smtp_require_tls: true
route:
  receiver: email
  group_by:
    - alertname
    - instance
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: email
    email_configs:
      - to: ops@example.com
        send_resolved: true
inhibit_rules:
  - source_matchers:
      - severity="critical"
    target_matchers:
      - severity="warning"
    equal:
      - instance
`);
  });

  it("drops notifications without an address, and ignores a relay nobody receives from", () => {
    const expected = `global: {}
route:
  receiver: "null"
  group_by:
    - alertname
    - instance
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: "null"
inhibit_rules:
  - source_matchers:
      - severity="critical"
    target_matchers:
      - severity="warning"
    equal:
      - instance
`;
    expect(renderAlertmanagerConfig({})).toBe(expected);
    expect(renderAlertmanagerConfig({ smtp })).toBe(expected);
  });

  it.each<[string, AlertmanagerConfigInput, string]>([
    ["email is set without a relay", { alertEmail: "ops@example.com" }, "renderAlertmanagerConfig: smtp must be given when alertEmail is set, got none"],
    ["the address is malformed", { alertEmail: "ops", smtp }, 'renderAlertmanagerConfig: alertEmail must be an email address, got "ops"'],
    ["the smarthost has no port", { alertEmail: "ops@example.com", smtp: { ...smtp, smarthost: "smtp.example.com" } }, 'renderAlertmanagerConfig: smtp.smarthost must be a "host:port" address, got "smtp.example.com"'],
    ["the password file is relative", { alertEmail: "ops@example.com", smtp: { ...smtp, passwordFile: "smtp" } }, 'renderAlertmanagerConfig: smtp.passwordFile must be an absolute path, got "smtp"'],
  ])("fails when %s", (_name, input, message) => {
    expect(() => renderAlertmanagerConfig(input)).toThrow(message);
  });
});
