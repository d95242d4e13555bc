import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Job } from '../../../../src/schemas/index.ts';
import { type Built, build, launch, launchJob, read, waitFor } from '../../../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

async function poll(app: FastifyInstance, since?: string, timeoutSeconds = 5) {
  const q = since === undefined ? '' : `?since=${encodeURIComponent(since)}&timeoutSeconds=${timeoutSeconds}`;
  return app.inject({ url: `/api/v1/changes${q}`, headers: read });
}

/** Follows the long-poll from `cursor` until `done` says the collected states suffice. */
async function follow(app: FastifyInstance, cursor: string, done: (seen: Job[], removed: string[]) => boolean) {
  const seen: Job[] = [];
  const removed: string[] = [];
  for (let i = 0; i < 200 && !done(seen, removed); i++) {
    const res = await poll(app, cursor);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    seen.push(...body.items);
    removed.push(...body.removed);
    cursor = body.cursor;
  }
  return { seen, removed, cursor };
}

test('without a cursor: every current job and a cursor', async () => {
  const created = (await launchJob(t.app, 'basic', { sleepSeconds: 0 })).json().job;
  await waitFor('the cache to show the new job', () => t.app.jobs.get(created.id));
  const res = await poll(t.app);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.match(body.cursor, /^\d+$/);
  assert.ok(body.items.some((j: Job) => j.id === created.id));
  assert.deepEqual(body.removed, []);
});

test('since=now: the cursor and revisions alone, and a change right after it comes with the next poll', async () => {
  await waitFor('the cache to hold a job (the test before launched one)', () => t.app.jobs.size > 0);
  const res = await poll(t.app, 'now', 0);
  assert.equal(res.statusCode, 200, res.body);
  const start = res.json();
  assert.deepEqual({ items: start.items, removed: start.removed }, { items: [], removed: [] });
  assert.match(start.cursor, /^\d+$/);
  assert.equal(typeof start.catalogRevision, 'number');
  assert.equal(typeof start.schedulesRevision, 'number');
  // written into the fake API at once, before any poll: nothing may fall between the cursor and the next poll
  t.fake.seedPods(1, { namePrefix: 'basic-after-now', phase: 'Succeeded' });
  // a short walk, so a change that fell before the cursor fails in seconds
  const seen: Job[] = [];
  for (let i = 0, cursor = start.cursor; i < 3 && !seen.some((j) => j.id === 'basic-after-now0'); i++) {
    const next = (await poll(t.app, cursor, 2)).json();
    seen.push(...next.items);
    cursor = next.cursor;
  }
  assert.ok(
    seen.some((j) => j.id === 'basic-after-now0'),
    'the next polls bring the change'
  );
});

test('since=now waits for nothing and takes no other word', async () => {
  const started = Date.now();
  const res = await poll(t.app, 'now', 25);
  assert.equal(res.statusCode, 200);
  assert.ok(Date.now() - started < 5000, 'answered at once, not after the long-poll timeout');
  assert.equal((await poll(t.app, 'later', 0)).statusCode, 410);
});

test('the long-poll sees Pending → Running → Succeeded of a real worker', async () => {
  const { cursor } = (await poll(t.app)).json();
  const job = (await launchJob(t.app, 'basic', { sleepSeconds: 1 })).json().job;
  const { seen } = await follow(t.app, cursor, (s) => s.some((j) => j.id === job.id && j.phase === 'Succeeded'));
  const phases = seen.filter((j) => j.id === job.id).map((j) => j.phase);
  assert.deepEqual([...new Set(phases)], ['Pending', 'Running', 'Succeeded']);
});

test('an idle long-poll waits and then answers empty, at the same position or a bookmark further', async () => {
  const { cursor } = (await poll(t.app)).json();
  const started = Date.now();
  const res = await poll(t.app, cursor, 1);
  assert.ok(Date.now() - started >= 900, 'it waited');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual({ items: body.items, removed: body.removed }, { items: [], removed: [] });
  assert.ok(Number(body.cursor) >= Number(cursor), `${body.cursor} < ${cursor}`);
  // the catalog's revision rides along, so the Launch page can tell when to re-read /templates
  assert.equal(typeof body.catalogRevision, 'number');
});

test('a bogus or old-format cursor is 410 cursor_expired; one from before the log began too', async () => {
  const { cursor } = (await poll(t.app)).json();
  for (const bad of ['garbage', 'zzzz.1', 'k3x9a.42', '../etc.1', '-5', '0']) {
    const res = await poll(t.app, bad, 0);
    assert.equal(res.statusCode, 410, bad);
    assert.equal(res.json().error.code, 'cursor_expired');
  }
  // a cursor ahead of this replica (another one's watch is further) waits and keeps its place
  const ahead = String(Number(cursor) + 1000);
  const res = await poll(t.app, ahead, 0);
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().cursor, ahead);
  const tooLong = await poll(t.app, 'x'.repeat(65), 0);
  assert.equal(tooLong.statusCode, 400);
  const tooLongWait = await t.app.inject({ url: `/api/v1/changes?since=${cursor}&timeoutSeconds=26`, headers: read });
  assert.deepEqual([tooLongWait.statusCode, tooLongWait.json().error.details.fields[0].field], [400, 'timeoutSeconds']);
});

test('a cancelled job is reported as Cancelled, and in removed once purged', async () => {
  const job = (await launchJob(t.app, 'cpu-load', { durationSeconds: 30 })).json().job;
  const { cursor } = (await poll(t.app)).json();
  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}`, headers: launch });
  assert.equal(del.statusCode, 202);
  const cancelled = await follow(t.app, cursor, (s) => s.some((j) => j.id === job.id && j.phase === 'Cancelled'));
  assert.ok(!cancelled.removed.includes(job.id), 'a cancel keeps the job');
  const purge = await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}?purge=true`, headers: launch });
  assert.equal(purge.statusCode, 202, purge.body);
  const { removed } = await follow(t.app, cancelled.cursor, (_s, r) => r.includes(job.id));
  assert.ok(removed.includes(job.id));
});

test('a replica started after a cursor lists the same jobs and refuses that cursor once the API moved on', async () => {
  const before = (await poll(t.app)).json();
  // a change the new replica only knows from its first list, not as a change after `before.cursor`
  t.fake.seedPods(1, { namePrefix: 'basic-moved', phase: 'Succeeded' });
  await waitFor('the first app to see it', () => t.app.jobs.get('basic-moved0'));
  before.items = (await poll(t.app)).json().items;
  const other = await build({ fake: t.fake });
  try {
    const res = await poll(other.app);
    const ids = (b: { items: Job[] }) => b.items.map((j) => j.id).sort();
    assert.deepEqual(ids(res.json()), ids(before));
    const list = (await other.app.inject({ url: '/api/v1/jobs', headers: read })).json();
    assert.deepEqual(ids(list), ids(before));
    assert.equal((await poll(other.app, before.cursor, 0)).statusCode, 410);
  } finally {
    await other.close();
  }
});

test('closing the app ends a pending long-poll at once', async () => {
  const other = await build({ fake: t.fake });
  const { cursor } = (await poll(other.app)).json();
  const pending = poll(other.app, cursor, 25);
  await new Promise((r) => setTimeout(r, 100));
  await other.close();
  const res = await pending;
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().items, []);
});
