import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build, waitFor } from '../helper.ts';

let t: Built;
before(async () => {
  t = await build({ env: { FLOWKUBE_RETENTION_SECONDS: '3600' } });
});
after(() => t.close());

const FLOWKUBE = { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'basic', job_type: 'basic' };

test('only FlowKube Pods that finished longer ago than the retention are deleted', async () => {
  const old = new Date(Date.now() - 2 * 3600_000);
  t.fake.seedPods(2, {
    namePrefix: 'basic-old',
    labels: FLOWKUBE,
    phase: 'Succeeded',
    createdAt: old,
    finishedAt: old,
  });
  t.fake.seedPods(1, {
    namePrefix: 'basic-oldfail',
    labels: FLOWKUBE,
    phase: 'Failed',
    createdAt: old,
    finishedAt: old,
  });
  t.fake.seedPods(1, { namePrefix: 'basic-recent', labels: FLOWKUBE, phase: 'Succeeded' });
  // old but still running, and old but finished recently: both stay
  t.fake.seedPods(1, { namePrefix: 'basic-running', labels: FLOWKUBE, phase: 'Running', createdAt: old });
  t.fake.seedPods(1, {
    namePrefix: 'basic-late',
    labels: FLOWKUBE,
    phase: 'Failed',
    createdAt: old,
    finishedAt: new Date(),
  });
  t.fake.seedPods(1, {
    namePrefix: 'foreign-old',
    labels: { app: 'other' },
    phase: 'Succeeded',
    createdAt: old,
    finishedAt: old,
  });
  await waitFor('seeded Pods in the cache', () => t.app.jobs.get('basic-late0'));

  const deleted = await t.app.retention.sweep();
  assert.deepEqual(deleted.sort(), ['basic-old0', 'basic-old1', 'basic-oldfail0']);
  await waitFor('the deletions to land', () => !t.fake.pods().some((p) => p.metadata?.name?.startsWith('basic-old')));
  const left = t.fake.pods().map((p) => p.metadata?.name);
  for (const name of ['basic-recent0', 'basic-running0', 'basic-late0', 'foreign-old0']) {
    assert.ok(left.includes(name), `${name} must stay`);
  }
  const deletes = t.fake.requests.filter((r) => r.verb === 'delete');
  assert.ok(deletes.every((r) => r.path.startsWith('/api/v1/namespaces/flowkube-jobs/pods/basic-old')));
  assert.match(
    (await t.app.inject({ url: '/metrics' })).body,
    /^flowkube_jobs_deleted_total\{reason="retention"\} 3$/m
  );

  // a second sweep finds nothing more to do
  await waitFor('the cache to drop them', () => !t.app.jobs.get('basic-old0') && !t.app.jobs.get('basic-oldfail0'));
  assert.deepEqual(await t.app.retention.sweep(), []);
});

test('the periodic sweep runs by itself on its interval', async () => {
  const own = await build({ fake: t.fake, deps: { retentionIntervalMs: 100 } });
  try {
    const old = new Date(Date.now() - 3 * 3600_000);
    t.fake.seedPods(1, {
      namePrefix: 'basic-timer',
      labels: FLOWKUBE,
      phase: 'Succeeded',
      createdAt: old,
      finishedAt: old,
    });
    await waitFor('the timer to sweep', () => !t.fake.pods().some((p) => p.metadata?.name === 'basic-timer0'));
  } finally {
    await own.close();
  }
});
