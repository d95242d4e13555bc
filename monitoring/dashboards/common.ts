// Pieces both FlowKube dashboards share: the data source variable, the cross links and panel placement.
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { APP_BASE, LOGS_UID, OVERVIEW_UID } from '../alerts/rules.ts';

export { APP_BASE, LOGS_UID, OVERVIEW_UID };

/** Panels point at the variable, never at a uid, so a person can switch data source; the default is the provisioned one. */
export const DATASOURCE_REF = '${datasource}';

export function datasourceVariable(type: 'prometheus' | 'loki', defaultUid: string, defaultName: string) {
  return new DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type(type)
    .current({ selected: true, text: defaultName, value: defaultUid });
}

/** Links every FlowKube dashboard carries: the other dashboard (keeping the time range) and the app's pages. */
export function flowkubeLinks(other: { uid: string; title: string }) {
  return [
    new DashboardLinkBuilder(other.title)
      .type(DashboardLinkType.Link)
      .url(`/d/${other.uid}`)
      .icon('dashboard')
      .keepTime(true)
      .includeVars(false)
      .targetBlank(false),
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

/** What both dashboards start with: uid, tag, time settings, the cross links and the data source variable. */
export function flowkubeDashboard(options: {
  title: string;
  uid: string;
  description: string;
  from: string;
  refresh: string;
  other: { uid: string; title: string };
  datasource: Parameters<typeof datasourceVariable>;
}) {
  return new DashboardBuilder(options.title)
    .uid(options.uid)
    .tags(['flowkube'])
    .description(options.description)
    .editable()
    .time({ from: options.from, to: 'now' })
    .refresh(options.refresh)
    .links(flowkubeLinks(options.other))
    .withVariable(datasourceVariable(...options.datasource));
}

/** Panel ids in creation order: alert links and Explore refer to panels by id, so they must not depend on chance. */
export function panelIds() {
  let id = 0;
  return () => ++id;
}
