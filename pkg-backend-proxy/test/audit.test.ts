import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FakeKube, startFakeKube } from '../../tests/fake-kube/index.ts';
import { transitions } from '../src/audit.ts';
import { type AuditEvent, parseAuditLine } from '../src/contract/audit.ts';
import type { Job } from '../src/schemas/index.ts';
import { type Built, build, launch, LAUNCH_TOKEN, launchJob, READ_TOKEN, read, waitFor } from './helper.ts';

const job = (over: Partial<Job> = {}): Job => ({
  id: 'basic-bcdfg',
  template: 'basic',
  params: { message: 'hi' },
  phase: 'Pending',
  launchedBy: 'alice',
  createdAt: '2026-11-26T10:00:00.000Z',
  schedule: null,
  source: null,
  ...over,
});

test('each transition makes one event, with an id of job and transition; a job first seen gets its history', () => {
  const running = job({ phase: 'Running', startedAt: '2026-11-26T10:00:02.000Z' });
  const done = { ...running, phase: 'Succeeded' as const, exitCode: 0, finishedAt: '2026-11-26T10:00:07.000Z' };
  assert.deepEqual(
    transitions(undefined, job()).map((e) => e.eventId),
    ['basic-bcdfg:launched']
  );
  assert.deepEqual(
    transitions(job(), running).map((e) => [e.event, e.time]),
    [['started', '2026-11-26T10:00:02.000Z']]
  );
  assert.deepEqual(transitions(running, running), []);
  const [finished] = transitions(running, { ...done, durationSeconds: 5 });
  assert.deepEqual(
    [finished?.event, finished?.phase, finished?.exitCode, finished?.durationSeconds, finished?.time],
    ['finished', 'Succeeded', 0, 5, '2026-11-26T10:00:07.000Z']
  );
  // after a restart: the whole history at once, in order, with the same ids
  assert.deepEqual(
    transitions(undefined, done).map((e) => e.eventId),
    ['basic-bcdfg:launched', 'basic-bcdfg:started', 'basic-bcdfg:finished']
  );
  const cancelled = { ...running, cancelledBy: 'bob', cancelledAt: '2026-11-26T10:00:04.000Z' };
  assert.deepEqual(
    transitions(running, cancelled).map((e) => [e.event, e.by]),
    [['cancelled', 'bob']]
  );
});

let fake: FakeKube;
const lines: { a: AuditEvent[]; b: AuditEvent[] } = { a: [], b: [] };
let a: Built;
let b: Built;
/** Raw lines as written: Loki dedupes the replicas' copies only when they are byte for byte the same. */
const written = new Map<AuditEvent, string>();
const sink = (into: AuditEvent[]) => (line: string) => {
  assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line per event');
  // Fluent Bit routes the audit lines by this prefix (monitoring/fluent-bit-loki-values.yaml)
  assert.ok(line.startsWith('{"audit":true,"eventId":'), line);
  const e = parseAuditLine(line);
  assert.ok(e, line);
  written.set(e, line);
  into.push(e);
};

before(async () => {
  fake = await startFakeKube({ startDelayMs: 20 });
  a = await build({ fake, deps: { auditSink: sink(lines.a) } });
  b = await build({ fake, deps: { auditSink: sink(lines.b) } });
});
after(async () => {
  await b.close();
  await a.close();
  await fake.stop();
});

const ofJob = (events: AuditEvent[], id: string) => events.filter((e) => e.jobId === id);

