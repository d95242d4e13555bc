import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { LIST_PAGE_SIZE } from '../../src/plugins/job-cache.ts';
import type { Job } from '../../src/schemas/index.ts';
import { startFakeKube } from '../../../tests/fake-kube/index.ts';
import { type Built, build, captureLogs, launchJob, read, waitFor } from '../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

const FLOWKUBE = { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'basic', job_type: 'basic' };

async function changesFrom(app: FastifyInstance, cursor: string) {
  const res = await app.inject({ url: `/api/v1/changes?since=${cursor}&timeoutSeconds=0`, headers: read });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { cursor: string; items: Job[]; removed: string[] };
}

async function currentCursor(app: FastifyInstance): Promise<string> {
  return (await app.inject({ url: '/api/v1/changes', headers: read })).json().cursor;
}

const ready = async () => (await t.app.inject({ url: '/readyz' })).statusCode;

test('a cleanly closed watch reconnects from its resourceVersion and misses nothing', async () => {
  const cursor = await currentCursor(t.app);
  const lists = t.fake.requestCount('list');
  t.fake.closeWatches();
  t.fake.seedPods(1, { namePrefix: 'basic-closed', labels: FLOWKUBE, phase: 'Running' });
  await waitFor('the seeded Pod in the cache', () => t.app.jobs.get('basic-closed0'));
  t.fake.setPodStatus('flowkube-jobs', 'basic-closed0', { phase: 'Succeeded' });
  await waitFor('its success', () => t.app.jobs.get('basic-closed0')?.job.phase === 'Succeeded');
  const { items } = await changesFrom(t.app, cursor);
  assert.equal(items.find((j) => j.id === 'basic-closed0')?.phase, 'Succeeded');
  assert.equal(t.fake.requestCount('list'), lists, 'a clean reconnect resumes the watch without a re-list');
  assert.equal(await ready(), 200);
});

test('a broken watch (500) makes /readyz 503; after healing the cache converges and /changes has every change', async () => {
  const cursor = await currentCursor(t.app);
  const job = (await launchJob(t.app, 'basic', { sleepSeconds: 0 })).json().job;
  t.fake.breakWatches(500);
  t.fake.closeWatches();
  await waitFor('/readyz to report the stale cache', async () => (await ready()) === 503);
  const body = (await t.app.inject({ url: '/readyz' })).json();
  assert.equal(body.error.code, 'not_ready');
  // while the watch is down things keep happening
  t.fake.seedPods(2, { namePrefix: 'basic-outage', labels: FLOWKUBE, phase: 'Failed' });
  await waitFor('the worker to finish in Kubernetes', () =>
    t.fake.pods().some((p) => p.metadata?.name === job.id && p.status?.phase === 'Succeeded')
  );
  assert.equal(await ready(), 503);
  t.fake.healWatches();
  await waitFor('/readyz to recover', async () => (await ready()) === 200);
  await waitFor(
    'the cache to converge',
    () => t.app.jobs.get(job.id)?.job.phase === 'Succeeded' && t.app.jobs.get('basic-outage1')
  );
  const { items } = await changesFrom(t.app, cursor);
  assert.equal(items.find((j) => j.id === job.id)?.phase, 'Succeeded');
  assert.ok(items.some((j) => j.id === 'basic-outage0') && items.some((j) => j.id === 'basic-outage1'));
  const metrics = (await t.app.inject({ url: '/metrics' })).body;
  assert.match(metrics, /^flowkube_watch_restarts_total\{cause="error"\} [1-9]/m);
  assert.match(metrics, /^flowkube_cache_ready 1$/m);
});

