// FlowKube's alert rules in all three shapes (PrometheusRule, Grafana-managed, Loki ruler), checked by the real
// promtool and Grafana's LogQL grammar, and unit-tested with `promtool test rules` on synthetic series.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { createMetrics } from '../../pkg-backend-proxy/src/metrics.ts';
import pluginJson from '../../src/plugin.json' with { type: 'json' };
import { type Json, ROOT } from './support/dashboards.ts';
import { logqlErrors } from './support/logql.ts';
import { metricNames } from './support/promql.ts';
import { checkExpressions, checkRuleGroups, promtool } from './support/promtool.ts';

const read = (path: string): Json => parse(readFileSync(join(ROOT, path), 'utf8'));

const prometheusRule = read('monitoring/flowkube-prometheusrule.yaml');
const grafana = read('provisioning/alerting/flowkube-alerts.yaml');
const lokiConfigMap = read('monitoring/flowkube-loki-rules.yaml');
const lokiGroups = parse(lokiConfigMap.data['flowkube.yaml']);

const EXPECTED_ALERTS = [
  'FlowKubeJobFailed',
  'FlowKubeJobStuckPending',
  'FlowKubeProxyDown',
  'FlowKubeLaunchErrorsHigh',
  'FlowKubeKubeApiErrorsHigh',
  'FlowKubeScheduleOverdue',
  'FlowKubeScheduleLastRunFailed',
];
const LOG_ALERT = 'FlowKubeLogGenErrorRateHigh';

