/**
 * Moodle on erseco/alpine-moodle (nginx + PHP-FPM on port 8080, cron built in) with a PostgreSQL sidecar.
 * Bitnami stopped publishing its free Moodle images in 2025; this community image is maintained, tagged per Moodle
 * release, and documented at https://github.com/erseco/alpine-moodle (docker-compose.yml and
 * docs/environment-variables.md: SITE_URL, DB_*, MOODLE_*, SSLPROXY and SMTP_* are the settings used here).
 */
import { mailRelay } from "../../derive/monitoring";
import type { AppContext } from "../apps";
import { appHostPorts } from "../apps";
import { PASSWORD, postgresSidecar, publicUrl, tailnetUrl } from "./common";
import { images } from "./images";
import type { AppDeploymentSpec } from "../../../components/apps/deploymentSpec";
import { containerName } from "../../../components/apps/deploymentSpec";

/**
 * Mail settings (docs/environment-variables.md, "Email / SMTP"). The image applies them to Moodle's config at every
 * start, its placeholders (smtp.gmail.com, your_password) when unset: so the estate's mail relay, with STARTTLS
 * except on 465 (implicit TLS), or no SMTP host at all when the estate has none (mail then fails instead of
 * going to a placeholder). The sender is the relay's own address, which it accepts.
 */
function mailSettings(estate: AppContext<"moodle">["estate"]): { env: Record<string, string>; secretEnv: Record<string, string> } {
  const relay = mailRelay(estate);
  if (relay === undefined) return { env: { SMTP_HOST: "", SMTP_PORT: "", SMTP_USER: "", SMTP_PROTOCOL: "" }, secretEnv: {} };
  return {
    env: {
      SMTP_HOST: relay.host,
      SMTP_PORT: String(relay.port),
      SMTP_USER: relay.username,
      SMTP_PROTOCOL: relay.port === 465 ? "ssl" : "tls",
      MOODLE_MAIL_NOREPLY_ADDRESS: relay.from,
    },
    secretEnv: { SMTP_PASSWORD: "{{smtp-password}}" },
  };
}

export function moodleDeployment({ estate, name, app }: AppContext<"moodle">): AppDeploymentSpec {
  const publicSite = publicUrl(estate, app);
  const mail = mailSettings(estate);
  return {
    adminLogin: { user: "admin", password: "{{admin-password}}" },
    secrets: { "db-password": PASSWORD, "admin-password": PASSWORD, ...(mailRelay(estate) ? { "smtp-password": { kind: "config", key: "smtpPassword" } as const } : {}) },
    containers: [
      postgresSidecar("moodle", "moodle"),
      {
        component: "web",
        image: images.moodle,
        ports: [{ name: "http", containerPort: 8080 }],
        env: {
          SITE_URL: publicSite ?? tailnetUrl(estate, app, appHostPorts(app).http),
          // Caddy terminates TLS in front of a public site and forwards X-Forwarded-Proto.
          SSLPROXY: publicSite ? "true" : "false",
          REVERSEPROXY: "false",
          DB_TYPE: "pgsql",
          DB_HOST: containerName(name, "db"),
          DB_PORT: "5432",
          DB_NAME: "moodle",
          DB_USER: "moodle",
          DB_PREFIX: "mdl_",
          MOODLE_SITENAME: app.siteName,
          MOODLE_EMAIL: app.adminEmail,
          MOODLE_USERNAME: "admin",
          MOODLE_LANGUAGE: "en",
          ...mail.env,
        },
        secretEnv: { DB_PASS: "{{db-password}}", MOODLE_PASSWORD: "{{admin-password}}", ...mail.secretEnv },
        volumes: [
          { name: "moodledata", path: "/var/www/moodledata" },
          { name: "html", path: "/var/www/html" },
        ],
        // The image's own HEALTHCHECK: nginx and PHP-FPM answering. The first install runs before they answer and
        // takes many minutes on a small VM: failures in the first 15 do not count.
        healthcheck: { test: ["CMD", "curl", "--silent", "--fail", "http://127.0.0.1:8080/fpm-ping"], startPeriodSeconds: 900 },
        memoryMiB: 1024,
        // The image's cron binary carries a file capability (cap_setgid); dropping all would make it fail to exec.
        capabilities: "image-default",
        after: ["db"],
      },
    ],
  };
}
