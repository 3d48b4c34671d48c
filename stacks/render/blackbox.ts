/**
 * blackbox.yml: the probe modules Prometheus' probe jobs name (see renderPrometheusConfig).
 * Module fields follow https://github.com/prometheus/blackbox_exporter/blob/master/CONFIGURATION.md.
 */
import { stringify } from "yaml";
import { GO_YAML } from "./prometheus";

/** Renders blackbox.yml, the same bytes on every call. */
export function renderBlackboxConfig(): string {
  const config = {
    modules: {
      http_2xx: {
        prober: "http",
        // The exporter caps this at Prometheus' scrape timeout (minus half a second), so the scrape never times out first.
        timeout: "10s",
        http: {
          // Hosts here often have no IPv6 route while their names carry AAAA records; ip4 avoids false failures.
          preferred_ip_protocol: "ip4",
          ip_protocol_fallback: false,
          // Redirects are followed by default; the field that turns that off was renamed (no_follow_redirects ->
          // follow_redirects), so it is left unset to suit every exporter version.
          // An invalid or expired certificate must fail the probe, not be skipped.
          tls_config: { insecure_skip_verify: false },
        },
      },
    },
  };
  return stringify(config, GO_YAML);
}
