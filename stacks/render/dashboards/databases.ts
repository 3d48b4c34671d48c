/** The databases dashboard: postgres_exporter's availability, connections, size and transactions per app's database. */
import { renderDashboard } from "./panels";

// The scrape job labels each exporter with its app; system databases (template0/1, postgres) are left out.
const APP = 'app=~"$app"';
const DB = `${APP},datname!~"template.*|postgres"`;

/** Renders dashboards/databases.json (uid "hybridlab-databases"). */
export function renderDatabasesDashboard(): string {
  return renderDashboard({
    uid: "hybridlab-databases",
    title: "hybridlab / Databases",
    description: "postgres_exporter metrics of every app's PostgreSQL database, by app.",
    variables: [{ name: "app", label: "App", query: "label_values(pg_up, app)", allValue: ".+" }],
    panels: [
      {
        title: "Up",
        description: "1 while the exporter can query the database (pg_up), 0 while it cannot.",
        unit: "short",
        range: [0, 1],
        queries: [{ expr: `pg_up{${APP}}`, legend: "{{app}}" }],
      },
      {
        title: "Connections in use",
        description: "Connections per database, against the server's max_connections.",
        unit: "short",
        queries: [
          { expr: `sum by (app) (pg_stat_activity_count{${APP}})`, legend: "{{app}} in use" },
          { expr: `max by (app) (pg_settings_max_connections{${APP}})`, legend: "{{app}} max_connections" },
        ],
      },
      {
        title: "Database size",
        description: "On-disk size of each app database.",
        unit: "bytes",
        queries: [{ expr: `pg_database_size_bytes{${DB}}`, legend: "{{app}} / {{datname}}" }],
      },
      {
        title: "Transactions",
        description: "Commits and rollbacks per second per app database.",
        unit: "ops",
        queries: [
          { expr: `rate(pg_stat_database_xact_commit{${DB}}[$__rate_interval])`, legend: "{{app}} / {{datname}} commits" },
          { expr: `rate(pg_stat_database_xact_rollback{${DB}}[$__rate_interval])`, legend: "{{app}} / {{datname}} rollbacks" },
        ],
      },
    ],
  });
}
