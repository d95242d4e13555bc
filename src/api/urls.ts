import { PLUGIN_ID } from '../constants';

/** Grafana's data proxy path for this app's routes (plugin.json `routes`); it adds the token and the user. */
export const PROXY_BASE = `api/plugin-proxy/${PLUGIN_ID}`;

/** Every proxy URL the plugin calls, built in one place. */
export const apiUrls = {
  healthz: () => `${PROXY_BASE}/healthz`,
  readyz: () => `${PROXY_BASE}/readyz`,
  templates: () => `${PROXY_BASE}/api/v1/templates`,
  catalog: () => `${PROXY_BASE}/api/v1/catalog`,
  jobs: () => `${PROXY_BASE}/api/v1/jobs`,
  job: (id: string) => `${PROXY_BASE}/api/v1/jobs/${encodeURIComponent(id)}`,
  jobLogs: (id: string) => `${PROXY_BASE}/api/v1/jobs/${encodeURIComponent(id)}/logs`,
  changes: () => `${PROXY_BASE}/api/v1/changes`,
  schedules: () => `${PROXY_BASE}/api/v1/schedules`,
  schedule: (id: string) => `${PROXY_BASE}/api/v1/schedules/${encodeURIComponent(id)}`,
  scheduleRun: (id: string) => `${PROXY_BASE}/api/v1/schedules/${encodeURIComponent(id)}/run`,
};

/**
 * Grafana's endpoint for the app's settings (jsonData, and which secrets are set): the one Grafana reads to start the
 * app's pages for any user who may open them, so a panel can read it too (grafana/grafana pkg/api/api.go).
 */
export const appSettingsUrl = () => `api/plugins/${PLUGIN_ID}/settings`;
