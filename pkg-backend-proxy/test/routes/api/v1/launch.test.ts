import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startFakeKube, type FakeKube } from '../../../../../tests/fake-kube/index.ts';
import { type Built, build, clearJobs, flowkubePods, launchJob, waitFor } from '../../../helper.ts';

// One fake for the file; each test gets a fresh app and starts from no FlowKube Pods.
let fake: FakeKube;
let t: Built | undefined;
before(async () => {
  fake = await startFakeKube({ startDelayMs: 50 });
});
after(() => fake.stop());
beforeEach(async () => {
  await t?.close();
  t = undefined;
  await clearJobs(fake);
});
after(() => t?.close());

async function app(env: Record<string, string> = {}) {
  t = await build({ fake, env });
  return t.app;
}

const KEY = { 'idempotency-key': 'launch-0001-abcdef' };

test('the same Idempotency-Key again: 200 with the same job and no second Pod', async () => {
  const a = await app();
  const first = await launchJob(a, 'cpu-load', { durationSeconds: 1 }, KEY);
  assert.equal(first.statusCode, 201, first.body);
  const second = await launchJob(a, 'cpu-load', { durationSeconds: 1 }, KEY);
  assert.equal(second.statusCode, 200, second.body);
  assert.equal(second.json().job.id, first.json().job.id);
  assert.match(first.json().job.id, /^flowkube-[a-z2-7]{16}$/);
  const creates = fake.requests.filter((r) => r.verb === 'create' && r.resource === 'pods' && !r.query.dryRun);
  assert.equal(creates.length, 1, 'the repeat never reached Kubernetes');
  assert.equal(flowkubePods(fake).length, 1);

  const other = await launchJob(a, 'cpu-load', { durationSeconds: 2 }, KEY);
  assert.deepEqual([other.statusCode, other.json().error.code], [409, 'conflict']);
  const otherTemplate = await launchJob(a, 'basic', {}, KEY);
  assert.equal(otherTemplate.statusCode, 409);
  assert.equal(flowkubePods(fake).length, 1);

  const bad = await launchJob(a, 'cpu-load', {}, { 'idempotency-key': 'short' });
  assert.deepEqual([bad.statusCode, bad.json().error.details.fields[0].field], [400, 'Idempotency-Key']);
});

test('the key survives a proxy restart: a new app answers the repeat from Kubernetes', async () => {
  const a = await app();
  const first = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(first.statusCode, 201);
  await t!.close();
  const b = await app();
  const again = await launchJob(b, 'basic', { sleepSeconds: 0 }, KEY);
  assert.deepEqual([again.statusCode, again.json().job.id], [200, first.json().job.id]);
  assert.equal(flowkubePods(fake).length, 1);
});

test('20 concurrent identical launches with one key make exactly one Pod', async () => {
  const a = await app();
  const results = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'basic', { sleepSeconds: 1 }, KEY)));
  const ids = new Set(results.map((r) => r.json().job.id));
  assert.equal(ids.size, 1);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [...Array(19).fill(200), 201]);
  assert.equal(flowkubePods(fake).length, 1);
});

test('a second proxy with the same key meets AlreadyExists and returns the existing job', async () => {
  const a = await app();
  const other = await build({ fake });
  try {
    const [x, y] = await Promise.all([
      launchJob(a, 'basic', { sleepSeconds: 1 }, KEY),
      launchJob(other.app, 'basic', { sleepSeconds: 1 }, KEY),
    ]);
    assert.deepEqual([x.statusCode, y.statusCode].sort(), [200, 201]);
    assert.equal(x.json().job.id, y.json().job.id);
    assert.equal(flowkubePods(fake).length, 1);
  } finally {
    await other.close();
  }
});

