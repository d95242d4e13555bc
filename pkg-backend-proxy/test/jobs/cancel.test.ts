import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build, launch, launchJob, read, waitFor } from '../helper.ts';

let t: Built;
before(async () => {
  t = await build({ env: { FLOWKUBE_RETENTION_SECONDS: '3600' } });
});
after(() => t.close());

const FLOWKUBE = { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'basic', job_type: 'basic' };
const getJob = async (id: string) => (await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
const cancel = (id: string, query = '') =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${id}${query}`,
    headers: { ...launch, 'x-grafana-user': 'bob' },
  });

test('cancelling a running job stops its Pod by deadline and keeps it: Cancelled, by whom, logs still there', async () => {
  const res = await launchJob(t.app, 'log-gen', { tasks: 1000, taskIntervalMs: 100, seed: 7 });
  const id = res.json().job.id;
  const logText = async () => (await t.app.inject({ url: `/api/v1/jobs/${id}/logs`, headers: read })).body;
  await waitFor(
    'the worker to log',
    async () => t.app.jobs.get(id)?.job.phase === 'Running' && /task/.test(await logText())
  );
  const del = await cancel(id);
  assert.equal(del.statusCode, 202, del.body);
  assert.equal(del.json().job.cancelledBy, 'bob');
  assert.ok(del.json().job.cancelledAt);
  // a patch, not a delete: the Pod has the annotations and a 1 s deadline
  const patches = t.fake.requests.filter((r) => r.verb === 'patch' && r.path.endsWith(`/pods/${id}`));
  assert.equal(patches.length, 1);
  assert.equal(t.fake.requests.filter((r) => r.verb === 'delete' && r.path.endsWith(`/pods/${id}`)).length, 0);
  const pod = t.fake.pods().find((p) => p.metadata?.name === id)!;
  assert.equal(pod.spec?.activeDeadlineSeconds, 1);
  assert.equal(pod.metadata?.annotations?.['flowkube.io/cancelled-by'], 'bob');

  const job = await waitFor('the job to show Cancelled', async () => {
    const j = await getJob(id);
    return j.phase === 'Cancelled' ? j : undefined;
  });
  assert.deepEqual([job.reason, job.message, job.cancelledBy], ['Cancelled', 'Cancelled by bob', 'bob']);
  assert.ok(job.finishedAt);
  assert.equal(job.deletedAt, undefined);
  // still listed, filterable by its own phase, and its Pod (with its log) stays until retention
  const listed = (await t.app.inject({ url: '/api/v1/jobs?phase=Cancelled', headers: read })).json().items;
  assert.deepEqual(
    listed.map((j: { id: string }) => j.id),
    [id]
  );
  assert.ok(t.fake.pods().some((p) => p.metadata?.name === id && p.status?.reason === 'DeadlineExceeded'));
  assert.match(await logText(), /task/);
  const metrics = (await t.app.inject({ url: '/metrics' })).body;
  assert.match(metrics, /^flowkube_jobs_finished_total\{template="log-gen",phase="Cancelled"\} 1$/m);
  assert.match(metrics, /^flowkube_jobs_finished_total\{template="log-gen",phase="Failed"\} 0$/m);

  // cancelling again answers the same cancelled job; it cannot be un-cancelled or cancelled twice
  const again = await cancel(id);
  assert.equal(again.statusCode, 202);
  assert.equal(again.json().job.phase, 'Cancelled');
  assert.equal(t.fake.requests.filter((r) => r.verb === 'patch' && r.path.endsWith(`/pods/${id}`)).length, 1);
});

test('cancelling a job not yet running deletes its Pod, which its finalizer keeps as Cancelled until retention', async () => {
  t.fake.seedPods(1, { namePrefix: 'basic-waiting', labels: FLOWKUBE, phase: 'Pending' });
  const id = 'basic-waiting0';
  await waitFor('the pending job', () => t.app.jobs.get(id));
  const del = await cancel(id);
  assert.equal(del.statusCode, 202, del.body);
  assert.equal(del.json().job.phase, 'Cancelled');
  assert.ok(del.json().job.deletedAt);
  const stored = () => t.fake.pods().find((p) => p.metadata?.name === id);
  assert.ok(stored()?.metadata?.deletionTimestamp, 'the Pod is marked deleting');
  assert.deepEqual(stored()?.metadata?.finalizers, ['flowkube.io/cancelled']);
  const job = await waitFor('the cache to show it Cancelled', async () => {
    const r = await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
    return r.statusCode === 200 && r.json().job.phase === 'Cancelled' ? r.json().job : undefined;
  });
  assert.deepEqual([job.cancelledBy, job.reason], ['bob', 'Cancelled']);
  assert.equal(job.finishedAt, job.cancelledAt);
  assert.ok(
    (await t.app.inject({ url: '/api/v1/jobs', headers: read })).json().items.some((j: { id: string }) => j.id === id)
  );
  assert.match((await t.app.inject({ url: '/metrics' })).body, /^flowkube_jobs_deleted_total\{reason="cancel"\} 1$/m);
  // cancelling again answers the same job and calls nothing
  const calls = t.fake.requests.length;
  assert.equal((await cancel(id)).json().job.phase, 'Cancelled');
  assert.equal(t.fake.requests.length, calls);

  // kept as long as a finished Pod: a sweep within the retention leaves it, one after it releases the finalizer
  assert.ok(!(await t.app.retention.sweep()).includes(id));
  assert.ok(stored());
  assert.ok((await t.app.retention.sweep(new Date(Date.now() + 2 * 3600_000))).includes(id));
  assert.equal(stored(), undefined, 'removing the last finalizer deleted the Pod');
  await waitFor('the job to leave the cache', () => t.app.jobs.get(id) === undefined);
});

test('a job the cache still shows Pending but that started keeps no finalizer: its deadline stops it instead', async () => {
  t.fake.seedPods(1, { namePrefix: 'basic-racing', labels: FLOWKUBE, phase: 'Pending' });
  const id = 'basic-racing0';
  await waitFor('the pending job', () => t.app.jobs.get(id));
  // the watch goes silent, so the cache misses the start
  t.fake.breakWatches(500);
  t.fake.closeWatches();
  try {
    t.fake.setPodStatus('flowkube-jobs', id, { phase: 'Running' });
    assert.equal(t.app.jobs.get(id)?.job.phase, 'Pending');
    const res = await cancel(id);
    assert.equal(res.statusCode, 202, res.body);
    const stored = t.fake.pods().find((p) => p.metadata?.name === id);
    assert.equal(stored?.metadata?.deletionTimestamp, undefined, 'not deleted');
    assert.deepEqual(stored?.metadata?.finalizers ?? [], [], 'the finalizer went again');
    assert.equal(stored?.spec?.activeDeadlineSeconds, 1);
  } finally {
    t.fake.healWatches();
  }
});

test('a finished job cannot be cancelled (409); ?purge=true deletes its record now, an active one is refused', async () => {
  t.fake.seedPods(1, { namePrefix: 'basic-done', labels: FLOWKUBE, phase: 'Succeeded' });
  t.fake.seedPods(1, { namePrefix: 'basic-busy', labels: FLOWKUBE, phase: 'Running' });
  await waitFor('the seeded jobs', () => t.app.jobs.get('basic-done0') && t.app.jobs.get('basic-busy0'));
  const late = await cancel('basic-done0');
  assert.equal(late.statusCode, 409);
  assert.match(late.json().error.message, /already over \(Succeeded\).*\?purge=true/);
  const busy = await cancel('basic-busy0', '?purge=true');
  assert.equal(busy.statusCode, 409);
  assert.match(busy.json().error.message, /only a finished job can be purged; cancel it first/);
  const readOnly = await t.app.inject({ method: 'DELETE', url: '/api/v1/jobs/basic-done0?purge=true', headers: read });
  assert.equal(readOnly.statusCode, 403);
  const bad = await cancel('basic-done0', '?purge=maybe');
  assert.equal(bad.statusCode, 400);

  const purged = await cancel('basic-done0', '?purge=true');
  assert.equal(purged.statusCode, 202, purged.body);
  await waitFor('the Pod and the job to go', async () => {
    const gone = !t.fake.pods().some((p) => p.metadata?.name === 'basic-done0');
    return gone && (await t.app.inject({ url: '/api/v1/jobs/basic-done0', headers: read })).statusCode === 404;
  });
  assert.match((await t.app.inject({ url: '/metrics' })).body, /^flowkube_jobs_deleted_total\{reason="purge"\} 1$/m);
});
