import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCursor } from '../../src/jobs/cursor.ts';
import { JobStore } from '../../src/jobs/job-store.ts';
import type { Job } from '../../src/schemas/index.ts';
import { isPending, settlesWithin } from '../support/promises.ts';

function job(id: string, createdAt: string, extra: Partial<Job> = {}): Job {
  return {
    id,
    template: 'basic',
    params: {},
    phase: 'Pending',
    launchedBy: 'u',
    createdAt,
    schedule: null,
    source: null,
    ...extra,
  };
}

test('lists newest first (ties by id), filtered and limited', () => {
  const s = new JobStore();
  s.upsert({ job: job('a', '2026-01-01T00:00:01.000Z') });
  s.upsert({ job: job('c', '2026-01-01T00:00:03.000Z', { template: 'cpu-load' }) });
  s.upsert({ job: job('b', '2026-01-01T00:00:02.000Z', { phase: 'Running' }) });
  s.upsert({ job: job('b2', '2026-01-01T00:00:02.000Z') });
  assert.deepEqual(
    s.list({ limit: 10 }).map((j) => j.id),
    ['c', 'b2', 'b', 'a']
  );
  assert.deepEqual(
    s.list({ template: 'basic', limit: 2 }).map((j) => j.id),
    ['b2', 'b']
  );
  assert.deepEqual(
    s.list({ phase: 'Running', limit: 10 }).map((j) => j.id),
    ['b']
  );
  s.remove('c');
  assert.deepEqual(
    s.all().map((j) => j.id),
    ['b2', 'b', 'a']
  );
});

test('active counts follow phase changes and deletion marks', () => {
  const s = new JobStore();
  s.upsert({ job: job('a', 'x') });
  s.upsert({ job: job('b', 'x', { template: 'cpu-load', phase: 'Running' }) });
  assert.deepEqual([s.active(), s.active('basic'), s.active('cpu-load')], [2, 1, 1]);
  s.upsert({ job: job('a', 'x', { phase: 'Succeeded' }) });
  s.upsert({ job: job('b', 'x', { template: 'cpu-load', phase: 'Running', deletedAt: 'y' }) });
  assert.deepEqual([s.active(), s.active('basic'), s.active('cpu-load')], [0, 0, 0]);
  s.remove('b');
  assert.equal(s.active(), 0);
});

test('choices: every template and schedule with a job, sorted, until its last job goes', () => {
  const s = new JobStore();
  s.upsert({ job: job('a', '2026-01-01T00:00:01.000Z', { template: 'log-gen', schedule: 'nightly' }) });
  s.upsert({ job: job('b', '2026-01-01T00:00:02.000Z', { schedule: 'hourly' }) });
  s.upsert({ job: job('c', '2026-01-01T00:00:03.000Z') });
  assert.deepEqual(s.choices(), { templates: ['basic', 'log-gen'], schedules: ['hourly', 'nightly'] });
  const same = s.choices();
  s.upsert({ job: job('b', '2026-01-01T00:00:02.000Z', { schedule: 'hourly', phase: 'Running' }) });
  assert.equal(s.choices(), same, 'a phase change keeps the lists');
  s.remove('b');
  assert.deepEqual(s.choices(), { templates: ['basic', 'log-gen'], schedules: ['nightly'] });
  s.remove('c');
  s.upsert({ job: job('a', '2026-01-01T00:00:01.000Z', { template: 'log-gen', schedule: null }) });
  assert.deepEqual(s.choices(), { templates: ['log-gen'], schedules: [] });
});

test('changesSince: each changed id once in its latest state, removed ids apart', () => {
  const s = new JobStore();
  s.upsert({ job: job('a', 'x') });
  const c0 = parseCursor(s.cursor())!;
  s.upsert({ job: job('b', 'x') });
  s.upsert({ job: job('a', 'x', { phase: 'Running' }) });
  s.remove('b');
  const r = s.changesSince(c0);
  assert.ok(!r.expired);
  assert.deepEqual(!r.expired && r.items.map((j) => [j.id, j.phase]), [['a', 'Running']]);
  assert.deepEqual(!r.expired && r.removed, ['b']);
  assert.deepEqual(s.changesSince(parseCursor(s.cursor())!), {
    expired: false,
    cursor: s.cursor(),
    items: [],
    removed: [],
  });
});

