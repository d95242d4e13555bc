/**
 * The app's `jsonData` (set on the configuration page); secrets stay in Grafana and never appear here. Grafana
 * passes it to the root page (AppRootProps.meta), which hands the data source uids on to the pages that use them.
 */
export interface AppSettings {
  proxyUrl?: string;
  lokiDatasourceUid?: string;
  prometheusDatasourceUid?: string;
}

/** What the job pages need of the settings. */
export type DatasourceSettings = Pick<AppSettings, 'lokiDatasourceUid' | 'prometheusDatasourceUid'>;