test('two replicas write the same events for a job, with the same eventIds and fields', async () => {
  const res = await launchJob(
    a.app,
    'log-gen',
    { tasks: 2, taskIntervalMs: 1, seed: 5, fail: true },
    { 'x-grafana-user': 'alice' }
  );
  const id = res.json().job.id;
  await waitFor('both replicas to see it fail', () =>
    [lines.a, lines.b].every((l) => ofJob(l, id).some((e) => e.event === 'finished'))
  );
  const mine = ofJob(lines.a, id);
  assert.deepEqual(
    mine.map((e) => e.eventId),
    [`${id}:launched`, `${id}:started`, `${id}:finished`]
  );
  assert.deepEqual(ofJob(lines.b, id), mine, 'identical duplicates: readers dedupe on eventId');
  assert.deepEqual(
    ofJob(lines.b, id).map((e) => written.get(e)),
    mine.map((e) => written.get(e))
  );
  const finished = mine.at(-1)!;
  assert.equal(finished.audit, true);
  assert.deepEqual(
    [finished.phase, finished.exitCode, finished.launchedBy, finished.template],
    ['Failed', 1, 'alice', 'log-gen']
  );
  assert.deepEqual(finished.params, { tasks: 2, taskIntervalMs: 1, seed: 5, fail: true });
  assert.equal(finished.failure?.message, 'log generation failed as requested (FAIL=true)');
  assert.equal(typeof finished.durationSeconds, 'number');
});

test('a cancel and a purge are recorded with who did them; a rejection with its reason and no token', async () => {
  const res = await launchJob(a.app, 'cpu-load', { durationSeconds: 60 });
  const id = res.json().job.id;
  await waitFor('it to run', () => a.app.jobs.get(id)?.job.phase === 'Running');
  const del = await a.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${id}`,
    headers: { ...launch, 'x-grafana-user': 'bob' },
  });
  assert.equal(del.statusCode, 202);
  await waitFor('both to record the end', () =>
    [lines.a, lines.b].every((l) => ofJob(l, id).some((e) => e.event === 'finished'))
  );
  const cancelled = ofJob(lines.b, id).find((e) => e.event === 'cancelled');
  assert.equal(cancelled?.by, 'bob');
  assert.equal(ofJob(lines.b, id).find((e) => e.event === 'finished')?.phase, 'Cancelled');

  const purge = await b.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${id}?purge=true`,
    headers: { ...launch, 'x-grafana-user': 'carol' },
  });
  assert.equal(purge.statusCode, 202, purge.body);
  const purged = ofJob(lines.b, id).filter((e) => e.event === 'purged');
  assert.deepEqual(
    purged.map((e) => [e.eventId, e.by]),
    [[`${id}:purged`, 'carol']]
  );

  const refused = await a.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'x-grafana-user': 'dave' },
    payload: { template: 'cpu-load', params: { durationSeconds: 999999 } },
  });
  assert.equal(refused.statusCode, 400);
  const rejected = lines.a.filter((e) => e.event === 'rejected');
  assert.equal(rejected.length, 1);
  assert.deepEqual(
    [rejected[0]!.reason, rejected[0]!.status, rejected[0]!.template, rejected[0]!.launchedBy],
    ['invalid', 400, 'cpu-load', 'dave']
  );
  assert.match(rejected[0]!.eventId, /^rejected:[0-9a-f-]{36}$/);
  // only the replica that answered records a rejection; and no line anywhere carries a token
  assert.equal(lines.b.filter((e) => e.event === 'rejected').length, 0);
  const all = JSON.stringify([...lines.a, ...lines.b]);
  assert.ok(!all.includes(LAUNCH_TOKEN) && !all.includes(READ_TOKEN) && !all.includes(fake.token));
  // reads are no transitions
  const before = lines.a.length;
  await a.app.inject({ url: '/api/v1/jobs', headers: read });
  assert.equal(lines.a.length, before);
});

