import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startFakeKube, type FakeKube } from '../../../../../tests/fake-kube/index.ts';
import { type Built, build, clearJobs, flowkubePods, launch, launchJob, waitFor } from '../../../helper.ts';

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

test("a create whose answer was lost, then failing retries: a GET finds the launch's own Pod, 201 and one Pod", async () => {
  const a = await app();
  fake.failNext('create', { createThenReset: true });
  fake.failNext('create', { status: 500 }, 3);
  const res = await launchJob(a, 'basic', { sleepSeconds: 0 });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(
    flowkubePods(fake).map((p) => p.metadata?.name),
    [res.json().job.id]
  );
});

test('when not even the GET can tell: 503 outcome_unknown, and the same Idempotency-Key then finds the Pod', async () => {
  const a = await app();
  fake.failNext('create', { createThenReset: true });
  fake.failNext('create', { status: 500 }, 3);
  fake.failNext('get', { status: 503 });
  const lost = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(lost.statusCode, 503, lost.body);
  assert.equal(lost.headers['retry-after'], '5');
  const err = lost.json().error;
  assert.equal(err.code, 'outcome_unknown');
  assert.match(err.message, /retry with the same Idempotency-Key$/);
  const again = await launchJob(a, 'basic', { sleepSeconds: 0 }, KEY);
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(flowkubePods(fake).length, 1);
  assert.equal(again.json().job.id, flowkubePods(fake)[0]!.metadata?.name);
});

test("a ResourceQuota refusal is 429 limit_exceeded with the quota's words and Retry-After", async () => {
  const a = await app();
  fake.setPodQuota('flowkube-jobs', { name: 'flowkube-jobs-quota', pods: 1 });
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
    assert.equal(fake.leases().filter((l) => l.metadata.name.startsWith('flowkube-slot-global-')).length, 1);
  } finally {
    fake.setPodQuota('flowkube-jobs', undefined);
  }
});

test('one Idempotency-Key for two templates on two replicas at once: one Pod, the other answer is conflict', async () => {
  const a = await app();
  const other = await build({ fake });
  try {
    const answers = await Promise.all([
      launchJob(a, 'basic', { sleepSeconds: 1 }, KEY),
      launchJob(other.app, 'cpu-load', { durationSeconds: 1 }, KEY),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 409], answers.map((r) => r.body).join(' '));
    assert.equal(answers.find((r) => r.statusCode === 409)!.json().error.code, 'conflict');
    assert.equal(flowkubePods(fake).length, 1);
  } finally {
    await other.close();
  }
});

const podDeletesSince = (index: number) =>
  fake.requests.slice(index).filter((r) => r.verb === 'delete' && r.resource === 'pods').length;

/** POSTs a launch over real HTTP and drops the connection after `ms`. */
async function launchAndHangUp(url: string, ms: number): Promise<void> {
  const gone = new AbortController();
  const sent = fetch(`${url}/api/v1/jobs`, {
    method: 'POST',
    headers: { ...launch, 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'basic', params: { sleepSeconds: 30 } }),
    signal: gone.signal,
  });
  setTimeout(() => gone.abort(), ms);
  await assert.rejects(sent, { name: 'AbortError' });
}

test('a caller who hangs up while Kubernetes is slow: the late Pod is deleted and its slots are freed', async () => {
  const a = await app();
  const url = await a.listen({ port: 0, host: '127.0.0.1' });
  const seen = fake.requests.length;
  fake.failNext('create', { delayMs: 1500 });
  await launchAndHangUp(url, 300);
  // the API server stores the Pod after 1.5 s; the proxy sees it and deletes it
  await waitFor('the proxy to delete the late Pod', () => podDeletesSince(seen) > 0, 10_000);
  await waitFor('the late Pod to be gone', () => flowkubePods(fake).length === 0, 10_000);
  await waitFor('its slots to be free', () => fake.leases().length === 0, 10_000);
  assert.equal((await launchJob(a, 'basic', { sleepSeconds: 0 })).statusCode, 201);
});

test('a caller who hangs up during a retry wait: no further create is sent, and the slots are freed', async () => {
  t = await build({ fake, deps: { createRetry: { attempts: 4, baseDelayMs: 1500, maxRetryAfterMs: 100 } } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const creates = () => fake.requests.filter((r) => r.verb === 'create' && r.resource === 'pods' && !r.query.dryRun);
  const before = creates().length;
  fake.failNext('create', { status: 500 });
  await launchAndHangUp(url, 300);
  await waitFor('its slots to be free', () => fake.leases().length === 0, 5000);
  // past the first retry's wait (1.5 s ± 25%)
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.equal(creates().length - before, 1);
  assert.equal(flowkubePods(fake).length, 0);
});

test('a launch has an overall deadline: 503 in time, and the Pod that lands later is removed', async () => {
  t = await build({ fake, deps: { launchDeadlineMs: 500 } });
  fake.failNext('create', { delayMs: 1500 });
  const seen = fake.requests.length;
  const started = Date.now();
  const res = await launchJob(t.app, 'basic', { sleepSeconds: 30 });
  assert.ok(Date.now() - started < 1400, `answered after ${Date.now() - started} ms`);
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().error.code, 'kube_unavailable');
  assert.match(res.json().error.message, /within the launch deadline/);
  await waitFor(
    'the late Pod to be gone',
    () => flowkubePods(fake).length === 0 && fake.requestCount('delete') > 0,
    10_000
  );
  await waitFor('its slots to be free', () => fake.leases().length === 0, 10_000);
});
