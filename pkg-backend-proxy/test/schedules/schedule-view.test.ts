import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1CronJob } from '@kubernetes/client-node';
import type { Job } from '../../src/schemas/index.ts';
import { scheduleFromCronJob } from '../../src/schedules/schedule-view.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

function cronJob(spec: Partial<NonNullable<V1CronJob['spec']>> = {}, status: V1CronJob['status'] = {}): V1CronJob {
  return {
    metadata: {
      name: 'basic-bcdfghjklm',
      creationTimestamp: '2026-11-30T08:00:00Z' as unknown as Date,
      labels: { 'flowkube.io/template': 'basic' },
      annotations: { 'flowkube.io/created-by': 'alice', 'flowkube.io/params': '{"message":"hi","sleepSeconds":5}' },
    },
    spec: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', jobTemplate: {}, ...spec },
    status,
  };
}

const run = (id: string, phase: Job['phase']): Job => ({
  id,
  template: 'basic',
  params: {},
  phase,
  launchedBy: 'schedule:basic-bcdfghjklm',
  createdAt: '2026-12-01T01:00:00.000Z',
  schedule: 'basic-bcdfghjklm',
  source: null,
});

test('a CronJob as a schedule: identity, params, the cron in words, the next run in its zone', () => {
  const s = scheduleFromCronJob(cronJob(), [], NOW);
  assert.deepEqual(s, {
    id: 'basic-bcdfghjklm',
    template: 'basic',
    params: { message: 'hi', sleepSeconds: 5 },
    schedule: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    description: 'At 02:00 AM',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    createdBy: 'alice',
    createdAt: '2026-11-30T08:00:00.000Z',
    // 02:00 in Berlin (UTC+1 in December)
    nextRunAt: '2026-12-02T01:00:00.000Z',
    active: [],
  });
});

test('runs give active and lastRun as job ids; status times are copied; suspended has no next run', () => {
  const s = scheduleFromCronJob(
    cronJob(
      { suspend: true },
      {
        lastScheduleTime: '2026-12-01T01:00:00Z' as unknown as Date,
        lastSuccessfulTime: new Date('2026-11-30T01:00:05Z'),
      }
    ),
    [run('basic-bcdfghjklm-29412345-x7k2p', 'Running'), run('basic-bcdfghjklm-29410905-b4n8q', 'Succeeded')],
    NOW
  );
  assert.equal(s.suspend, true);
  assert.equal(s.nextRunAt, undefined);
  assert.deepEqual(s.active, ['basic-bcdfghjklm-29412345-x7k2p']);
  assert.deepEqual(s.lastRun, { id: 'basic-bcdfghjklm-29412345-x7k2p', phase: 'Running' });
  assert.equal(s.lastScheduleTime, '2026-12-01T01:00:00.000Z');
  assert.equal(s.lastSuccessfulTime, '2026-11-30T01:00:05.000Z');
});

test('a CronJob without time zone reads in UTC; unknown policies and bad params do not break the view', () => {
  const cj = cronJob({ timeZone: undefined, concurrencyPolicy: 'Sometimes' });
  cj.metadata!.annotations!['flowkube.io/params'] = 'not json';
  const s = scheduleFromCronJob(cj, [], NOW);
  assert.equal(s.timeZone, 'UTC');
  assert.equal(s.nextRunAt, '2026-12-02T02:00:00.000Z');
  assert.equal(s.concurrencyPolicy, 'Allow');
  assert.deepEqual(s.params, {});
});
