// Wires the Grafana runtime services the plugin reaches through @grafana/runtime, as Grafana does at boot.
// The user and theme are already in `config` (see bootData.ts).
import { EventBusSrv } from '@grafana/data';
import {
  locationService,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setLocationSrv,
  setTemplateSrv,
  type DataSourceSrv,
  type TemplateSrv,
} from '@grafana/runtime';
import { createBackendSrv } from './backendSrv';

// No data source is provisioned in the preview, so pages must take their no-Loki / no-Prometheus paths.
const emptyDataSourceSrv = {
  get: (ref?: unknown) => Promise.reject(new Error(`Data source ${JSON.stringify(ref)} was not found`)),
  getList: () => [],
  getInstanceSettings: () => undefined,
  reload: () => Promise.resolve(),
  registerRuntimeDataSource: () => undefined,
} as unknown as DataSourceSrv;

// A dashboard without variables: interpolation leaves text as it is.
const noVariablesTemplateSrv = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
} as unknown as TemplateSrv;

export function setUpRuntime(): void {
  setBackendSrv(createBackendSrv());
  setAppEvents(new EventBusSrv());
  setLocationSrv(locationService);
  setDataSourceSrv(emptyDataSourceSrv);
  setTemplateSrv(noVariablesTemplateSrv);
}
