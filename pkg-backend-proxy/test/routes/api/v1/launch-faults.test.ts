// Launches when Kubernetes fails: retries, lost answers, refusals (RBAC, quota, invalid), outcome unknown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowkubePods, launch, launchJob } from '../../../helper.ts';
import { KEY, launchFixture } from './launch-fixture.ts';

const f = launchFixture();

test('Kubernetes 500, 429 and resets during create are retried without a second Pod', async () => {
  const a = await f.app();
  for (const fault of [
    { status: 500 },
    { status: 503 },
    { status: 429, retryAfterSeconds: 1 },
    { reset: true },
  ] as const) {
    const before = flowkubePods(f.fake).length;
    f.fake.failNext('create', fault, 2);
    const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
    assert.equal(res.statusCode, 201, `${JSON.stringify(fault)} → ${res.body}`);
    assert.equal(flowkubePods(f.fake).length, before + 1, JSON.stringify(fault));
  }
  assert.match(
    (await a.inject({ url: '/metrics' })).body,
    /^flowkube_kube_requests_total\{verb="create",code="500"\} 2$/m
  );
});

test('a create that landed but whose answer was lost is recognised as ours: one Pod, 201', async () => {
  const a = await f.app();
  f.fake.failNext('create', { createThenReset: true });
  const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
  assert.equal(res.statusCode, 201, res.body);
  const pods = flowkubePods(f.fake);
  assert.equal(pods.length, 1);
  assert.equal(pods[0]!.metadata?.name, res.json().job.id);

  f.fake.failNext('create', { createThenReset: true });
  const keyed = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(keyed.statusCode, 201, keyed.body);
  assert.equal(flowkubePods(f.fake).length, 2);
});

test('when Kubernetes keeps failing: 503 kube_unavailable with Retry-After, and no Pod', async () => {
  const a = await f.app();
  // as many faults as the helper's 4 attempts, so none is left over for the next test
  f.fake.failNext('create', { status: 500 }, 4);
  const res = await launchJob(a, 'basic');
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().error.code, 'kube_unavailable');
  assert.equal(res.headers['retry-after'], '5');
  assert.equal(flowkubePods(f.fake).length, 0);
  assert.equal((await launchJob(a, 'basic')).statusCode, 201);
});

test('403 from Kubernetes is a 502 naming the missing RBAC permission', async () => {
  const a = await f.app();
  f.fake.forbid('create');
  try {
    const res = await launchJob(a, 'basic');
    assert.equal(res.statusCode, 502);
    const err = res.json().error;
    assert.equal(err.code, 'kube_forbidden');
    assert.match(err.message, /needs RBAC permission to create pods in namespace "flowkube-jobs"/);
  } finally {
    f.fake.allow('create');
  }
  // a cancel patches the Pod (a shorter deadline), so that is the verb it needs
  f.fake.forbid('patch');
  try {
    const created = await launchJob(a, 'cpu-load', { durationSeconds: 5 });
    const del = await a.inject({
      method: 'DELETE',
      url: `/api/v1/jobs/${created.json().job.id}`,
      headers: launch,
    });
    assert.equal(del.statusCode, 502);
    assert.match(del.json().error.message, /permission to patch pods in namespace "flowkube-jobs"/);
  } finally {
    f.fake.allow('patch');
  }
});

test('422 from Kubernetes is a 400 carrying its causes', async () => {
  const a = await f.app();
  f.fake.failNext('create', { status: 422 });
  const res = await launchJob(a, 'basic');
  assert.equal(res.statusCode, 400);
  const err = res.json().error;
  assert.equal(err.code, 'bad_request');
  assert.ok(Array.isArray(err.details.causes) && err.details.causes.length > 0, res.body);
  assert.equal(flowkubePods(f.fake).length, 0);
});

test("a create whose answer was lost, then failing retries: a GET finds the launch's own Pod, 201 and one Pod", async () => {
  const a = await f.app();
  f.fake.failNext('create', { createThenReset: true });
  f.fake.failNext('create', { status: 500 }, 3);
  const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(
    flowkubePods(f.fake).map((p) => p.metadata?.name),
    [res.json().job.id]
  );
});

test('when not even the GET can tell: 503 outcome_unknown, and the same Idempotency-Key then finds the Pod', async () => {
  const a = await f.app();
  f.fake.failNext('create', { createThenReset: true });
  f.fake.failNext('create', { status: 500 }, 3);
  f.fake.failNext('get', { status: 503 });
  const lost = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(lost.statusCode, 503, lost.body);
  assert.equal(lost.headers['retry-after'], '5');
  const err = lost.json().error;
  assert.equal(err.code, 'outcome_unknown');
  assert.match(err.message, /retry with the same Idempotency-Key$/);
  const again = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(flowkubePods(f.fake).length, 1);
  assert.equal(again.json().job.id, flowkubePods(f.fake)[0]!.metadata?.name);
});

test("a ResourceQuota refusal is 429 limit_exceeded with the quota's words and Retry-After", async () => {
  const a = await f.app();
  f.fake.setPodQuota('flowkube-jobs', { name: 'flowkube-jobs-quota', pods: 1 });
  try {
    assert.equal((await launchJob(a, 'basic', { sleepSeconds: 30 })).statusCode, 201);
    const res = await launchJob(a, 'basic', { sleepSeconds: 30 });
    assert.equal(res.statusCode, 429, res.body);
    assert.equal(res.headers['retry-after'], '10');
    const err = res.json().error;
    assert.equal(err.code, 'limit_exceeded');
    assert.equal(
      err.message,
      'the namespace\'s ResourceQuota "flowkube-jobs-quota" is used up (requested: pods=1, used: pods=1, limited: pods=1); wait for a job to finish or cancel one'
    );
    assert.equal(err.details.limit, 'quota:flowkube-jobs-quota');
    assert.match((await a.inject({ url: '/metrics' })).body, /^flowkube_launch_rejected_total\{reason="quota"\} 1$/m);
    // the refused launch gave its slots back
    assert.equal(f.fake.leases().filter((l) => l.metadata.name.startsWith('flowkube-slot-global-')).length, 1);
  } finally {
    f.fake.setPodQuota('flowkube-jobs', undefined);
  }
});
