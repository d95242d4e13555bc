import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isActive } from '../../src/contract/phases.ts';
import { HttpError } from '../../src/http-error.ts';
import { listPage } from '../../src/jobs/list-query.ts';
import type { Job, JobListQuery } from '../../src/schemas/index.ts';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function job(i: number, over: Partial<Job> = {}): Job {
  return {
    id: `job-${String(i).padStart(3, '0')}`,
    template: i % 3 === 0 ? 'basic' : 'cpu-load',
    params: { n: i },
    phase: 'Pending',
    launchedBy: i % 2 === 0 ? 'alice' : 'bob',
    createdAt: at(i),
    schedule: null,
    source: null,
    ...over,
  };
}

function finished(i: number, phase: 'Succeeded' | 'Failed', duration: number): Job {
  return job(i, { phase, startedAt: at(i + 1), finishedAt: at(i + 1 + duration), durationSeconds: duration });
}

const ids = (jobs: Job[]) => jobs.map((j) => j.id);
const NOW = T0 + 10_000_000;

test('sorts by created (newest first by default), template, finished, duration and phase, either way', () => {
  const jobs = [finished(1, 'Succeeded', 30), finished(2, 'Failed', 5), job(3), finished(4, 'Succeeded', 10)];
  assert.deepEqual(ids(listPage(jobs, {}, NOW).items), ['job-004', 'job-003', 'job-002', 'job-001']);
  assert.deepEqual(ids(listPage(jobs, { order: 'asc' }, NOW).items), ['job-001', 'job-002', 'job-003', 'job-004']);
  assert.deepEqual(ids(listPage(jobs, { sort: 'duration', order: 'asc' }, NOW).items), [
    'job-002',
    'job-004',
    'job-001',
    'job-003', // no duration yet: last, whatever the order
  ]);
  assert.deepEqual(ids(listPage(jobs, { sort: 'duration' }, NOW).items), ['job-001', 'job-004', 'job-002', 'job-003']);
  assert.deepEqual(ids(listPage(jobs, { sort: 'finished' }, NOW).items), ['job-001', 'job-004', 'job-002', 'job-003']);
  // template, then id in the same direction
  assert.deepEqual(ids(listPage(jobs, { sort: 'template', order: 'asc' }, NOW).items), [
    'job-003',
    'job-001',
    'job-002',
    'job-004',
  ]);
  // lifecycle order: Pending, Running, Succeeded, Failed, …
  assert.deepEqual(ids(listPage(jobs, { sort: 'phase', order: 'asc' }, NOW).items), [
    'job-003',
    'job-001',
    'job-004',
    'job-002',
  ]);
});

test('q searches id, template, launchedBy, reason and param values, ignoring case; counts ignore the phase', () => {
  const jobs = [
    job(1, { reason: 'ImagePullBackOff' }),
    finished(2, 'Failed', 1),
    finished(3, 'Succeeded', 1),
    job(4, { params: { region: 'EU-West' } }),
  ];
  assert.deepEqual(ids(listPage(jobs, { q: 'imagepull' }, NOW).items), ['job-001']);
  assert.deepEqual(ids(listPage(jobs, { q: 'eu-west' }, NOW).items), ['job-004']);
  assert.deepEqual(ids(listPage(jobs, { q: 'BOB' }, NOW).items), ['job-003', 'job-001']);
  assert.deepEqual(ids(listPage(jobs, { q: 'job-002' }, NOW).items), ['job-002']);
  const failed = listPage(jobs, { phase: 'Failed', template: 'cpu-load' }, NOW);
  assert.deepEqual(ids(failed.items), ['job-002']);
  // job-003 is basic: the counts follow the template filter but not the phase
  assert.deepEqual(failed.counts, { Pending: 2, Failed: 1 });
});

test('phase=active keeps what isActive keeps (the launch limits count), and counts it for the filter', () => {
  const asked = { cancelledAt: at(50), cancelledBy: 'alice' };
  const jobs = [
    job(1),
    job(2, { phase: 'Running', startedAt: at(3) }),
    job(3, { phase: 'Running', startedAt: at(4), ...asked }),
    job(4, { deletedAt: at(50) }),
    finished(5, 'Succeeded', 1),
    job(6, { phase: 'Unknown' }),
    job(7, { phase: 'Running', startedAt: at(8) }),
  ];
  const active = listPage(jobs, { phase: 'active' }, NOW);
  assert.deepEqual(ids(active.items), ['job-007', 'job-002', 'job-001']);
  assert.deepEqual(
    ids(active.items),
    ids(jobs.filter((j) => isActive(j)).reverse()),
    'the contract predicate, which admission counts'
  );
  assert.equal(active.activeCount, 3);
  assert.deepEqual(active.counts, listPage(jobs, {}, NOW).counts, 'counts ignore the phase');
  // with a filter: counted in the same pass as the per-phase counts; job-003 is basic, job-001 and job-007 cpu-load
  const cpu = listPage(jobs, { phase: 'active', template: 'cpu-load' }, NOW);
  assert.deepEqual(ids(cpu.items), ['job-007', 'job-002', 'job-001']);
  assert.equal(cpu.activeCount, 3);
  assert.equal(listPage(jobs, { template: 'basic' }, NOW).activeCount, 0);
  assert.equal(listPage(jobs, { q: 'bob', phase: 'Succeeded' }, NOW).activeCount, 2);
  const token = listPage(jobs, { phase: 'active', limit: 2 }, NOW).continue!;
  assert.deepEqual(ids(listPage(jobs, { phase: 'active', limit: 2, continue: token }, NOW).items), ['job-001']);
  assert.throws(() => listPage(jobs, { phase: 'Running', limit: 2, continue: token }, NOW), HttpError);
});