test('maxConcurrent: the third cpu-load is 429 with Retry-After and a message naming the limit', async () => {
  const a = await app();
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
  const a = await app({ FLOWKUBE_MAX_ACTIVE: '4' });
  const cpu = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'cpu-load', { durationSeconds: 30 })));
  assert.equal(cpu.filter((r) => r.statusCode === 201).length, 2);
  assert.ok(cpu.filter((r) => r.statusCode !== 201).every((r) => r.statusCode === 429));
  const mixed = await Promise.all(Array.from({ length: 20 }, () => launchJob(a, 'basic', { sleepSeconds: 30 })));
  assert.equal(mixed.filter((r) => r.statusCode === 201).length, 2);
  const refused = mixed.find((r) => r.statusCode === 429)!.json().error;
  assert.equal(refused.message, 'FLOWKUBE_MAX_ACTIVE=4 jobs are already active; wait for one to finish or cancel one');
  assert.equal(refused.details.limit, 'FLOWKUBE_MAX_ACTIVE');
  assert.equal(flowkubePods(fake).length, 4);
});

test('Kubernetes 500, 429 and resets during create are retried without a second Pod', async () => {
  const a = await app();
  for (const fault of [
    { status: 500 },
    { status: 503 },
    { status: 429, retryAfterSeconds: 1 },
    { reset: true },
  ] as const) {
    const before = flowkubePods(fake).length;
    fake.failNext('create', fault, 2);
    const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
    assert.equal(res.statusCode, 201, `${JSON.stringify(fault)} → ${res.body}`);
    assert.equal(flowkubePods(fake).length, before + 1, JSON.stringify(fault));
  }
  assert.match(
    (await a.inject({ url: '/metrics' })).body,
    /^flowkube_kube_requests_total\{verb="create",code="500"\} 2$/m
  );
});

test('a create that landed but whose answer was lost is recognised as ours: one Pod, 201', async () => {
  const a = await app();
  fake.failNext('create', { createThenReset: true });
  const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
  assert.equal(res.statusCode, 201, res.body);
  const pods = flowkubePods(fake);
  assert.equal(pods.length, 1);
  assert.equal(pods[0]!.metadata?.name, res.json().job.id);

  fake.failNext('create', { createThenReset: true });
  const keyed = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(keyed.statusCode, 201, keyed.body);
  assert.equal(flowkubePods(fake).length, 2);
});

test('when Kubernetes keeps failing: 503 kube_unavailable with Retry-After, and no Pod', async () => {
  const a = await app();
  // as many faults as the helper's 4 attempts, so none is left over for the next test
  fake.failNext('create', { status: 500 }, 4);
  const res = await launchJob(a, 'basic');
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().error.code, 'kube_unavailable');
  assert.equal(res.headers['retry-after'], '5');
  assert.equal(flowkubePods(fake).length, 0);
  assert.equal((await launchJob(a, 'basic')).statusCode, 201);
});

test('403 from Kubernetes is a 502 naming the missing RBAC permission', async () => {
  const a = await app();
  fake.forbid('create');
  try {
    const res = await launchJob(a, 'basic');
    assert.equal(res.statusCode, 502);
    const err = res.json().error;
    assert.equal(err.code, 'kube_forbidden');
    assert.match(err.message, /needs RBAC permission to create pods in namespace "flowkube-jobs"/);
  } finally {
    fake.allow('create');
  }
  fake.forbid('delete');
  try {
    const created = await launchJob(a, 'cpu-load', { durationSeconds: 5 });
    const del = await a.inject({
      method: 'DELETE',
      url: `/api/v1/jobs/${created.json().job.id}`,
      headers: { authorization: `Bearer ${t!.config.launchToken}` },
    });
    assert.equal(del.statusCode, 502);
    assert.match(del.json().error.message, /permission to delete pods in namespace "flowkube-jobs"/);
  } finally {
    fake.allow('delete');
  }
});

test('422 from Kubernetes is a 400 carrying its causes', async () => {
  const a = await app();
  fake.failNext('create', { status: 422 });
  const res = await launchJob(a, 'basic');
  assert.equal(res.statusCode, 400);
  const err = res.json().error;
  assert.equal(err.code, 'bad_request');
  assert.ok(Array.isArray(err.details.causes) && err.details.causes.length > 0, res.body);
  assert.equal(flowkubePods(fake).length, 0);
});
