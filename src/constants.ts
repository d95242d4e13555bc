import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Grafana's own page for this app's settings (proxy URL, tokens, data sources). */
export const CONFIG_PAGE_URL = `/plugins/${pluginJson.id}`;

export enum ROUTES {
  Launch = 'launch',
  Jobs = 'jobs',
}

/** Long-poll wait; Grafana's data proxy cuts requests at 30 s, the proxy allows at most 25. */
export const CHANGES_TIMEOUT_SECONDS = 20;
