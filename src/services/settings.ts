/** The app's `jsonData` (set on the configuration page); secrets stay in Grafana and never appear here. */
export interface AppSettings {
  proxyUrl?: string;
  lokiDatasourceUid?: string;
  prometheusDatasourceUid?: string;
}

let current: AppSettings = {};

/**
 * Scene factories run outside React, so the root component stores the settings Grafana hands it (`meta.jsonData`)
 * here once, instead of every page fetching `/api/plugins/<id>/settings` again.
 */
export function setAppSettings(jsonData: AppSettings | undefined): void {
  current = { ...jsonData };
}

export function getAppSettings(): AppSettings {
  return current;
}
