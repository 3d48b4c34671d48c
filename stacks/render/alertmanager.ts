/**
 * alertmanager.yml: one route, email when an address is configured (alerts otherwise stay in the UI), and an
 * inhibit rule so a critical alert about an instance silences its warnings.
 */
import { stringify } from "yaml";
import { requireMatch } from "../../components/validate";
import { GO_YAML } from "./prometheus";

/** The mail relay Alertmanager sends through. */
export interface SmtpRelay {
  /** "host:port" of the relay, e.g. "smtp.example.com:587" (STARTTLS is required); required. */
  readonly smarthost: string;
  /** Sender address; required. */
  readonly from: string;
  /** SMTP AUTH user name; required. */
  readonly username: string;
  /** Path, inside the Alertmanager container, of a file holding the SMTP password (kept out of the config); required. */
  readonly passwordFile: string;
}

/** Where alerts go. */
export interface AlertmanagerConfigInput {
  /** Recipient of alert email; default none (a receiver that drops notifications; alerts stay visible in the UI). */
  readonly alertEmail?: string;
  /** Mail relay; required when `alertEmail` is set, ignored otherwise. Default none. */
  readonly smtp?: SmtpRelay;
}

const WHERE = "renderAlertmanagerConfig";
const EMAIL = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;
const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/i;

/**
 * Renders alertmanager.yml. Throws "renderAlertmanagerConfig: <field> must be ..., got ..." on malformed
 * addresses, and when `alertEmail` is set without `smtp` (Alertmanager refuses email receivers without a smarthost).
 */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
  const delivery = input.alertEmail !== undefined ? emailDelivery(input.alertEmail, input.smtp) : { receiver: "null", global: {}, receivers: [{ name: "null" }] };
  const config = {
    global: delivery.global,
    route: { receiver: delivery.receiver, group_by: ["alertname", "instance"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
    receivers: delivery.receivers,
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["instance"] }],
  };
  return stringify(config, GO_YAML);
}

function emailDelivery(alertEmail: string, smtp: SmtpRelay | undefined): { receiver: string; global: object; receivers: object[] } {
  requireMatch(WHERE, "alertEmail", alertEmail, EMAIL, "an email address");
  if (smtp === undefined) throw new Error(`${WHERE}: smtp must be given when alertEmail is set, got none`);
  requireMatch(WHERE, "smtp.smarthost", smtp.smarthost, HOST_PORT, 'a "host:port" address');
  requireMatch(WHERE, "smtp.from", smtp.from, EMAIL, "an email address");
  requireMatch(WHERE, "smtp.username", smtp.username, /^\S+$/, "a user name without spaces");
  requireMatch(WHERE, "smtp.passwordFile", smtp.passwordFile, /^\/\S+$/, "an absolute path");
  return {
    receiver: "email",
    global: {
      smtp_smarthost: smtp.smarthost,
      smtp_from: smtp.from,
      smtp_auth_username: smtp.username,
      // *_file keeps the secret out of this rendered (hashed, logged, planned) file; needs Alertmanager >= 0.25.
      smtp_auth_password_file: smtp.passwordFile,
      smtp_require_tls: true,
    },
    receivers: [{ name: "email", email_configs: [{ to: alertEmail, send_resolved: true }] }],
  };
}
