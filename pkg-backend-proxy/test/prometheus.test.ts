import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, launchJob } from './helper.ts';
import { pollUntil } from './support/processes.ts';
import { startPrometheus } from './support/prometheus.ts';

test('a real Prometheus scrapes /metrics and returns flowkube_jobs_launched_total with its template label', async () => {
  const t = await build();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const prom = await startPrometheus({ 'flowkube-proxy': [new URL(address).host] });
  try {
    assert.equal((await launchJob(t.app, 'cpu-load', { durationSeconds: 1 })).statusCode, 201);
    const sample = await pollUntil(
      'flowkube_jobs_launched_total in Prometheus',
      async () => {
        const result = await prom.query('flowkube_jobs_launched_total');
        return result.find((r) => r.metric.template === 'cpu-load');
      },
      30_000
    );
    assert.equal(sample.metric.job, 'flowkube-proxy');
    assert.equal(sample.value[1], '1');
    const up = await prom.query('up{job="flowkube-proxy"}');
    assert.equal(up[0]?.value[1], '1');
  } finally {
    await prom.stop();
    await t.close();
  }
});
