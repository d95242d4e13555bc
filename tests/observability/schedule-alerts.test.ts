// The two schedule alerts in a real Prometheus, scraping kube-state-metrics' series for CronJobs and Jobs (names and
// labels as kube-state-metrics v2 exports them: internal/store/cronjob.go and job.go) from a stand-in exporter.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitFor } from '../../pkg-backend-proxy/test/helper.ts';
import { type RunningPrometheus, startPrometheus } from '../../pkg-backend-proxy/test/support/prometheus.ts';
import { ROOT } from './support/dashboards.ts';

const NS = 'flowkube-jobs';

/** What kube-state-metrics shows for four schedules: overdue, on time, suspended, last run failed. */
function exposition(nowSeconds: number): string {
  const cron = (name: string, next: number, suspend: number) =>
    [
      `kube_cronjob_next_schedule_time{namespace="${NS}",cronjob="${name}"} ${next}`,
      `kube_cronjob_spec_suspend{namespace="${NS}",cronjob="${name}"} ${suspend}`,
    ].join('\n');
  const job = (name: string, owner: string, start: number, failed: number) =>
    [
      `kube_job_owner{namespace="${NS}",job_name="${name}",owner_kind="CronJob",owner_name="${owner}",owner_is_controller="true"} 1`,
      `kube_job_status_start_time{namespace="${NS}",job_name="${name}"} ${start}`,
      `kube_job_status_failed{namespace="${NS}",job_name="${name}"} ${failed}`,
    ].join('\n');
  return `${[
    '# TYPE kube_cronjob_next_schedule_time gauge',
    cron('basic-late', nowSeconds - 3600, 0),
    cron('basic-fine', nowSeconds + 300, 0),
    cron('basic-paused', nowSeconds - 3600, 1),
    cron('basic-broken', nowSeconds + 300, 0),
    job('basic-broken-1', 'basic-broken', nowSeconds - 7200, 0),
    job('basic-broken-2', 'basic-broken', nowSeconds - 3600, 1),
    job('basic-fine-1', 'basic-fine', nowSeconds - 7200, 1),
    job('basic-fine-2', 'basic-fine', nowSeconds - 3600, 0),
  ].join('\n')}\n`;
}

let exporter: Server;
let prometheus: RunningPrometheus;

before(async () => {
  exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition(Math.floor(Date.now() / 1000)));
  });
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  const { port } = exporter.address() as AddressInfo;
  prometheus = await startPrometheus(
    { 'kube-state-metrics': [`127.0.0.1:${port}`] },
    { ruleFiles: [join(ROOT, 'monitoring/alerts/flowkube-rules.yaml')] }
  );
});

after(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => exporter?.close(resolve));
});

test('an overdue schedule is pending (for 5m) and a failed last run fires; on-time and suspended ones stay quiet', async () => {
  const alerts = await waitFor(
    'both schedule alerts',
    async () => {
      const all = (await prometheus.alerts()).filter((a) => a.labels.alertname?.startsWith('FlowKubeSchedule'));
      return all.length >= 2 ? all : undefined;
    },
    20_000
  );
  const seen = alerts.map((a) => [a.labels.alertname, a.labels.cronjob, a.state]).sort();
  assert.deepEqual(seen, [
    ['FlowKubeScheduleLastRunFailed', 'basic-broken', 'firing'],
    ['FlowKubeScheduleOverdue', 'basic-late', 'pending'],
  ]);
  const failed = alerts.find((a) => a.labels.alertname === 'FlowKubeScheduleLastRunFailed');
  assert.match(failed?.annotations.description ?? '', /The last run of schedule basic-broken ended Failed/);
});
