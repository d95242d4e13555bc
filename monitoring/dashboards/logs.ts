// FlowKube / Job logs (Loki): the workers' JSON lines, found by the bounded stream labels (namespace, job_type)
// and narrowed by the Pod name, which travels as structured metadata rather than as a label.
import {
  type Dashboard,
  CustomVariableBuilder,
  TextBoxVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { JOBS_NAMESPACE } from '../alerts/rules.ts';
import { APP_BASE, flowkubeDashboard, multiValueVariable, panelIds } from './common.ts';
import { LOKI_DATASOURCE, logLines, stacked } from './loki-panels.ts';

const ds = LOKI_DATASOURCE;
const streams = `{namespace="${JOBS_NAMESPACE}", job_type=~"$job_type"}`;
// Line filter first (cheapest), then the structured-metadata pod filter, then JSON parsing for the level.
const selected = `${streams} |~ "(?i)$search" | pod=~"$job" | json`;
// Metric queries fail as a whole on one unparsable line unless lines with a parser error are dropped.
const parsed = `${selected} | __error__=""`;

export function logsDashboard(): Dashboard {
  const id = panelIds();
  return flowkubeDashboard({
    dashboard: 'logs',
    description: 'Logs of FlowKube job Pods, shipped by Fluent Bit to Loki with the job_type label.',
    from: 'now-1h',
    refresh: '30s',
    datasource: ['loki', 'flowkube-loki', 'FlowKube Loki'],
  })
    .withVariable(
      multiValueVariable({
        name: 'job_type',
        label: 'job_type',
        datasource: ds,
        query: {
          refId: 'LokiVariableQueryEditor-VariableQuery',
          type: 1,
          label: 'job_type',
          stream: `{namespace="${JOBS_NAMESPACE}"}`,
        },
        definition: `label_values({namespace="${JOBS_NAMESPACE}"}, job_type)`,
        allValue: '.+',
      })
    )
    .withVariable(
      new CustomVariableBuilder('level')
        .label('Level')
        .values('INFO,WARN,ERROR')
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: 'All', value: '$__all' })
    )
    .withVariable(
      new TextBoxVariableBuilder('job')
        .label('Job (pod, regex)')
        .description('A job id is its Pod name; the app’s job page links here with it filled in.')
        .defaultValue('.*')
        .current({ selected: true, text: '.*', value: '.*' })
    )
    .withVariable(
      new TextBoxVariableBuilder('search')
        .label('Search (regex, case-insensitive)')
        .defaultValue('')
        .current({ selected: true, text: '', value: '' })
    )
    .withPanel(
      stacked(
        id(),
        'Log volume by level',
        'Lines per interval, by the level field of the worker’s JSON line.',
        `sum by (level) (count_over_time(${parsed} | level=~"$level" [$__auto]))`,
        '{{level}}'
      )
    )
    .withPanel(
      stacked(
        id(),
        'ERROR lines per template',
        'ERROR lines per interval, by job_type (the template id).',
        `sum by (job_type) (count_over_time(${parsed} | level="ERROR" [$__auto]))`,
        '{{job_type}}'
      )
    )
    .withPanel(
      logLines(
        id(),
        'Logs',
        'Worker log lines; expand one to see its job (pod) and task fields.',
        `${selected} | level=~"$level"`
      )
    )
    .withPanel(
      new TablePanel()
        .id(id())
        .title('Latest failing jobs')
        .description(
          'Jobs that logged ERROR lines in the selected range, most errors first; the pod opens the job in FlowKube.'
        )
        .datasource(ds)
        .span(24)
        .height(8)
        .withTarget(
          new DataqueryBuilder()
            .expr(`topk(20, sum by (job_type, pod) (count_over_time(${parsed} | level="ERROR" [$__range])))`)
            .queryType('instant')
            .refId('A')
        )
        .withTransformation({ id: 'reduce', options: { reducers: ['lastNotNull'], labelsToFields: true } })
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Field: true }, renameByName: { 'Last *': 'ERROR lines' } },
        })
        .overrideByName('pod', [
          {
            id: 'links',
            value: [{ title: 'Open job in FlowKube', url: `${APP_BASE}/jobs/\${__value.raw}` }],
          },
        ])
    )
    .build();
}
