// Pieces the FlowKube dashboards share: the data source variable, the cross links and panel placement.
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { APP_BASE, AUDIT_UID, LOGS_UID, OVERVIEW_UID } from '../alerts/rules.ts';

export { APP_BASE };

/** Panels point at the variable, never at a uid, so a person can switch data source; the default is the provisioned one. */
export const DATASOURCE_REF = '${datasource}';

export function datasourceVariable(type: 'prometheus' | 'loki', defaultUid: string, defaultName: string) {
  return new DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type(type)
    .current({ selected: true, text: defaultName, value: defaultUid });
}

/** Links every FlowKube dashboard carries: the other dashboards (keeping the time range) and the app's pages. */
export function flowkubeLinks(others: Array<{ uid: string; title: string }>) {
  return [
    ...others.map((other) =>
      new DashboardLinkBuilder(other.title)
        .type(DashboardLinkType.Link)
        .url(`/d/${other.uid}`)
        .icon('dashboard')
        .keepTime(true)
        .includeVars(false)
        .targetBlank(false)
    ),
    new DashboardLinkBuilder('FlowKube: jobs')
      .type(DashboardLinkType.Link)
      .url(`${APP_BASE}/jobs`)
      .icon('external link')
      .keepTime(false)
      .includeVars(false)
      .targetBlank(false),
    new DashboardLinkBuilder('FlowKube: schedules')
      .type(DashboardLinkType.Link)
      .url(`${APP_BASE}/schedules`)
      .icon('external link')
      .keepTime(false)
      .includeVars(false)
      .targetBlank(false),
    new DashboardLinkBuilder('FlowKube: launch a job')
      .type(DashboardLinkType.Link)
      .url(`${APP_BASE}/launch`)
      .icon('external link')
      .keepTime(false)
      .includeVars(false)
      .targetBlank(false),
  ];
}

/** The dashboards by name; each links to the others. */
const DASHBOARDS = {
  overview: { uid: OVERVIEW_UID, title: 'FlowKube / Jobs overview' },
  logs: { uid: LOGS_UID, title: 'FlowKube / Job logs' },
  audit: { uid: AUDIT_UID, title: 'FlowKube / Audit' },
};

/** What every dashboard starts with: uid, tag, time settings, the cross links and the data source variable. */
export function flowkubeDashboard(options: {
  dashboard: keyof typeof DASHBOARDS;
  description: string;
  from: string;
  refresh: string;
  datasource: Parameters<typeof datasourceVariable>;
}) {
  const self = DASHBOARDS[options.dashboard];
  const others = Object.values(DASHBOARDS).filter((d) => d !== self);
  return new DashboardBuilder(self.title)
    .uid(self.uid)
    .tags(['flowkube'])
    .description(options.description)
    .editable()
    .time({ from: options.from, to: 'now' })
    .refresh(options.refresh)
    .links(flowkubeLinks(others))
    .withVariable(datasourceVariable(...options.datasource));
}

/** A filter taking several values or All, its values queried again with each time range, sorted. */
export function multiValueVariable(o: {
  name: string;
  label: string;
  datasource: { type: string; uid: string };
  query: Parameters<QueryVariableBuilder['query']>[0];
  definition: string;
  /** The regex that All stands for in the queries. */
  allValue: string;
}) {
  return new QueryVariableBuilder(o.name)
    .label(o.label)
    .datasource(o.datasource)
    .query(o.query)
    .definition(o.definition)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(o.allValue)
    .current({ selected: true, text: 'All', value: '$__all' });
}

/** Panel ids in creation order: alert links and Explore refer to panels by id, so they must not depend on chance. */
export function panelIds() {
  let id = 0;
  return () => ++id;
}

/** A time series legend as every FlowKube panel shows it: a list below the graph, no calculations. */
export function bottomLegend() {
  return new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.List)
    .placement(LegendPlacement.Bottom)
    .calcs([]);
}
