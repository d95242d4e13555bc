// Pure renderers from the alert definitions to the three formats that load them.
import type { AlertRule } from './rules.ts';

export const PROMETHEUS_UID = 'flowkube-prometheus';
export const LOKI_UID = 'flowkube-loki';
const GROUP = 'flowkube';

function annotations(rule: AlertRule): Record<string, string> {
  return {
    summary: rule.summary,
    description: rule.description,
    dashboard_url: rule.dashboardPath,
    ...(rule.jobPath ? { job_url: rule.jobPath } : {}),
    ...(rule.schedulePath ? { schedule_url: rule.schedulePath } : {}),
  };
}

function prometheusStyleRule(rule: AlertRule) {
  return {
    alert: rule.name,
    expr: rule.expr,
    ...(rule.for === '0m' ? {} : { for: rule.for }),
    labels: { severity: rule.severity, app: 'flowkube' },
    annotations: annotations(rule),
  };
}

/** Prometheus-format rule groups: the PrometheusRule's spec, and what promtool checks and unit-tests. */
export function prometheusRuleGroups(rules: AlertRule[]) {
  return {
    groups: [{ name: GROUP, rules: rules.filter((r) => r.source === 'prometheus').map(prometheusStyleRule) }],
  };
}

/** The Prometheus Operator object kube-prometheus-stack's Prometheus loads (label `release` matches its selector). */
export function prometheusRule(rules: AlertRule[]) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'flowkube',
      namespace: 'flowkube-monitoring',
      labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/part-of': 'flowkube' },
    },
    spec: prometheusRuleGroups(rules),
  };
}

/** Loki ruler rule groups (same format as Prometheus'), for the Loki chart's rules sidecar. */
export function lokiRuleGroups(rules: AlertRule[]) {
  return {
    groups: [{ name: GROUP, rules: rules.filter((r) => r.source === 'loki').map(prometheusStyleRule) }],
  };
}

/** FlowKubeJobFailed → flowkube-job-failed (Grafana uids: at most 40 characters, stable across edits of the title). */
function uidOf(name: string): string {
  return `flowkube-${name
    .replace(/^FlowKube/, '')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()}`;
}

// Grafana evaluates A (the query) → B (last value per series) → C (B > 0); an empty A is "no data", which is OK.
function grafanaRule(rule: AlertRule) {
  const isLoki = rule.source === 'loki';
  const query = isLoki
    ? { refId: 'A', expr: rule.expr, queryType: 'instant', datasource: { type: 'loki', uid: LOKI_UID } }
    : {
        refId: 'A',
        expr: rule.expr,
        instant: true,
        range: false,
        datasource: { type: 'prometheus', uid: PROMETHEUS_UID },
      };
  const expression = { type: '__expr__', uid: '__expr__' };
  return {
    uid: uidOf(rule.name),
    title: rule.name,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 900, to: 0 },
        datasourceUid: isLoki ? LOKI_UID : PROMETHEUS_UID,
        model: query,
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        model: {
          refId: 'B',
          type: 'reduce',
          expression: 'A',
          reducer: 'last',
          settings: { mode: 'dropNN' },
          datasource: expression,
        },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [0] } }],
          datasource: expression,
        },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: rule.for,
    annotations: annotations(rule),
    labels: { severity: rule.severity, app: 'flowkube' },
    isPaused: false,
  };
}

/** Grafana alerting provisioning file (provisioning/alerting/). */
export function grafanaAlerting(rules: AlertRule[]) {
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: GROUP, folder: 'FlowKube', interval: '1m', rules: rules.map(grafanaRule) }],
  };
}
