// Launches: Idempotency-Key repeats and conflicts, and the limits, against the fake API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowkubePods, launchJob } from '../../../helper.ts';
import { KEY, launchFixture } from './launch-fixture.ts';

const f = launchFixture();

test('the same Idempotency-Key again: 200 with the same job and no second Pod', async () => {
  const a = await f.app();
  const first = await launchJob(a, 'cpu-load', { durationSeconds: 1 }, KEY);
  assert.equal(first.statusCode, 201, first.body);
  const second = await launchJob(a, 'cpu-load', { durationSeconds: 1 }, KEY);
  assert.equal(second.statusCode, 200, second.body);
  assert.equal(second.json().job.id, first.json().job.id);
  assert.match(first.json().job.id, /^flowkube-[a-z2-7]{16}$/);
  const creates = f.fake.requests.filter((r) => r.verb === 'create' && r.resource === 'pods' && !r.query.dryRun);
  assert.equal(creates.length, 1, 'the repeat never reached Kubernetes');
  assert.equal(flowkubePods(f.fake).length, 1);

  const other = await launchJob(a, 'cpu-load', { durationSeconds: 2 }, KEY);
  assert.deepEqual([other.statusCode, other.json().error.code], [409, 'conflict']);
  const otherTemplate = await launchJob(a, 'basic', {}, KEY);
  assert.equal(otherTemplate.statusCode, 409);
  assert.equal(flowkubePods(f.fake).length, 1);

  const bad = await launchJob(a, 'cpu-load', {}, { 'idempotency-key': 'short' });
  assert.deepEqual([bad.statusCode, bad.json().error.details.fields[0].field], [400, 'Idempotency-Key']);
});

test('the key survives a proxy restart: a new app answers the repeat from Kubernetes', async () => {
  const before = await f.track();
  const first = await launchJob(before.app, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(first.statusCode, 201);
  await before.close();
  const b = await f.app();
  const again = await launchJob(b, 'basic', { sleepSeconds: 0 }, KEY);
  assert.deepEqual([again.statusCode, again.json().job.id], [200, first.json().job.id]);
  assert.equal(flowkubePods(f.fake).length, 1);
});

test('20 concurrent identical launches with one key make exactly one Pod', async () => {
  const a = await f.app();
  const results = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'basic', { sleepSeconds: 1 }, KEY)));
  const ids = new Set(results.map((r) => r.json().job.id));
  assert.equal(ids.size, 1);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [...Array(19).fill(200), 201]);
  assert.equal(flowkubePods(f.fake).length, 1);
});

test('a second proxy with the same key meets AlreadyExists and returns the existing job', async () => {
  const a = await f.app();
  const other = await f.replica();
  try {
    const [x, y] = await Promise.all([
      launchJob(a, 'basic', { sleepSeconds: 1 }, KEY),
      launchJob(other.app, 'basic', { sleepSeconds: 1 }, KEY),
    ]);
    assert.deepEqual([x.statusCode, y.statusCode].sort(), [200, 201]);
    assert.equal(x.json().job.id, y.json().job.id);
    assert.equal(flowkubePods(f.fake).length, 1);
  } finally {
    await other.close();
  }
});

test('maxConcurrent: the third cpu-load is 429 with Retry-After and a message naming the limit', async () => {
  const a = await f.app();
  for (let i = 0; i < 2; i++) {
    assert.equal((await launchJob(a, 'cpu-load', { durationSeconds: 30 })).statusCode, 201);
  }
  const res = await launchJob(a, 'cpu-load', { durationSeconds: 30 });
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '10');
  const err = res.json().error;
  assert.equal(err.code, 'limit_exceeded');
  assert.equal(
    err.message,
    'template "cpu-load" allows at most 2 concurrent jobs; wait for one to finish or cancel one'
  );
  assert.equal(err.details.limit, 'template:cpu-load');
  assert.equal(err.details.retryAfterSeconds, 10);
  // other templates are not held back by cpu-load's limit
  assert.equal((await launchJob(a, 'basic', { sleepSeconds: 0 })).statusCode, 201);
  assert.match(
    (await a.inject({ url: '/metrics' })).body,
    /^flowkube_launch_rejected_total\{reason="template_limit"\} 1$/m
  );
});

test('20 concurrent launches never overshoot the per-template limit or FLOWKUBE_MAX_ACTIVE', async () => {
  const a = await f.app({ FLOWKUBE_MAX_ACTIVE: '4' });
  const cpu = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'cpu-load', { durationSeconds: 30 })));
  assert.equal(cpu.filter((r) => r.statusCode === 201).length, 2);
  assert.ok(cpu.filter((r) => r.statusCode !== 201).every((r) => r.statusCode === 429));
  const mixed = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'basic', { sleepSeconds: 30 })));
  assert.equal(mixed.filter((r) => r.statusCode === 201).length, 2);
  const refused = mixed.find((r) => r.statusCode === 429)!.json().error;
  assert.equal(refused.message, 'FLOWKUBE_MAX_ACTIVE=4 jobs are already active; wait for one to finish or cancel one');
  assert.equal(refused.details.limit, 'FLOWKUBE_MAX_ACTIVE');
  assert.equal(flowkubePods(f.fake).length, 4);
});

test('one Idempotency-Key for two templates on two replicas at once: one Pod, the other answer is conflict', async () => {
  const a = await f.app();
  const other = await f.replica();
  try {
    const answers = await Promise.all([
      launchJob(a, 'basic', { sleepSeconds: 1 }, KEY),
      launchJob(other.app, 'cpu-load', { durationSeconds: 1 }, KEY),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 409], answers.map((r) => r.body).join(' '));
    assert.equal(answers.find((r) => r.statusCode === 409)!.json().error.code, 'conflict');
    assert.equal(flowkubePods(f.fake).length, 1);
  } finally {
    await other.close();
  }
});
