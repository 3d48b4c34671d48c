/** The containers dashboard: cAdvisor's CPU, memory and restarts per container, grouped by app, plus their logs. */
import { renderDashboard } from "./panels";

// cAdvisor exports Docker labels as container_label_<name>, dots turned into underscores.
const APP_LABEL = "container_label_hybridlab_app";
const SELECTOR = `${APP_LABEL}=~"$app",name!=""`;
const BY = `by (${APP_LABEL}, name, instance)`;
const LEGEND = `{{${APP_LABEL}}} / {{name}}`;

/** Renders dashboards/containers.json (uid "hybridlab-containers"). */
export function renderContainersDashboard(): string {
  return renderDashboard({
    uid: "hybridlab-containers",
    title: "hybridlab / Containers",
    description: "cAdvisor metrics and logs of the estate's containers, by the hybridlab.app label.",
    variables: [{ name: "app", label: "App", query: `label_values(container_start_time_seconds, ${APP_LABEL})`, allValue: ".+" }],
    panels: [
      {
        title: "CPU",
        description: "CPU time used per container, in percent of one core.",
        unit: "percent",
        queries: [{ expr: `100 * sum ${BY} (rate(container_cpu_usage_seconds_total{${SELECTOR}}[$__rate_interval]))`, legend: LEGEND }],
      },
      {
        title: "Memory",
        description: "Working set per container: the memory the kernel cannot reclaim, what the memory limit is checked against.",
        unit: "bytes",
        queries: [{ expr: `sum ${BY} (container_memory_working_set_bytes{${SELECTOR}})`, legend: LEGEND }],
      },
      {
        title: "Restarts per hour",
        description: "Times each container started in the past hour (cAdvisor has no restart counter; each start changes the start time).",
        unit: "short",
        queries: [{ expr: `sum ${BY} (changes(container_start_time_seconds{${SELECTOR}}[1h]))`, legend: LEGEND }],
      },
      {
        title: "Logs",
        description: "Log lines of the selected apps' containers, shipped by Alloy.",
        expr: '{app=~"$app"}',
      },
    ],
  });
}
