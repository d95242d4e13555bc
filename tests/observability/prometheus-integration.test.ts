// A real Prometheus scrapes the real proxy (against the fake Kubernetes API, with real python workers) after a few
// jobs ran: one succeeded, one failed, one cancelled, launches refused by validation and by Kubernetes, a watch
// restarted. Then every overview panel query over the proxy's metrics must return data from it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { build, launch, launchJob, read, waitFor, type Built } from '../../pkg-backend-proxy/test/helper.ts';
import { join } from 'node:path';
import { ROOT, loadDashboard, queriesOf, substitute } from './support/dashboards.ts';
import { type RunningPrometheus, startPrometheus } from '../../pkg-backend-proxy/test/support/prometheus.ts';
import { metricNames } from './support/promql.ts';

// What Grafana would substitute for "All" over a short range; 1s scrapes leave plenty of samples in a minute.
const VALUES = { template: '.*', __rate_interval: '1m', __interval: '15s', __range: '10m', __range_s: '600' };

let built: Built;
let prometheus: RunningPrometheus;

async function jobPhase(id: string): Promise<string> {
  const res = await built.app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
  return res.json().job.phase;
}

before(async () => {
  built = await build();
  const address = await built.app.listen({ host: '127.0.0.1', port: 0 });
  prometheus = await startPrometheus(
    { 'flowkube-proxy': [new URL(address).host] },
    { ruleFiles: [join(ROOT, 'monitoring/alerts/flowkube-rules.yaml')] }
  );

  const ok = await launchJob(built.app, 'basic', { message: 'integration', sleepSeconds: 0 });
  const failing = await launchJob(built.app, 'log-gen', { tasks: 2, taskIntervalMs: 0, fail: true });
  const long = await launchJob(built.app, 'basic', { sleepSeconds: 600 });
  assert.deepEqual([ok.statusCode, failing.statusCode, long.statusCode], [201, 201, 201]);
  // Refused launches: bad parameters (reason invalid), and Kubernetes saying no (kube_forbidden, a 403 request).
  assert.equal((await launchJob(built.app, 'cpu-load', { durationSeconds: 0 })).statusCode, 400);
  built.fake.failNext('create', { status: 403 });
  const refused = await launchJob(built.app, 'cpu-load', { durationSeconds: 1 });
  assert.ok(refused.statusCode >= 500, `a launch Kubernetes forbids is the proxy's failure, got ${refused.statusCode}`);

  await waitFor('the basic job to succeed', async () => (await jobPhase(ok.json().job.id)) === 'Succeeded', 30_000);
  await waitFor(
    'the failing log-gen job to fail',
    async () => (await jobPhase(failing.json().job.id)) === 'Failed',
    30_000
  );
  // A second failure of the same template after Prometheus saw the first: the counter grows while scraped.
  await waitFor(
    'the first failure to be scraped',
    async () => (await prometheus.query('flowkube_jobs_finished_total{phase="Failed"}')).length > 0
  );
  const again = await launchJob(built.app, 'log-gen', { tasks: 1, taskIntervalMs: 0, fail: true });
  await waitFor(
    'the second log-gen job to fail',
    async () => (await jobPhase(again.json().job.id)) === 'Failed',
    30_000
  );
  await waitFor('the long job to run', async () => (await jobPhase(long.json().job.id)) === 'Running', 30_000);
  const cancel = await built.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${long.json().job.id}`,
    headers: launch,
  });
  assert.equal(cancel.statusCode, 202);
  // a cancel keeps the job (it ends Cancelled); a purge deletes a finished one's record now
  const purge = await built.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${again.json().job.id}?purge=true`,
    headers: launch,
  });
  assert.equal(purge.statusCode, 202, purge.body);

  // A watch that must restart: the stream ends and its resourceVersion is too old to resume (410 → re-list).
  built.fake.expireHistory();
  built.fake.closeWatches();
  await waitFor('the proxy to restart its watch', async () =>
    /^flowkube_watch_restarts_total\{[^}]*\} [1-9]/m.test((await built.app.inject({ url: '/metrics' })).body)
  );

  // Two scrapes after the last change, so rates over the window have both ends.
  const scrapesNow = async () =>
    Number((await prometheus.query('count_over_time(up{job="flowkube-proxy"}[10m])'))[0]?.value[1] ?? 0);
  const start = await scrapesNow();
  await waitFor(
    'two scrapes of the finished state',
    async () => {
      const finished = await prometheus.query('sum(flowkube_jobs_finished_total)');
      return Number(finished[0]?.value[1] ?? 0) >= 4 && (await scrapesNow()) >= start + 2;
    },
    30_000
  );
});

