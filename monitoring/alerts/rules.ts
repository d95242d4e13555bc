// FlowKube's alert rules, written once. scripts/generate-monitoring.mts turns them into the PrometheusRule
// (monitoring/flowkube-prometheusrule.yaml) and Grafana-managed rules (provisioning/alerting/), so the two
// never disagree about a threshold or an annotation.

import { DEFAULT_NAMESPACE as JOBS_NAMESPACE } from '@flowkube/backend-proxy/contract';
import pluginJson from '../../src/plugin.json' with { type: 'json' };

export { JOBS_NAMESPACE };
/** Where the FlowKube app's pages live in Grafana; the app's id is the one in its plugin.json. */
export const APP_BASE = `/a/${pluginJson.id}`;
export const OVERVIEW_UID = 'flowkube-overview';
export const LOGS_UID = 'flowkube-logs';
export const AUDIT_UID = 'flowkube-audit';

export interface AlertRule {
  name: string;
  /** 'prometheus': PromQL, lives in the PrometheusRule and in Grafana; 'loki': LogQL, Grafana (and Loki ruler) only. */
  source: 'prometheus' | 'loki';
  /**
   * Returns one series per thing that is wrong, each with a value > 0; an empty result means all is well.
   * (Grafana's copy fires on `value > 0`, so a comparison like `up == 0`, which keeps the 0, would never fire there.)
   */
  expr: string;
  for: string;
  severity: 'critical' | 'warning';
  summary: string;
  /** Go template over the alert's labels; must name the job (pod) and/or template when the series carries them. */
  description: string;
  /** Path inside Grafana the on-call person should open first. */
  dashboardPath: string;
  /** Set when the series names a Pod: the job's page in the FlowKube app. */
  jobPath?: string;
  /** Set when the series names a CronJob (label `cronjob`, the schedule's id): the schedule's page in the app. */
  schedulePath?: string;
}

// kube_pod_labels carries the Pod's job_type label once kube-state-metrics is told to export it
// (metricLabelsAllowlist pods=[job_type]); it is renamed to `template` so every FlowKube alert speaks one label.
const podsInPhase = (phase: string) => `max by (namespace, pod, template) (
  (kube_pod_status_phase{namespace="${JOBS_NAMESPACE}", phase="${phase}"} == 1)
  * on (namespace, pod) group_left (template)
  max by (namespace, pod, template) (
    label_replace(kube_pod_labels{namespace="${JOBS_NAMESPACE}", label_job_type!=""}, "template", "$1", "label_job_type", "(.*)")
  )
)`;

/** The start time of each Job a schedule's CronJob owns, labelled with the schedule (`cronjob`); the newest per schedule. */
const scheduleRuns = (filter: string) => `max by (namespace, cronjob) (
  label_replace(
    (kube_job_status_start_time{namespace="${JOBS_NAMESPACE}"} ${filter})
    * on (namespace, job_name) group_left (owner_name)
    max by (namespace, job_name, owner_name) (kube_job_owner{namespace="${JOBS_NAMESPACE}", owner_kind="CronJob"}),
    "cronjob", "$1", "owner_name", "(.*)"
  )
)`;

const FAILED = 'flowkube_jobs_finished_total{phase="Failed"}';
const JOB_PAGE = `{{ if $labels.pod }}${APP_BASE}/jobs/{{ $labels.pod }}{{ else }}${APP_BASE}/jobs{{ end }}`;
const jobLabel = '{{ if $labels.pod }}Job {{ $labels.pod }}{{ else }}A job{{ end }}';
// a schedule's id is its CronJob's name, which kube-state-metrics puts in `cronjob`
const SCHEDULE_PAGE = `${APP_BASE}/schedules/{{ $labels.cronjob }}`;

