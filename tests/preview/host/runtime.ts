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
} from '@grafana/runtime';
import { createBackendSrv } from './backendSrv';
import { createDataSourceSrv } from './dataSources';
import { createTemplateSrv } from './templateSrv';

export function setUpRuntime(): void {
  setBackendSrv(createBackendSrv());
  setAppEvents(new EventBusSrv());
  setLocationSrv(locationService);
  // the data sources the preview server put in the boot data: none by default, so pages take their no-Loki paths
  setDataSourceSrv(createDataSourceSrv());
  setTemplateSrv(createTemplateSrv());
}