test('a cursor older than the kept log has expired; one ahead of the store keeps its place', () => {
  const s = new JobStore({ maxLog: 4 });
  s.listed('100');
  s.settle();
  const start = parseCursor(s.cursor())!;
  assert.equal(start.rv, 100);
  for (let i = 0; i < 10; i++) {
    s.upsert({ job: job(`j${i}`, 'x') }, String(101 + i));
  }
  assert.deepEqual(s.changesSince(start), { expired: true });
  const recent = s.changesSince({ rv: 108 });
  assert.deepEqual(!recent.expired && [recent.cursor, recent.items.map((j) => j.id)], ['110', ['j8', 'j9']]);
  // another replica's watch is ahead: nothing yet, and the client's cursor stays where it was
  assert.deepEqual(s.changesSince({ rv: 120 }), { expired: false, cursor: '120', items: [], removed: [] });
});

test("changes are logged at Kubernetes resourceVersions, a re-list's differences at the list's", () => {
  const s = new JobStore();
  s.listed('50');
  s.upsert({ job: job('a', 'x') }, '40');
  s.upsert({ job: job('b', 'x') }, '45');
  // until the watch runs, the list's differences may still be arriving: the cursor does not claim them yet
  assert.equal(s.cursor(), '50');
  s.settle();
  s.upsert({ job: job('a', 'x', { phase: 'Running' }) }, '60');
  s.advance('70'); // a bookmark
  assert.equal(s.cursor(), '70');
  const afterList = s.changesSince({ rv: 50 });
  assert.deepEqual(!afterList.expired && afterList.items.map((j) => [j.id, j.phase]), [['a', 'Running']]);
  // a re-list at 90 finds b gone: the deletion is logged at 90, not at b's old version (45), so no cursor misses it
  s.listed('90');
  s.remove('b', '45');
  assert.equal(s.cursor(), '90');
  const afterRelist = s.changesSince({ rv: 70 });
  assert.deepEqual(!afterRelist.expired && [afterRelist.cursor, afterRelist.removed], ['90', ['b']]);
  assert.deepEqual(s.changesSince({ rv: 49 }), { expired: true });
});

test('waitForChange resolves on a change, on timeout, on abort and at once after close', async () => {
  const s = new JobStore();
  try {
    const waiting = s.waitForChange(60_000);
    assert.ok(await isPending(waiting), 'a waiter resolved before any change');
    s.upsert({ job: job('a', 'x') });
    await settlesWithin(waiting, 'a waiter after a change');
    await settlesWithin(s.waitForChange(1), 'a waiter after its 1 ms timeout');

    const abort = new AbortController();
    const aborted = s.waitForChange(60_000, abort.signal);
    assert.ok(await isPending(aborted), 'a waiter resolved before its abort');
    abort.abort();
    await settlesWithin(aborted, 'an aborted waiter');

    const open = s.waitForChange(60_000);
    assert.ok(await isPending(open), 'a waiter resolved before close');
    s.close();
    await settlesWithin(open, 'a waiter when the store closes');
    await settlesWithin(s.waitForChange(60_000), 'a waiter on a closed store');
  } finally {
    s.close(); // a waiter this test failed on must not hold the process for its 60 s
  }
});

test('a purged job stays gone when its tombstone arrives after the purge', () => {
  const s = new JobStore();
  s.upsert({
    job: job('gone', '2026-01-01T00:00:01.000Z', { phase: 'Cancelled', cancelledAt: '2026-01-01T00:00:02.000Z' }),
  });
  s.purge('gone');
  assert.equal(s.get('gone'), undefined);
  // the watch's DELETED of the Pod, handled after the purge, makes a tombstone: it must not bring the job back
  s.upsert({ job: job('gone', '2026-01-01T00:00:01.000Z', { phase: 'Cancelled' }), tombstone: true });
  assert.equal(s.get('gone'), undefined);
  // a job of that name that has a Pod is not a tombstone: it is cached as any other
  s.upsert({ job: job('gone', '2026-01-01T00:00:09.000Z') });
  assert.equal(s.get('gone')?.phase, 'Pending');
});
