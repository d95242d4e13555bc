// The data sources of the preview Grafana, as Grafana's frontend serves them (grafana/grafana
// public/app/features/plugins/datasource_srv.ts): settings from the boot data (`config.datasources`, by name), looked
// up by uid or name, listed with the picker's filters (type, pluginId, logs, metrics, …) by name, and one instance
// per data source from `get`. The only plugin the preview has is Loki, as the real DataSourceWithBackend
// (lokiDataSource.ts), so a query takes Grafana's own path to /api/ds/query. Without data sources in the boot data
// (the default preview Grafana) every lookup finds nothing and pages take their no-Loki / no-Prometheus paths.
import type { DataSourceApi, DataSourceInstanceSettings, DataSourceRef, ScopedVars } from '@grafana/data';
import { config, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';
import { PreviewLokiDataSource } from './lokiDataSource';

type Settings = DataSourceInstanceSettings;

export class PreviewDataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  constructor(private readonly byName: Record<string, Settings>) {}

  private find(ref: DataSourceRef | string | null | undefined): Settings | undefined {
    const all = Object.values(this.byName);
    if (ref === null || ref === undefined) {
      return all.find((ds) => ds.isDefault);
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return all.find((ds) => ds.uid === key) ?? (typeof ref === 'string' ? this.byName[ref] : undefined);
  }

  getInstanceSettings(ref?: DataSourceRef | string | null, _scopedVars?: ScopedVars): Settings | undefined {
    const settings = this.find(ref);
    return settings && { ...settings, rawRef: { type: settings.type, uid: settings.uid } };
  }

  getList(filters: GetDataSourceListFilters = {}): Settings[] {
    const types = filters.type === undefined ? undefined : [filters.type].flat();
    return Object.values(this.byName)
      .filter(
        (ds) =>
          (!types || types.includes(ds.type)) &&
          (!filters.pluginId || ds.meta.id === filters.pluginId) &&
          (!filters.logs || ds.meta.logs) &&
          (!filters.metrics || ds.meta.metrics) &&
          (!filters.tracing || ds.meta.tracing) &&
          (!filters.annotations || ds.meta.annotations) &&
          (!filters.alerting || ds.meta.alerting) &&
          (!filters.filter || filters.filter(ds))
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(ref?: DataSourceRef | string | null, _scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.find(ref);
    if (!settings) {
      return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      // Grafana loads the data source plugin's module here, on first use; the preview's one plugin is built in
      instance = Promise.resolve(new PreviewLokiDataSource(settings) as unknown as DataSourceApi);
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  reload(): Promise<void> {
    return Promise.resolve();
  }

  registerRuntimeDataSource(): void {}
}

export function createDataSourceSrv(): DataSourceSrv {
  const byName = (config.datasources ?? {}) as Record<string, Settings>;
  return new PreviewDataSourceSrv(byName) as unknown as DataSourceSrv;
}