after(async () => {
  await prometheus?.stop();
  await built?.close();
});

test('Prometheus scrapes the proxy as job flowkube-proxy', async () => {
  const up = await prometheus.query('up{job=~".*flowkube-proxy.*"}');
  assert.deepEqual(
    up.map((s) => s.value[1]),
    ['1']
  );
});

test('every overview panel query over flowkube_* metrics returns data', async () => {
  const queries = queriesOf(loadDashboard('src/dashboards', 'overview.json')).filter((q) => {
    const names = metricNames(substitute(q.expr, VALUES));
    return names.length > 0 && names.every((n) => n.startsWith('flowkube_') || n === 'up');
  });
  assert.ok(queries.length >= 18, `only ${queries.length} queries`);
  const empty: string[] = [];
  for (const q of queries) {
    // `or vector(0)` shows 0 instead of "No data" in Grafana; here it would hide a query that matches nothing.
    const result = await prometheus.query(substitute(q.expr, VALUES).replace(/\s*or vector\(0\)/g, ''));
    if (result.length === 0) {
      empty.push(`${q.where}: ${q.expr}`);
    }
  }
  assert.deepEqual(empty, []);
});

test('the series carry what the panels group by: templates, phases, reasons, routes, Kubernetes codes', async () => {
  const labels = async (expr: string, label: string) =>
    (await prometheus.query(expr)).map((s) => s.metric[label]).sort();
  // Every catalog template has its series from the proxy's start (at 0); only two were launched.
  assert.deepEqual(await labels('sum by (template) (flowkube_jobs_launched_total) > 0', 'template'), [
    'basic',
    'log-gen',
  ]);
  assert.deepEqual(await labels('sum by (phase) (flowkube_jobs_finished_total) > 0', 'phase'), [
    'Cancelled',
    'Failed',
    'Succeeded',
  ]);
  assert.deepEqual(await labels('sum by (reason) (flowkube_launch_rejected_total)', 'reason'), [
    'invalid',
    'kube_forbidden',
  ]);
  assert.deepEqual(await labels('sum by (reason) (flowkube_jobs_deleted_total)', 'reason'), ['purge']);
  assert.ok(
    (await labels('sum by (code) (flowkube_kube_requests_total{code=~"5..|0|403|429"})', 'code')).includes('403')
  );
  assert.ok((await labels('sum by (route) (flowkube_http_request_duration_seconds_count)', 'route')).length > 0);
  // The template variable's query offers every catalog template, launched or not.
  assert.deepEqual(await labels('count by (template) (flowkube_jobs_launched_total)', 'template'), [
    'basic',
    'cpu-load',
    'log-gen',
  ]);
});

test('the alert rules, loaded into the same Prometheus, report the failed log-gen job and nothing else', async () => {
  const firing = await waitFor('FlowKubeJobFailed to fire', async () => {
    const alerts = (await prometheus.alerts()).filter((a) => a.state === 'firing');
    return alerts.some((a) => a.labels.alertname === 'FlowKubeJobFailed') ? alerts : undefined;
  });
  assert.deepEqual(
    firing.map((a) => [a.labels.alertname, a.labels.template]),
    [['FlowKubeJobFailed', 'log-gen']]
  );
  assert.match(firing[0].annotations.description, /template log-gen ended in phase Failed/);
});
