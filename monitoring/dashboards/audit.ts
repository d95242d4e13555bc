// FlowKube / Audit (Loki): who launched (and from which launcher panel), cancelled and was refused what, from the
// proxy's audit events in the stream of the contract (AUDIT_STREAM_SELECTOR), and the raw stream itself.
//
// Counting: each replica writes every job event, and a restarted one writes them again. Fluent Bit stamps every copy
// with the event's own time, so the copies are one line at one time in one stream, which Loki stores and returns once
// (monitoring/README.md, "Audit events"): count_over_time here counts events, not copies. Only the fields a panel
// groups by are extracted, so a panel's series stay one per user or template, never one per event.
import { type Dashboard, TextBoxVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { AUDIT_STREAM_SELECTOR, type AuditKind } from '@flowkube/backend-proxy/contract';
import { flowkubeDashboard, panelIds } from './common.ts';
import { LOKI_DATASOURCE, logLines, stacked } from './loki-panels.ts';

const COUNTS_EVENTS = 'Events, not lines: the replicas’ identical copies of an event are one entry in Loki.';

/** Events of one kind, by template and by the user in `userField`, with `fields` extracted for grouping. */
function eventsOf(kind: AuditKind, fields: string, userField: string): string {
  return (
    `${AUDIT_STREAM_SELECTOR} | json event, template, ${fields} | __error__="" | event="${kind}"` +
    ` | template=~"$template" | ${userField}=~"$user"`
  );
}

function textFilter(name: string, label: string, description: string, value: string) {
  return new TextBoxVariableBuilder(name)
    .label(label)
    .description(description)
    .defaultValue(value)
    .current({ selected: true, text: value, value });
}

export function auditDashboard(): Dashboard {
  const id = panelIds();
  const launched = eventsOf('launched', 'launchedBy', 'launchedBy');
  return flowkubeDashboard({
    dashboard: 'audit',
    description: 'FlowKube audit events (launches, cancels, rejections, schedule changes) from the proxy, in Loki.',
    from: 'now-24h',
    refresh: '1m',
    datasource: ['loki', 'flowkube-loki', 'FlowKube Loki'],
  })
    .withVariable(textFilter('user', 'User (regex)', 'Who launched, cancelled or was refused (X-Grafana-User).', '.*'))
    .withVariable(textFilter('template', 'Template (regex)', 'The template id.', '.*'))
    .withVariable(textFilter('search', 'Search the stream (regex, case-insensitive)', 'Any text of a line.', ''))
    .withPanel(
      stacked(
        id(),
        'Launches by user',
        `Jobs launched per interval, by launchedBy. ${COUNTS_EVENTS}`,
        `sum by (launchedBy) (count_over_time(${launched} [$__auto]))`,
        '{{launchedBy}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'Launches by template',
        `Jobs launched per interval, by template. ${COUNTS_EVENTS}`,
        `sum by (template) (count_over_time(${launched} [$__auto]))`,
        '{{template}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'Launches by launcher panel',
        'Jobs launched per interval from a FlowKube launcher panel, by its dashboard UID and panel id (the source the ' +
          `event records; launches from the app or the API have none). ${COUNTS_EVENTS}`,
        `sum by (dashboard, panel) (count_over_time(${eventsOf(
          'launched',
          'launchedBy, dashboard="source.dashboardUid", panel="source.panelId"',
          'launchedBy'
        )} | dashboard!="" [$__auto]))`,
        '{{dashboard}} · panel {{panel}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'Cancels by user and template',
        `Jobs cancelled per interval, by who cancelled them and template. ${COUNTS_EVENTS}`,
        `sum by (cancelledBy, template) (count_over_time(${eventsOf('cancelled', 'cancelledBy="by"', 'cancelledBy')} [$__auto]))`,
        '{{cancelledBy}} · {{template}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'Rejected launches by reason and user',
        'Launches the proxy refused per interval (invalid input, a limit, a Kubernetes refusal), by reason and user. ' +
          'Only the replica that answered writes a rejection, so there are no copies.',
        `sum by (reason, launchedBy) (count_over_time(${eventsOf('rejected', 'launchedBy, reason', 'launchedBy')} [$__auto]))`,
        '{{reason}} · {{launchedBy}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'Finished jobs by template and phase',
        `Jobs that ended per interval: Succeeded, Failed or Cancelled, by template. ${COUNTS_EVENTS}`,
        `sum by (template, phase) (count_over_time(${eventsOf('finished', 'launchedBy, phase', 'launchedBy')} [$__auto]))`,
        '{{template}} · {{phase}}'
      )
    )
    .withPanel(
      new TablePanel()
        .id(id())
        .title('Events in the range, by kind')
        .description(`Every audit event kind (schedule changes included) in the selected range. ${COUNTS_EVENTS}`)
        .datasource(LOKI_DATASOURCE)
        .span(12)
        .height(7)
        .withTarget(
          new DataqueryBuilder()
            .expr(`sum by (event) (count_over_time(${AUDIT_STREAM_SELECTOR} | json event | __error__="" [$__range]))`)
            .queryType('instant')
            .refId('A')
        )
        .withTransformation({ id: 'reduce', options: { reducers: ['lastNotNull'], labelsToFields: true } })
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Field: true }, renameByName: { 'Last *': 'Events' } },
        })
    )
    .withPanel(
      logLines(
        id(),
        'Audit stream',
        'The audit events as the proxy wrote them, newest first; expand one for its fields. Readers of the raw ' +
          'stream dedupe on eventId.',
        `${AUDIT_STREAM_SELECTOR} |~ "(?i)$search" | json`
      )
    )
    .build();
}
