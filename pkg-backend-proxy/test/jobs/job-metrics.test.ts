import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trackJobMetrics } from '../../src/jobs/job-metrics.ts';
import { JobStore } from '../../src/jobs/job-store.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Job, JobPhase } from '../../src/schemas/index.ts';

function job(id: string, phase: JobPhase, extra: Partial<Job> = {}): Job {
  const finished = phase === 'Succeeded' || phase === 'Failed' || phase === 'Cancelled';
  return {
    id,
    template: 'basic',
    params: {},
    phase,
    launchedBy: 'u',
    createdAt: '2026-12-03T10:00:00.000Z',
    schedule: null,
    source: null,
    ...(finished && {
      startedAt: '2026-12-03T10:00:01.000Z',
      finishedAt: '2026-12-03T10:00:05.000Z',
      durationSeconds: 4,
    }),
    ...extra,
  };
}

async function finishes(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const { values } = await metrics.jobsFinished.get();
  return Object.fromEntries(values.filter((v) => v.value > 0).map((v) => [v.labels.phase, v.value]));
}

async function durations(metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const { values } = await metrics.jobDuration.get();
  return values.filter((v) => v.metricName === 'flowkube_job_duration_seconds_count').reduce((n, v) => n + v.value, 0);
}

test('a finish is counted once: on the change into a finished phase, not on later changes', async () => {
  const store = new JobStore();
  const metrics = createMetrics();
  trackJobMetrics(store, metrics, () => true);
  store.upsert({ job: job('a', 'Pending') });
  store.upsert({ job: job('a', 'Running') });
  assert.deepEqual(await finishes(metrics), {});
  store.upsert({ job: job('a', 'Failed', { reason: 'DeadlineExceeded' }) });
  // the cancel annotation lands after the deadline stopped the Pod: Failed becomes Cancelled, no second finish
  store.upsert({ job: job('a', 'Cancelled', { reason: 'DeadlineExceeded', cancelledBy: 'ann' }) });
  store.upsert({ job: job('a', 'Cancelled', { reason: 'DeadlineExceeded', cancelledBy: 'ann', message: 'x' }) });
  assert.deepEqual(await finishes(metrics), { Failed: 1 });
  assert.equal(await durations(metrics), 1);
});

test('Pods over before the first list are left to the process that saw them finish; later ones count', async () => {
  const store = new JobStore();
  const metrics = createMetrics();
  let synced = false;
  trackJobMetrics(store, metrics, () => synced);
  store.upsert({ job: job('old', 'Succeeded') });
  // a Pod seen running in the first list, finishing before it completes, finished here
  store.upsert({ job: job('running', 'Running') });
  store.upsert({ job: job('running', 'Succeeded') });
  assert.deepEqual(await finishes(metrics), { Succeeded: 1 });
  synced = true;
  store.upsert({ job: job('old', 'Succeeded', { message: 'changed' }) });
  store.upsert({ job: job('new', 'Failed') });
  assert.deepEqual(await finishes(metrics), { Succeeded: 1, Failed: 1 });
  // the gauge follows every record in and out
  store.remove('old');
  const active = (await metrics.jobsActive.get()).values.filter((v) => v.value !== 0);
  assert.deepEqual(
    active.map((v) => [v.labels.phase, v.value]),
    [
      ['Succeeded', 1],
      ['Failed', 1],
    ]
  );
});