export const alertRules: AlertRule[] = [
  {
    name: 'FlowKubeJobFailed',
    source: 'prometheus',
    // The Pod-level branch names the job; the proxy-counter branch keeps the alert alive on clusters without
    // kube-state-metrics and steps aside where it runs. The proxy starts each catalog template's counters at 0, but a
    // series that did not exist 10 minutes ago still counts (a template added later), if the proxy was scraped then
    // (not just after a Prometheus restart).
    // a cancelled Pod ends Failed too (its deadline lowered to 1 s): the proxy labels it, and a cancel pages no one
    expr: `(${podsInPhase('Failed')}
  unless on (namespace, pod)
  kube_pod_labels{namespace="${JOBS_NAMESPACE}", label_flowkube_io_cancelled="true"})
or
(
  sum by (template) (
    (increase(${FAILED}[10m]) > 0)
    or
    (
      ((${FAILED} > 0) unless ${FAILED} offset 10m)
      and on () count(up{job=~".*flowkube-proxy.*"} offset 10m)
    )
  )
  unless on () count(kube_pod_status_phase{namespace="${JOBS_NAMESPACE}"})
)`,
    for: '0m',
    severity: 'warning',
    summary: 'A FlowKube job failed',
    description: `${jobLabel} of template {{ $labels.template }} ended in phase Failed (non-zero exit, deadline or eviction). Open the job in FlowKube to see its reason and logs.`,
    dashboardPath: `/d/${LOGS_UID}?var-job_type={{ $labels.template }}&var-level=ERROR`,
    jobPath: JOB_PAGE,
  },
  {
    name: 'FlowKubeJobStuckPending',
    source: 'prometheus',
    expr: podsInPhase('Pending'),
    for: '10m',
    severity: 'warning',
    summary: 'A FlowKube job has been Pending for over 10 minutes',
    description: `${jobLabel} of template {{ $labels.template }} has been Pending for more than 10 minutes: the image cannot be pulled, the ResourceQuota of ${JOBS_NAMESPACE} is exhausted or no node fits its requests.`,
    dashboardPath: `/d/${OVERVIEW_UID}?var-template={{ $labels.template }}`,
    jobPath: JOB_PAGE,
  },
  {
    name: 'FlowKubeProxyDown',
    source: 'prometheus',
    expr: `((1 - up{job=~".*flowkube-proxy.*"}) > 0) or absent(up{job=~".*flowkube-proxy.*"})`,
    for: '2m',
    severity: 'critical',
    summary: 'The FlowKube proxy is down',
    description:
      'Prometheus cannot scrape the FlowKube proxy{{ if $labels.instance }} {{ $labels.instance }}{{ end }}: nobody can launch, list or cancel jobs from Grafana (no job or template is affected yet, running Pods keep running).',
    dashboardPath: `/d/${OVERVIEW_UID}`,
  },
  {
    name: 'FlowKubeLaunchErrorsHigh',
    source: 'prometheus',
    expr: `(sum by (reason) (increase(flowkube_launch_rejected_total{reason=~"kube_.*"}[5m])) >= 3)
or
label_replace(
  sum(increase(flowkube_http_request_duration_seconds_count{method="POST", status_code=~"5.."}[5m])) >= 3,
  "reason", "http_5xx", "", ""
)`,
    for: '5m',
    severity: 'warning',
    summary: 'FlowKube launches are failing',
    description:
      'At least 3 job launches (any template) failed in the last 5 minutes with reason {{ $labels.reason }}: Kubernetes refused or did not answer. Check the proxy logs and its RBAC in ' +
      JOBS_NAMESPACE +
      '.',
    dashboardPath: `/d/${OVERVIEW_UID}`,
  },
  {
    name: 'FlowKubeKubeApiErrorsHigh',
    source: 'prometheus',
    expr: `sum by (verb, code) (increase(flowkube_kube_requests_total{code=~"5..|0|403|429"}[5m])) >= 5`,
    for: '5m',
    severity: 'warning',
    summary: 'The FlowKube proxy gets errors from the Kubernetes API',
    description:
      'At least 5 Kubernetes API {{ $labels.verb }} requests answered {{ $labels.code }} (0 = no answer) in 5 minutes; job lists may be stale and launches of any template may fail.',
    dashboardPath: `/d/${OVERVIEW_UID}`,
  },
  {
    name: 'FlowKubeScheduleOverdue',
    source: 'prometheus',
    // kube-state-metrics computes the next time from the CronJob's schedule and lastScheduleTime; well in the past
    // means the cluster is not starting it (CronJob controller down, startingDeadlineSeconds missed, or Forbid
    // waiting on a run that hangs). A suspended schedule is never overdue.
    expr: `(
  time() - max by (namespace, cronjob) (kube_cronjob_next_schedule_time{namespace="${JOBS_NAMESPACE}"}) > 600
)
unless on (namespace, cronjob)
(max by (namespace, cronjob) (kube_cronjob_spec_suspend{namespace="${JOBS_NAMESPACE}"}) == 1)`,
    for: '5m',
    severity: 'warning',
    summary: 'A FlowKube schedule is overdue',
    description: `Schedule {{ $labels.cronjob }} should have started a run of its template more than 10 minutes ago and has not: the cluster is not running it (CronJob controller, startingDeadlineSeconds, or a Forbid schedule whose previous run hangs).`,
    dashboardPath: `/d/${OVERVIEW_UID}`,
    schedulePath: SCHEDULE_PAGE,
  },
  {
    name: 'FlowKubeScheduleLastRunFailed',
    source: 'prometheus',
    // the newest Job a CronJob owns (by start time) is one that failed; kube_job_owner ties Jobs to their CronJob
    expr: `${scheduleRuns('and on (namespace, job_name) (kube_job_status_failed{namespace="' + JOBS_NAMESPACE + '"} > 0)')}
>= on (namespace, cronjob)
${scheduleRuns('')}`,
    for: '0m',
    severity: 'warning',
    summary: "A FlowKube schedule's last run failed",
    description: `The last run of schedule {{ $labels.cronjob }} ended Failed. Open the schedule in FlowKube to see the run's template, reason and logs.`,
    dashboardPath: `/d/${OVERVIEW_UID}`,
    schedulePath: SCHEDULE_PAGE,
  },
  {
    name: 'FlowKubeLogGenErrorRateHigh',
    source: 'loki',
    // `__error__=""` drops non-JSON lines; without it one stray line makes the whole metric query fail.
    expr: `sum by (job_type) (rate({namespace="${JOBS_NAMESPACE}", job_type="log-gen"} | json | __error__="" | level="ERROR" [5m])) > 0.2`,
    for: '5m',
    severity: 'warning',
    summary: 'log-gen jobs log many ERROR lines',
    description:
      'Jobs of template {{ $labels.job_type }} logged more than 0.2 ERROR lines per second over 5 minutes. The logs dashboard lists which jobs (pods) logged them.',
    dashboardPath: `/d/${LOGS_UID}?var-job_type=log-gen&var-level=ERROR`,
  },
];
