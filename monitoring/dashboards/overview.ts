// FlowKube / Jobs overview (Prometheus): what the proxy launched and how it went, the proxy's own health,
// and what the job Pods cost (cAdvisor joined with kube-state-metrics' job_type label).
import { type Dashboard, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BigValueGraphMode,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { JOBS_NAMESPACE } from '../alerts/rules.ts';
import { APP_BASE, bottomLegend, DATASOURCE_REF, flowkubeDashboard, multiValueVariable, panelIds } from './common.ts';

const ds = { type: 'prometheus', uid: DATASOURCE_REF };
const T = 'template=~"$template"';
const CRONJOBS = (metric: string) => `${metric}{namespace="${JOBS_NAMESPACE}"}`;
/** Each per-schedule series links to that schedule's page in the app (its runs, Run now, suspend). */
const SCHEDULE_LINK = {
  matcher: { id: 'byType', options: 'number' },
  properties: [
    {
      id: 'links',
      value: [
        {
          title: 'Open schedule ${__field.labels.cronjob} in FlowKube',
          url: `${APP_BASE}/schedules/\${__field.labels.cronjob}`,
        },
      ],
    },
  ],
};

function query(expr: string, legend: string, refId = 'A') {
  return new DataqueryBuilder().expr(expr).legendFormat(legend).refId(refId).range();
}

function timeseries(id: number, title: string, description: string, unit: string, stacked = false) {
  return new TimeseriesPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(ds)
    .unit(unit)
    .span(8)
    .height(8)
    .fillOpacity(stacked ? 30 : 10)
    .stacking(new StackingConfigBuilder().mode(stacked ? StackingMode.Normal : StackingMode.None))
    .legend(bottomLegend())
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
}

function stat(id: number, title: string, description: string, expr: string, legend: string) {
  return new StatPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(ds)
    .span(4)
    .height(4)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .withTarget(query(expr, legend).instant());
}

// Per-job_type resource use: container series (cAdvisor) know only namespace/pod, so the Pod's job_type
// comes from kube_pod_labels. `container!=""` drops the Pod-level cgroup sums that would double count.
function byJobType(metric: string, rate: boolean) {
  const series = `${metric}{namespace="${JOBS_NAMESPACE}", container!="", container!="POD"}`;
  const value = rate ? `rate(${series}[$__rate_interval])` : series;
  return `sum by (label_job_type) (
  ${value}
  * on (namespace, pod) group_left (label_job_type)
  max by (namespace, pod, label_job_type) (kube_pod_labels{namespace="${JOBS_NAMESPACE}", label_job_type=~"$template"})
)`;
}

export function overviewDashboard(): Dashboard {
  const id = panelIds();
  return (
    flowkubeDashboard({
      dashboard: 'overview',
      description: 'Jobs launched through FlowKube, the proxy that launches them, and what their Pods use.',
      from: 'now-6h',
      refresh: '1m',
      datasource: ['prometheus', 'flowkube-prometheus', 'FlowKube Prometheus'],
    })
      .withVariable(
        multiValueVariable({
          name: 'template',
          label: 'Template',
          datasource: ds,
          query: {
            query: 'label_values(flowkube_jobs_launched_total, template)',
            refId: 'PrometheusVariableQueryEditor-VariableQuery',
          },
          definition: 'label_values(flowkube_jobs_launched_total, template)',
          allValue: '.*',
        })
      )
      .withRow(new RowBuilder('Jobs').id(id()))
      .withPanel(
        stat(
          id(),
          'Launched',
          'Jobs created by the proxy in the selected time range.',
          `sum(increase(flowkube_jobs_launched_total{${T}}[$__range]))`,
          'launched'
        ).unit('short')
      )
      .withPanel(
        stat(
          id(),
          'Succeeded',
          'Jobs that reached Succeeded in the selected time range.',
          `sum(increase(flowkube_jobs_finished_total{${T}, phase="Succeeded"}[$__range])) or vector(0)`,
          'succeeded'
        ).unit('short')
      )
      .withPanel(
        stat(
          id(),
          'Failed',
          'Jobs that reached Failed in the selected time range (exit code ≠ 0, deadline, eviction).',
          `sum(increase(flowkube_jobs_finished_total{${T}, phase="Failed"}[$__range])) or vector(0)`,
          'failed'
        ).unit('short')
      )
      .withPanel(
        stat(
          id(),
          'Active now',
          'FlowKube Pods that are Pending or Running right now.',
          `sum(flowkube_jobs_active{${T}, phase=~"Pending|Running"}) or vector(0)`,
          'active'
        ).unit('short')
      )
      .withPanel(
        stat(
          id(),
          'Launches rejected',
          'Launch requests refused in the selected time range (invalid parameters, limits, Kubernetes errors).',
          `sum(increase(flowkube_launch_rejected_total[$__range])) or vector(0)`,
          'rejected'
        ).unit('short')
      )
      .withPanel(
        stat(
          id(),
          'Pod cache in sync',
          '1 while the proxy’s Pod cache follows the Kubernetes API; 0 means job lists are stale.',
          'min(flowkube_cache_ready)',
          'cache'
        ).unit('bool_yes_no')
      )
      .withPanel(
        timeseries(id(), 'Launches per template', 'Jobs launched per second, by template.', 'ops').withTarget(
          query(`sum by (template) (rate(flowkube_jobs_launched_total{${T}}[$__rate_interval]))`, '{{template}}')
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Succeeded vs failed',
          'Jobs reaching a final phase per second, by template and phase.',
          'ops',
          true
        ).withTarget(
          query(
            `sum by (template, phase) (rate(flowkube_jobs_finished_total{${T}}[$__rate_interval]))`,
            '{{template}} {{phase}}'
          )
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Active jobs by phase',
          'FlowKube Pods known to the proxy, by phase.',
          'short',
          true
        ).withTarget(query(`sum by (phase) (flowkube_jobs_active{${T}})`, '{{phase}}'))
      )
      .withPanel(
        timeseries(id(), 'Job duration p50 / p95', 'Run time of finished jobs, by template.', 's')
          .withTarget(
            query(
              `histogram_quantile(0.5, sum by (le, template) (rate(flowkube_job_duration_seconds_bucket{${T}}[$__rate_interval])))`,
              'p50 {{template}}'
            )
          )
          .withTarget(
            query(
              `histogram_quantile(0.95, sum by (le, template) (rate(flowkube_job_duration_seconds_bucket{${T}}[$__rate_interval])))`,
              'p95 {{template}}',
              'B'
            )
          )
      )
      .withPanel(
        timeseries(
          id(),
          'Launch rejections by reason',
          'Refused launches per second, by reason.',
          'ops',
          true
        ).withTarget(query('sum by (reason) (rate(flowkube_launch_rejected_total[$__rate_interval]))', '{{reason}}'))
      )
      .withPanel(
        timeseries(
          id(),
          'Jobs deleted',
          'Pods the proxy deleted per second: cancelled by a user or past retention.',
          'ops',
          true
        ).withTarget(query('sum by (reason) (rate(flowkube_jobs_deleted_total[$__rate_interval]))', '{{reason}}'))
      )
      .withRow(new RowBuilder('Proxy').id(id()))
      .withPanel(
        timeseries(
          id(),
          'Requests by route',
          'HTTP requests the proxy served per second, by route and status.',
          'reqps',
          true
        ).withTarget(
          query(
            'sum by (route, status_code) (rate(flowkube_http_request_duration_seconds_count[$__rate_interval]))',
            '{{route}} {{status_code}}'
          )
        )
      )
      .withPanel(
        timeseries(id(), 'Latency p95 by route', '95th percentile of request duration, by route.', 's').withTarget(
          query(
            'histogram_quantile(0.95, sum by (le, route) (rate(flowkube_http_request_duration_seconds_bucket[$__rate_interval])))',
            '{{route}}'
          )
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Server errors (5xx ratio)',
          'Share of requests answered with a 5xx.',
          'percentunit'
        ).withTarget(
          query(
            '(sum(rate(flowkube_http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval])) or vector(0))\n/ sum(rate(flowkube_http_request_duration_seconds_count[$__rate_interval]))',
            '5xx ratio'
          )
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Kubernetes API requests',
          'Requests the proxy made to the Kubernetes API per second, by verb and code.',
          'reqps',
          true
        ).withTarget(
          query('sum by (verb, code) (rate(flowkube_kube_requests_total[$__rate_interval]))', '{{verb}} {{code}}')
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Kubernetes API errors',
          'Kubernetes API answers that mean trouble: 5xx, 403 (RBAC), 429 (throttled), 0 (no answer).',
          'reqps',
          true
        ).withTarget(
          query(
            'sum by (verb, code) (rate(flowkube_kube_requests_total{code=~"5..|0|403|429"}[$__rate_interval])) or vector(0)',
            '{{verb}} {{code}}'
          )
        )
      )
      .withPanel(
        timeseries(
          id(),
          'Watch restarts',
          'Times the proxy restarted its Pod watch, by cause.',
          'short',
          true
        ).withTarget(
          query('sum by (cause) (increase(flowkube_watch_restarts_total[$__rate_interval])) or vector(0)', '{{cause}}')
        )
      )
      .withPanel(
        timeseries(id(), 'Proxy up', '1 while Prometheus can scrape the proxy.', 'short').withTarget(
          query('up{job=~".*flowkube-proxy.*"}', '{{instance}}')
        )
      )
      // kube-state-metrics' CronJob series: each FlowKube schedule is a CronJob, named by its schedule id
      .withRow(new RowBuilder('Schedules (kube-state-metrics)').id(id()))
      .withPanel(
        stat(
          id(),
          'Schedules',
          'Schedules (CronJobs) in the jobs namespace.',
          `count(${CRONJOBS('kube_cronjob_spec_suspend')})`,
          'schedules'
        ).span(8)
      )
      .withPanel(
        stat(
          id(),
          'Suspended',
          'Schedules that are suspended and start no runs.',
          `sum(${CRONJOBS('kube_cronjob_spec_suspend')})`,
          'suspended'
        ).span(8)
      )
      .withPanel(
        stat(
          id(),
          'Runs in progress',
          'Jobs the schedules have running now (status.active).',
          `sum(${CRONJOBS('kube_cronjob_status_active')})`,
          'active'
        ).span(8)
      )
      .withPanel(
        timeseries(
          id(),
          'Next run in',
          'Seconds until each schedule next fires (kube_cronjob_next_schedule_time); below 0 means overdue.',
          's'
        )
          .withTarget(query(`${CRONJOBS('kube_cronjob_next_schedule_time')} - time()`, '{{cronjob}}'))
          .withOverride(SCHEDULE_LINK)
      )
      .withPanel(
        timeseries(
          id(),
          'Since the last run and the last success',
          'Seconds since each schedule last started a run, and since a run of it last succeeded.',
          's'
        )
          .withTarget(query(`time() - ${CRONJOBS('kube_cronjob_status_last_schedule_time')}`, '{{cronjob}} last run'))
          .withTarget(
            query(`time() - ${CRONJOBS('kube_cronjob_status_last_successful_time')}`, '{{cronjob}} last success', 'B')
          )
          .withOverride(SCHEDULE_LINK)
      )
      .withPanel(
        timeseries(id(), 'Active runs by schedule', 'Runs in progress per schedule (status.active).', 'short', true)
          .withTarget(query(`sum by (cronjob) (${CRONJOBS('kube_cronjob_status_active')})`, '{{cronjob}}'))
          .withOverride(SCHEDULE_LINK)
      )
      .withRow(new RowBuilder('Job Pods (Kubernetes)').id(id()))
      .withPanel(
        timeseries(id(), 'CPU by job_type', 'CPU cores used by job Pods (cAdvisor), by job_type.', 'short', true)
          .span(12)
          .withTarget(query(byJobType('container_cpu_usage_seconds_total', true), '{{label_job_type}}'))
      )
      .withPanel(
        timeseries(id(), 'Memory by job_type', 'Working-set memory of job Pods (cAdvisor), by job_type.', 'bytes', true)
          .span(12)
          .withTarget(query(byJobType('container_memory_working_set_bytes', false), '{{label_job_type}}'))
      )
      .build()
  );
}
