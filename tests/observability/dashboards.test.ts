// The committed dashboards, checked as Grafana and the databases would see them: schema version, fixed uids,
// variables, data source references, every PromQL query through promtool, every LogQL query through Grafana's
// LogQL grammar, and every flowkube_* metric against the proxy's real metrics registry.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Histogram } from 'prom-client';
import { AUDIT_STREAM_SELECTOR } from '../../pkg-backend-proxy/src/contract/audit.ts';
import { createMetrics } from '../../pkg-backend-proxy/src/metrics.ts';
import {
  DASHBOARD_FILES,
  type Json,
  datasourceRefs,
  interpolatedStrings,
  loadDashboard,
  queriesOf,
  referencedVariables,
  substitute,
} from './support/dashboards.ts';
import { logqlErrors } from './support/logql.ts';
import { metricNames } from './support/promql.ts';
import { checkExpressions } from './support/promtool.ts';

const EXPECTED = {
  'overview.json': {
    uid: 'flowkube-overview',
    title: 'FlowKube / Jobs overview',
    type: 'prometheus',
    other: 'flowkube-logs',
  },
  'logs.json': { uid: 'flowkube-logs', title: 'FlowKube / Job logs', type: 'loki', other: 'flowkube-overview' },
  'audit.json': { uid: 'flowkube-audit', title: 'FlowKube / Audit', type: 'loki', other: 'flowkube-logs' },
} as const;

// Variables Grafana defines itself (https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#global-variables)
// plus the data-link ones (__value, __data, __field, __series) that only exist inside field links.
const GLOBALS = [
  '__rate_interval',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__auto',
  '__from',
  '__to',
  '__all',
  '__dashboard',
  '__user',
  '__org',
  '__value',
  '__data',
  '__field',
  '__series',
];
const PROVISIONED_UIDS = ['flowkube-prometheus', 'flowkube-loki'];

// Values Grafana would put in: "All" and a single selection, with the interval globals Grafana computes.
const GLOBAL_VALUES = { __rate_interval: '1m0s', __interval: '30s', __range: '6h', __range_s: '21600', __auto: '30s' };
const SCENARIOS: Array<Record<string, string>> = [
  { ...GLOBAL_VALUES, template: '.*', job_type: '.+', level: '.*', job: '.*', search: '', user: '.*' },
  {
    ...GLOBAL_VALUES,
    template: '(basic|log-gen)',
    job_type: 'log-gen',
    level: '(WARN|ERROR)',
    job: 'log-gen-x7k2p',
    search: 'task 3',
    user: 'alice',
  },
];

const registry = createMetrics().registry;
const known = new Set(
  registry.getMetricsAsArray().flatMap((m) => {
    const name = m.name;
    return m instanceof Histogram ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  })
);

