import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Grafana's own page for this app's settings (proxy URL, tokens, data sources). */
export const CONFIG_PAGE_URL = `/plugins/${pluginJson.id}`;

export enum ROUTES {
  Launch = 'launch',
  Jobs = 'jobs',
  /** A tab of the Jobs page: what ran, from the audit events in Loki. */
  JobsHistory = 'jobs/history',
  Schedules = 'schedules',
}

/**
 * Long-poll wait (the proxy allows at most 25). Grafana's app routes never cut a request, but load balancers and
 * reverse proxies in front of Grafana often close requests idle for 30–60 s (nginx's proxy_read_timeout and an AWS
 * ALB's idle timeout are 60 s): 20 s stays under those and bounds how long a closed tab holds a proxy connection.
 */
export const CHANGES_TIMEOUT_SECONDS = 20;