describe('PrometheusRule (kube-prometheus-stack)', () => {
  test('is a PrometheusRule kube-prometheus-stack picks up, with every Prometheus alert', () => {
    assert.equal(prometheusRule.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(prometheusRule.kind, 'PrometheusRule');
    assert.equal(prometheusRule.metadata.namespace, 'flowkube-monitoring');
    assert.equal(prometheusRule.metadata.labels.release, 'kube-prometheus-stack');
    const names = prometheusRule.spec.groups.flatMap((g: Json) => g.rules.map((r: Json) => r.alert));
    // The log alert needs LogQL, which Prometheus cannot evaluate: it lives in Grafana and the Loki ruler.
    assert.deepEqual(names, EXPECTED_ALERTS);
  });

  test('its spec passes `promtool check rules`', () => {
    const result = checkRuleGroups(prometheusRule.spec);
    assert.ok(result.ok, result.output);
    assert.match(result.output, /SUCCESS: 7 rules found/);
  });

  test('its spec is the rule file the promtool unit tests load', () => {
    assert.deepEqual(read('monitoring/alerts/flowkube-rules.yaml'), prometheusRule.spec);
  });

  test('every alert has a summary, a description naming job or template, and a dashboard link', () => {
    for (const rule of prometheusRule.spec.groups[0].rules) {
      assert.ok(rule.annotations.summary, rule.alert);
      assert.match(rule.annotations.description, /\$labels\.(pod|template|verb|reason)|template/, rule.alert);
      assert.match(rule.annotations.dashboard_url, /^\/d\/flowkube-(overview|logs)/, rule.alert);
      assert.ok(['critical', 'warning'].includes(rule.labels.severity), rule.alert);
    }
  });

  test('an alert about a schedule links to that schedule’s page, which the app serves', () => {
    const pages = (pluginJson.includes as Array<{ type: string; path?: string }>).flatMap((i) =>
      i.type === 'page' && i.path ? [i.path.replace('%PLUGIN_ID%', pluginJson.id)] : []
    );
    const scheduleRules = prometheusRule.spec.groups[0].rules.filter((r: Json) => /cronjob/.test(r.expr));
    assert.deepEqual(
      scheduleRules.map((r: Json) => r.alert),
      ['FlowKubeScheduleOverdue', 'FlowKubeScheduleLastRunFailed']
    );
    for (const rule of scheduleRules) {
      assert.equal(rule.annotations.schedule_url, `/a/${pluginJson.id}/schedules/{{ $labels.cronjob }}`, rule.alert);
      assert.ok(pages.includes(rule.annotations.schedule_url.replace(/\/\{\{.*$/, '')), 'a page in plugin.json');
    }
  });

  test('reads only flowkube_* metrics that the proxy exports', () => {
    const metrics = createMetrics().registry.getMetricsAsArray();
    const known = new Set(metrics.flatMap((m) => [m.name, `${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`]));
    for (const rule of prometheusRule.spec.groups[0].rules) {
      for (const name of metricNames(rule.expr).filter((n) => n.startsWith('flowkube_'))) {
        assert.ok(known.has(name), `${rule.alert} reads ${name}, which createMetrics() does not export`);
      }
    }
  });
});

describe('promtool unit tests (monitoring/alerts/tests)', () => {
  const dir = join(ROOT, 'monitoring/alerts/tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  test('pass, and cover every Prometheus alert firing and staying quiet', () => {
    assert.ok(files.length > 0);
    const result = promtool(['test', 'rules', ...files], dir);
    assert.ok(result.ok, result.output);
    for (const alert of EXPECTED_ALERTS) {
      const cases = files.flatMap((f) =>
        read(`monitoring/alerts/tests/${f}`).tests.flatMap((t: Json) => t.alert_rule_test ?? [])
      );
      const own = cases.filter((c: Json) => c.alertname === alert);
      assert.ok(
        own.some((c: Json) => c.exp_alerts?.length > 0),
        `${alert} is never shown firing`
      );
      assert.ok(
        own.some((c: Json) => (c.exp_alerts ?? []).length === 0),
        `${alert} is never shown staying quiet`
      );
    }
  });
});

describe('Grafana-managed alert rules (provisioning/alerting)', () => {
  const rules: Json[] = grafana.groups.flatMap((g: Json) => g.rules);

  test('hold every alert, the log alert included, with unique uids', () => {
    assert.equal(grafana.apiVersion, 1);
    assert.deepEqual(
      rules.map((r) => r.title),
      [...EXPECTED_ALERTS, LOG_ALERT]
    );
    assert.equal(new Set(rules.map((r) => r.uid)).size, rules.length);
    for (const rule of rules) {
      assert.match(rule.uid, /^flowkube-[a-z0-9-]+$/);
      assert.ok(rule.uid.length <= 40, `${rule.uid} is longer than Grafana allows`);
      // Grafana expands $VAR from the environment in provisioned labels (not in annotations or the query model).
      assert.ok(
        Object.values(rule.labels).every((v) => !String(v).includes('$')),
        `${rule.title} labels`
      );
    }
  });

  test('query the provisioned data sources and fire on A → last → > 0', () => {
    for (const rule of rules) {
      const [a, b, c] = rule.data;
      assert.ok(['flowkube-prometheus', 'flowkube-loki'].includes(a.datasourceUid), rule.title);
      assert.equal(a.model.datasource.uid, a.datasourceUid);
      assert.deepEqual(
        [b.model.type, b.model.expression, c.model.type, c.model.expression],
        ['reduce', 'A', 'threshold', 'B']
      );
      assert.equal(rule.condition, 'C');
      assert.equal(rule.noDataState, 'OK', `${rule.title}: an empty result means nothing is wrong`);
      assert.ok(rule.annotations.summary && rule.annotations.description && rule.annotations.dashboard_url, rule.title);
    }
  });

  test('every PromQL query passes promtool', () => {
    const prom = rules.filter((r) => r.data[0].datasourceUid === 'flowkube-prometheus');
    assert.equal(prom.length, EXPECTED_ALERTS.length);
    const result = checkExpressions(prom.map((r) => ({ name: r.title, expr: r.data[0].model.expr })));
    assert.ok(result.ok, result.output);
  });

  test('agree with the PrometheusRule on every expression and duration', () => {
    const byName = new Map(prometheusRule.spec.groups[0].rules.map((r: Json) => [r.alert, r]));
    for (const rule of rules.filter((r) => byName.has(r.title))) {
      const prom = byName.get(rule.title) as Json;
      assert.equal(rule.data[0].model.expr, prom.expr, rule.title);
      assert.equal(rule.for, prom.for ?? '0m', rule.title);
    }
  });

  test('the log-gen alert is valid LogQL on the bounded labels', () => {
    const rule = rules.find((r) => r.title === LOG_ALERT);
    assert.equal(rule.data[0].datasourceUid, 'flowkube-loki');
    const expr: string = rule.data[0].model.expr;
    assert.deepEqual(logqlErrors(expr), [], expr);
    assert.match(expr, /\{namespace="flowkube-jobs", job_type="log-gen"\}/);
    assert.match(expr, /level="ERROR"/);
  });
});

describe('Loki ruler rules (monitoring/flowkube-loki-rules.yaml)', () => {
  test('a ConfigMap the Loki chart’s rules sidecar loads, whose rules parse as LogQL', () => {
    assert.equal(lokiConfigMap.kind, 'ConfigMap');
    assert.ok('loki_rule' in lokiConfigMap.metadata.labels);
    const rules = lokiGroups.groups.flatMap((g: Json) => g.rules);
    assert.deepEqual(
      rules.map((r: Json) => r.alert),
      [LOG_ALERT]
    );
    for (const rule of rules) {
      assert.deepEqual(logqlErrors(rule.expr), [], rule.expr);
    }
  });
});