for (const dir of ['src/dashboards']) {
  for (const file of DASHBOARD_FILES) {
    describe(`${dir}/${file}`, () => {
      const expected = EXPECTED[file as keyof typeof EXPECTED];
      const dashboard: Json = loadDashboard(dir, file);
      const queries = queriesOf(dashboard);

      test('is a current-schema dashboard with its fixed uid and title', () => {
        assert.ok(dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion} is older than Grafana 11`);
        assert.equal(dashboard.uid, expected.uid);
        assert.equal(dashboard.title, expected.title);
        const ids = dashboard.panels.map((p: Json) => p.id);
        assert.ok(
          ids.every((id: unknown) => Number.isInteger(id)),
          'every panel has an id'
        );
        assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
        assert.ok(queries.length > 0);
      });

      test('uses only variables it defines or Grafana provides', () => {
        const defined = new Set(dashboard.templating.list.map((v: Json) => v.name));
        for (const { where, text } of interpolatedStrings(dashboard)) {
          for (const name of referencedVariables(text)) {
            assert.ok(defined.has(name) || GLOBALS.includes(name), `${where} uses undefined variable $${name}`);
          }
        }
      });

      test('points every data source at the ${datasource} variable or a provisioned uid', () => {
        const variable = dashboard.templating.list.find((v: Json) => v.type === 'datasource');
        assert.equal(variable?.name, 'datasource');
        assert.equal(variable.query, expected.type);
        assert.ok(PROVISIONED_UIDS.includes(variable.current.value), 'the default is a provisioned data source');
        const refs = datasourceRefs(dashboard.panels).concat(datasourceRefs(dashboard.templating));
        assert.ok(refs.length > 0);
        for (const ref of refs) {
          assert.ok(
            ref.uid === '${datasource}' || PROVISIONED_UIDS.includes(ref.uid as string),
            `${ref.path} uses uid ${String(ref.uid)}`
          );
        }
      });

      test('links to the other dashboard and to the app pages', () => {
        const urls = dashboard.links.map((l: Json) => l.url);
        assert.ok(urls.includes(`/d/${expected.other}`), `links: ${urls.join(', ')}`);
        assert.ok(urls.includes('/a/flowkube-jobs-app/jobs'));
        assert.ok(urls.includes('/a/flowkube-jobs-app/launch'));
        assert.ok(urls.includes('/a/flowkube-jobs-app/schedules'));
      });

      if (expected.type === 'prometheus') {
        test('every PromQL query passes promtool, with "All" and with a single selection', () => {
          assert.ok(queries.every((q) => q.type === 'prometheus'));
          for (const values of SCENARIOS) {
            const exprs = queries.map((q) => ({ name: q.where, expr: substitute(q.expr, values) }));
            for (const e of exprs) {
              assert.deepEqual(referencedVariables(e.expr), [], `${e.name}: unsubstituted variable in ${e.expr}`);
            }
            const result = checkExpressions(exprs);
            assert.ok(result.ok, result.output);
          }
        });

        test('every flowkube_* metric it reads exists in the proxy registry', () => {
          const used = queries.flatMap((q) => metricNames(substitute(q.expr, SCENARIOS[0])));
          const flowkube = used.filter((n) => n.startsWith('flowkube_'));
          assert.ok(flowkube.length > 0);
          for (const name of flowkube) {
            assert.ok(known.has(name), `${name} is not exported by createMetrics()`);
          }
        });

        test('covers every metric the proxy exports', () => {
          const used = new Set(queries.flatMap((q) => metricNames(substitute(q.expr, SCENARIOS[0]))));
          const own = registry
            .getMetricsAsArray()
            .map((m) => m.name)
            .filter((n) => n.startsWith('flowkube_'));
          const missing = own.filter((n) => ![n, `${n}_bucket`, `${n}_count`, `${n}_sum`].some((v) => used.has(v)));
          assert.deepEqual(missing, []);
        });

        test('shows job Pod CPU and memory by job_type from cAdvisor joined with kube-state-metrics', () => {
          const pods = queries.filter((q) =>
            /container_(cpu_usage_seconds_total|memory_working_set_bytes)/.test(q.expr)
          );
          assert.equal(pods.length, 2);
          for (const q of pods) {
            assert.deepEqual(
              metricNames(substitute(q.expr, SCENARIOS[0])).filter((n) => n.startsWith('kube_')),
              ['kube_pod_labels']
            );
          }
        });

        test('links each per-schedule series to its schedule’s page in the app', () => {
          const perSchedule = dashboard.panels.filter((p: Json) =>
            (p.targets ?? []).some((t: Json) => /kube_cronjob_/.test(t.expr) && /cronjob/.test(t.legendFormat))
          );
          assert.equal(perSchedule.length, 3, perSchedule.map((p: Json) => p.title).join(', '));
          for (const panel of perSchedule) {
            const urls = panel.fieldConfig.overrides
              .flatMap((o: Json) => o.properties)
              .filter((p: Json) => p.id === 'links')
              .flatMap((p: Json) => p.value.map((l: Json) => l.url));
            assert.deepEqual(urls, ['/a/flowkube-jobs-app/schedules/${__field.labels.cronjob}'], panel.title);
          }
        });
      } else {
        test('every LogQL query parses with Grafana’s LogQL grammar, with "All" and with a single selection', () => {
          assert.ok(queries.every((q) => q.type === 'loki'));
          for (const values of SCENARIOS) {
            for (const q of queries) {
              const expr = substitute(q.expr, values);
              assert.deepEqual(referencedVariables(expr), [], `${q.where}: unsubstituted variable in ${expr}`);
              assert.deepEqual(logqlErrors(expr), [], `${q.where}: ${expr}`);
            }
          }
        });
      }
      if (file === 'logs.json') {
        test('selects streams by the bounded labels only and filters the job on structured metadata', () => {
          for (const q of queries.filter((x) => x.panelId !== undefined)) {
            const selector = /\{([^}]*)\}/.exec(q.expr)?.[1] ?? '';
            const labels = [...selector.matchAll(/(\w+)\s*[=!~]/g)].map((m) => m[1]);
            assert.ok(
              labels.every((l) => ['namespace', 'job_type', 'container', 'app'].includes(l)),
              `${q.where}: ${selector}`
            );
          }
          const logs = dashboard.panels.find((p: Json) => p.type === 'logs');
          assert.match(logs.targets[0].expr, /\| pod=~"\$job"/);
          assert.match(logs.targets[0].expr, /\| json/);
        });

        test('the failing-jobs table links each job to its page in the app', () => {
          const table = dashboard.panels.find((p: Json) => p.type === 'table');
          const links = table.fieldConfig.overrides
            .flatMap((o: Json) => o.properties)
            .filter((p: Json) => p.id === 'links');
          assert.equal(links[0].value[0].url, '/a/flowkube-jobs-app/jobs/${__value.raw}');
        });
      }
      if (file === 'audit.json') {
        test('reads only the audit stream of the contract, whose labels are app and stream alone', () => {
          for (const q of queries) {
            assert.equal(/\{[^}]*\}/.exec(q.expr)?.[0], AUDIT_STREAM_SELECTOR, q.where);
          }
        });

        test('counts launches, cancels and rejections by user and template, extracting only those fields', () => {
          const metric = queries.filter((q) => q.expr.startsWith('sum by'));
          const grouped = (kind: string) =>
            metric
              .filter((q) => q.expr.includes(`| event="${kind}"`))
              .map((q) => /^sum by \(([^)]*)\)/.exec(q.expr)![1].split(/,\s*/));
          assert.deepEqual(grouped('launched'), [['launchedBy'], ['template'], ['dashboard', 'panel']]);
          assert.deepEqual(grouped('cancelled'), [['cancelledBy', 'template']]);
          assert.deepEqual(grouped('rejected'), [['reason', 'launchedBy']]);
          for (const q of metric) {
            // a bare `| json` would make every event (its eventId, jobId, time) a series of its own
            assert.match(q.expr, /\| json [a-zA-Z]/, q.where);
            const extracted = /\| json ([^|]*)\|/.exec(q.expr)![1];
            for (const label of /^sum by \(([^)]*)\)/.exec(q.expr)![1].split(/,\s*/)) {
              assert.match(extracted, new RegExp(`\\b${label}\\b`), `${q.where}: ${label} is not extracted`);
            }
          }
          const filtered = metric.filter((q) => q.expr.includes('| event="'));
          assert.ok(filtered.every((q) => q.expr.includes('template=~"$template"') && /By=~"\$user"/.test(q.expr)));
        });

        test('shows the raw audit stream', () => {
          const logs = dashboard.panels.find((p: Json) => p.type === 'logs');
          assert.ok(logs.targets[0].expr.startsWith(AUDIT_STREAM_SELECTOR));
        });
      }
    });
  }
}