test('schedule changes and runs started by hand are recorded once, by the replica that answered, with who', async () => {
  const nightly = {
    template: 'basic',
    params: { message: 'nightly', sleepSeconds: 0 },
    schedule: '0 2 * * *',
    timeZone: 'UTC',
  };
  const as = (user: string) => ({ ...launch, 'x-grafana-user': user, 'idempotency-key': 'audit-sched-0001' });
  const created = await a.app.inject({
    method: 'POST',
    url: '/api/v1/schedules',
    headers: as('erin'),
    payload: nightly,
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().schedule.id as string;
  // a retried create (its answer lost) makes nothing new, so it records nothing
  const retried = await b.app.inject({
    method: 'POST',
    url: '/api/v1/schedules',
    headers: as('erin'),
    payload: nightly,
  });
  assert.equal(retried.statusCode, 200, retried.body);
  await waitFor('b to cache it', () => b.app.schedules.get(id) !== undefined);
  const patch = await b.app.inject({
    method: 'PATCH',
    url: `/api/v1/schedules/${id}`,
    headers: { ...launch, 'x-grafana-user': 'frank' },
    payload: { suspend: true, schedule: '30 3 * * *' },
  });
  assert.equal(patch.statusCode, 200, patch.body);
  await waitFor('a to cache the change', () => a.app.schedules.get(id)?.spec?.suspend === true);
  const run = await a.app.inject({
    method: 'POST',
    url: `/api/v1/schedules/${id}/run`,
    headers: { ...launch, 'x-grafana-user': 'grace' },
  });
  assert.equal(run.statusCode, 201, run.body);
  const jobId = run.json().job.id as string;
  const del = await b.app.inject({
    method: 'DELETE',
    url: `/api/v1/schedules/${id}`,
    headers: { ...launch, 'x-grafana-user': 'heidi' },
  });
  assert.equal(del.statusCode, 200, del.body);

  const ofSchedule = (events: AuditEvent[]) => events.filter((e) => e.event.startsWith('schedule_'));
  const [made, ranNow] = ofSchedule(lines.a);
  const [changed, deleted] = ofSchedule(lines.b);
  assert.equal(ofSchedule(lines.a).length, 2);
  assert.equal(ofSchedule(lines.b).length, 2);
  const createdAt = created.json().schedule.createdAt as string;
  assert.deepEqual(
    [made?.event, made?.eventId, made?.time, made?.by, made?.schedule, made?.template, made?.cron, made?.suspend],
    ['schedule_created', `${id}@${createdAt}:schedule_created`, createdAt, 'erin', id, 'basic', '0 2 * * *', false]
  );
  assert.deepEqual(made?.params, { message: 'nightly', sleepSeconds: 0 });
  assert.deepEqual(
    [changed?.event, changed?.by, changed?.cron, changed?.suspend, changed?.changed],
    ['schedule_updated', 'frank', '30 3 * * *', true, ['suspend', 'schedule']]
  );
  assert.match(changed!.eventId, new RegExp(`^${id}@${createdAt}:schedule_updated:[0-9a-f-]{36}$`));
  assert.deepEqual(
    [ranNow?.event, ranNow?.eventId, ranNow?.jobId, ranNow?.schedule, ranNow?.by],
    ['schedule_run_now', `${jobId}:schedule_run_now`, jobId, id, 'grace']
  );
  assert.deepEqual(
    [deleted?.event, deleted?.eventId, deleted?.by, deleted?.cron],
    ['schedule_deleted', `${id}@${createdAt}:schedule_deleted`, 'heidi', '30 3 * * *']
  );
  // the run itself is a job like any other: both replicas record its launch from the watch
  await waitFor('both to see the run end', () =>
    [lines.a, lines.b].every((l) => ofJob(l, jobId).some((e) => e.event === 'finished'))
  );
  for (const l of [lines.a, lines.b]) {
    assert.equal(ofJob(l, jobId).find((e) => e.event === 'launched')?.schedule, id);
  }
});

test('a restarted replica writes the history it finds again with the same eventIds', async () => {
  const seen = new Set(lines.a.filter((e) => e.jobId).map((e) => e.eventId));
  const afterRestart: AuditEvent[] = [];
  const c = await build({ fake, deps: { auditSink: sink(afterRestart) } });
  try {
    const ids = new Set(afterRestart.map((e) => e.eventId));
    // every job still in the cluster: the ones not purged
    const kept = [...seen].filter((id) => ids.has(id));
    assert.ok(kept.length >= 3, [...ids].join(' '));
    for (const e of afterRestart) {
      assert.ok(seen.has(e.eventId), `${e.eventId} is one the first replica wrote too`);
      const first = lines.a.find((x) => x.eventId === e.eventId);
      assert.equal(written.get(e), first && written.get(first), e.eventId);
    }
  } finally {
    await c.close();
  }
});