test('an expired resourceVersion (410) re-lists: deletions made meanwhile show up as removed', async () => {
  t.fake.seedPods(1, { namePrefix: 'basic-gone', labels: FLOWKUBE, phase: 'Succeeded' });
  await waitFor('the Pod in the cache', () => t.app.jobs.get('basic-gone0'));
  const cursor = await currentCursor(t.app);
  const lists = t.fake.requestCount('list');
  t.fake.breakWatches(500);
  t.fake.closeWatches();
  await waitFor('/readyz 503', async () => (await ready()) === 503);
  const del = await fetch(`${t.fake.url}/api/v1/namespaces/flowkube-jobs/pods/basic-gone0`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${t.fake.token}` },
  });
  assert.equal(del.status, 200);
  t.fake.seedPods(1, { namePrefix: 'basic-new', labels: FLOWKUBE, phase: 'Running' });
  t.fake.expireHistory();
  t.fake.healWatches();
  await waitFor('the re-listed cache', () => !t.app.jobs.get('basic-gone0') && t.app.jobs.get('basic-new0'));
  assert.ok(t.fake.requestCount('list') > lists, 'the 410 forced a re-list');
  const { items, removed } = await changesFrom(t.app, cursor);
  assert.ok(removed.includes('basic-gone0'));
  assert.ok(items.some((j) => j.id === 'basic-new0'));
  await waitFor('/readyz 200', async () => (await ready()) === 200);
});

test('the cache holds only FlowKube Pods of the namespace', async () => {
  t.fake.seedPods(1, { namePrefix: 'foreign-', labels: { app: 'x' }, phase: 'Running' });
  t.fake.seedPods(1, { namePrefix: 'basic-visible', labels: FLOWKUBE, phase: 'Running' });
  await waitFor('the FlowKube Pod', () => t.app.jobs.get('basic-visible0'));
  assert.equal(t.app.jobs.get('foreign-0'), undefined);
  // Pod lists and watches only: the launch slots' Lease lists have selectors of their own
  const listCalls = t.fake.requests.filter(
    (r) => (r.verb === 'list' || r.verb === 'watch') && r.path.endsWith('/pods')
  );
  assert.ok(listCalls.length > 0);
  assert.ok(listCalls.every((r) => r.query.labelSelector === 'app.kubernetes.io/managed-by=flowkube'));
});

test('each job finish is counted exactly once: not for Pods already over at start, not again on a re-list', async () => {
  const own = await build({ ready: false, fakeOptions: {} });
  try {
    own.fake.seedPods(3, { namePrefix: 'log-gen-old', labels: { ...FLOWKUBE, 'flowkube.io/template': 'log-gen' } });
    await waitFor('ready', async () => (await own.app.inject({ url: '/readyz' })).statusCode === 200);
    await waitFor('the old Pods', () => own.app.jobs.get('log-gen-old2'));
    const count = async () => {
      const text = (await own.app.inject({ url: '/metrics' })).body;
      const m = /^flowkube_jobs_finished_total\{template="log-gen",phase="Failed"\} (\d+)$/m.exec(text);
      return m ? Number(m[1]) : 0;
    };
    assert.equal(await count(), 0);
    const job = (await launchJob(own.app, 'log-gen', { tasks: 1, taskIntervalMs: 0, fail: true })).json().job;
    await waitFor('the job to fail', () => own.app.jobs.get(job.id)?.job.phase === 'Failed');
    assert.equal(await count(), 1);
    assert.equal(own.app.jobs.get(job.id)?.job.exitCode, 1);
    own.fake.expireHistory();
    own.fake.closeWatches();
    const lists = own.fake.requestCount('list');
    await waitFor('a re-list', () => own.fake.requestCount('list') > lists);
    // the fake counts the list when it arrives, the proxy counts the restart once the answer is in
    await waitFor('the re-list counted', async () =>
      /^flowkube_watch_restarts_total\{cause="expired"\} [1-9]/m.test((await own.app.inject({ url: '/metrics' })).body)
    );
    await waitFor('ready again', async () => (await own.app.inject({ url: '/readyz' })).statusCode === 200);
    assert.equal(await count(), 1);
    const text = (await own.app.inject({ url: '/metrics' })).body;
    assert.match(text, /^flowkube_job_duration_seconds_count\{template="log-gen",phase="Failed"\} 1$/m);
    assert.match(text, /^flowkube_jobs_active\{template="log-gen",phase="Failed"\} 1$/m);
    assert.match(text, /^flowkube_jobs_active\{template="log-gen",phase="Succeeded"\} 3$/m);
    assert.match(text, /^flowkube_watch_restarts_total\{cause="expired"\} [1-9]/m);
  } finally {
    await own.close();
  }
});

test('the first list is paged (500 Pods a page) and the cache holds every Pod; the watch then resumes', async () => {
  const fake = await startFakeKube({ startDelayMs: 50 });
  fake.seedPods(1200, { namePrefix: 'basic-paged', labels: FLOWKUBE });
  const own = await build({ fake });
  try {
    assert.equal(own.app.jobs.size, 1200);
    assert.equal(fake.requestCount('list'), Math.ceil(1200 / LIST_PAGE_SIZE));
    assert.equal(fake.requests.filter((r) => r.verb === 'list' && r.query.continue).length, 2);
    fake.setPodStatus('flowkube-jobs', 'basic-paged0', { phase: 'Failed', reason: 'Evicted' });
    await waitFor('the change after the paged list', () => own.app.jobs.get('basic-paged0')?.job.reason === 'Evicted');
  } finally {
    await own.close();
    await fake.stop();
  }
});

test('a failed watch is logged with its cause: the HTTP status, or why no answer came (never a token)', async () => {
  const logs = captureLogs('warn');
  const lines = logs.lines;
  const fake = await startFakeKube({ startDelayMs: 50 });
  const own = await build({ fake, deps: { logger: logs.logger } });
  const failures = () => lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('pod watch failed'));
  try {
    fake.breakWatches(500);
    fake.closeWatches();
    const http = await waitFor('the 500 logged', () => failures().find((l) => l.status === 500));
    assert.match(String(http.msg), /HTTP 500|Internal Server Error/);
    await fake.stop();
    const refused = await waitFor('the refused connection logged', () => failures().find((l) => l.status === 0));
    assert.match(String(refused.error), /ECONNREFUSED/);
    assert.match(String(refused.msg), /ECONNREFUSED/);
    assert.ok(!JSON.stringify(lines).includes(fake.token), 'the Kubernetes token never reaches the log');
  } finally {
    await own.close();
  }
});