test('schedule keeps the runs of one schedule; counts follow it, a token of another schedule is refused', () => {
  const jobs = [
    job(1, { schedule: 'nightly' }),
    finished(2, 'Failed', 1),
    { ...finished(3, 'Succeeded', 1), schedule: 'nightly' },
    job(4, { schedule: 'hourly' }),
  ];
  const nightly = listPage(jobs, { schedule: 'nightly' }, NOW);
  assert.deepEqual(ids(nightly.items), ['job-003', 'job-001']);
  assert.deepEqual(nightly.counts, { Pending: 1, Succeeded: 1 });
  const token = listPage(jobs, { schedule: 'nightly', limit: 1 }, NOW).continue!;
  assert.deepEqual(ids(listPage(jobs, { schedule: 'nightly', limit: 1, continue: token }, NOW).items), ['job-001']);
  assert.throws(() => listPage(jobs, { schedule: 'hourly', continue: token }, NOW), HttpError);
});

test('dashboard and panel keep the jobs of one launcher panel; a token of another panel is refused', () => {
  const on = (dashboardUid: string, panelId: number) => ({ source: { dashboardUid, panelId } });
  const jobs = [
    job(1, on('runbook', 2)),
    job(2, on('runbook', 3)),
    job(3, on('other', 2)),
    job(4),
    job(5, on('runbook', 2)),
  ];
  assert.deepEqual(ids(listPage(jobs, { dashboard: 'runbook', panel: 2 }, NOW).items), ['job-005', 'job-001']);
  assert.deepEqual(ids(listPage(jobs, { dashboard: 'runbook' }, NOW).items), ['job-005', 'job-002', 'job-001']);
  assert.deepEqual(listPage(jobs, { dashboard: 'runbook', panel: 2 }, NOW).counts, { Pending: 2 });
  const token = listPage(jobs, { dashboard: 'runbook', panel: 2, limit: 1 }, NOW).continue!;
  assert.deepEqual(ids(listPage(jobs, { dashboard: 'runbook', panel: 2, limit: 1, continue: token }, NOW).items), [
    'job-001',
  ]);
  assert.throws(() => listPage(jobs, { dashboard: 'runbook', panel: 3, continue: token }, NOW), HttpError);
});

test('limit pages with a continue token that is absent on the last page', () => {
  const jobs = Array.from({ length: 7 }, (_, i) => job(i));
  const first = listPage(jobs, { limit: 3 }, NOW);
  assert.deepEqual(ids(first.items), ['job-006', 'job-005', 'job-004']);
  const second = listPage(jobs, { limit: 3, continue: first.continue }, NOW);
  assert.deepEqual(ids(second.items), ['job-003', 'job-002', 'job-001']);
  const last = listPage(jobs, { limit: 3, continue: second.continue }, NOW);
  assert.deepEqual(ids(last.items), ['job-000']);
  assert.equal(last.continue, undefined);
  assert.equal(listPage(jobs, { limit: 7 }, NOW).continue, undefined);
});

test('a continue token from another query or not from us is a 400 naming it', () => {
  const jobs = Array.from({ length: 4 }, (_, i) => job(i));
  const token = listPage(jobs, { limit: 1 }, NOW).continue!;
  for (const query of [
    { continue: token, sort: 'duration' },
    { continue: token, order: 'asc' },
    { continue: token, q: 'x' },
    { continue: 'not-a-token' },
    { continue: Buffer.from('{"s":"created"}').toString('base64url') },
  ] as JobListQuery[]) {
    assert.throws(
      () => listPage(jobs, query, NOW),
      (err: unknown) => err instanceof HttpError && err.statusCode === 400 && /^continue /.test(err.message),
      JSON.stringify(query)
    );
  }
});

test('pages stay consistent while jobs change: no job present all along is skipped or repeated', () => {
  for (const sort of ['created', 'finished', 'duration', 'template', 'phase'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      let clock = T0 + 1000_000;
      const store = new Map<string, Job>();
      for (let i = 0; i < 60; i++) {
        const j =
          i % 4 === 0
            ? finished(i, 'Succeeded', i)
            : i % 4 === 1
              ? job(i, { phase: 'Running', startedAt: at(i + 1) })
              : job(i);
        store.set(j.id, j);
      }
      const present = new Set(store.keys());
      const seen: string[] = [];
      let token: string | undefined;
      let n = 60;
      do {
        const page = listPage(store.values(), { sort, order, limit: 7, continue: token }, clock);
        seen.push(...ids(page.items));
        token = page.continue;
        // between pages: jobs start, finish (with new durations and finish times), fail, and new ones arrive
        clock += 5000;
        for (const j of [...store.values()].slice(0, 12)) {
          const t = new Date(clock).toISOString();
          if (j.phase === 'Pending') {
            store.set(j.id, { ...j, phase: 'Running', startedAt: t });
          } else if (j.phase === 'Running') {
            store.set(j.id, { ...j, phase: 'Failed', finishedAt: t, durationSeconds: 999 - n });
          }
        }
        store.set(`new-${n}`, job(n, { id: `new-${n}`, createdAt: new Date(clock).toISOString() }));
        n++;
      } while (token);
      const walked = seen.filter((id) => present.has(id));
      assert.equal(new Set(seen).size, seen.length, `${sort} ${order}: a job was repeated`);
      assert.deepEqual(walked.sort(), [...present].sort(), `${sort} ${order}: a job was skipped`);
    }
  }
});
