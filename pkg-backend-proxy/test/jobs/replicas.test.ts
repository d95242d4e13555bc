// The launch limits across replicas: two proxies (two apps) on one fake API share the slot Leases.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { parseCatalog } from '../../src/catalog/load.ts';
import { isActive } from '../../src/contract/phases.ts';
import { type Built, build, clearJobs, flowkubePods, launch, launchJob, waitFor } from '../helper.ts';

const NS = 'flowkube-jobs';
const MAX_ACTIVE = 7;
const NARROW_LIMIT = 2;

// Pods of an image the fake does not run stay Pending (ImagePullBackOff): active, and no worker process burns CPU.
const template = (id: string, maxConcurrent: number) => `
  - id: ${id}
    title: ${id}
    description: Stays Pending.
    image: example.com/never-pulled:1
    command: [sleep, '3600']
    params: { type: object, additionalProperties: false, properties: {} }
    resources:
      requests: { cpu: 10m, memory: 16Mi }
      limits: { cpu: 10m, memory: 16Mi }
    timeoutSeconds: 600
    maxConcurrent: ${maxConcurrent}`;
// a real worker process (the fake runs python/app_basic.py), for a Pod whose status must stay as a test sets it
const sleepy = `
  - id: sleepy
    title: sleepy
    description: Sleeps a minute.
    image: flowkube/worker:0.1.0
    command: [python, /app/app_basic.py]
    env: [{ name: SLEEP_SECONDS, value: '60' }]
    params: { type: object, additionalProperties: false, properties: {} }
    resources:
      requests: { cpu: 10m, memory: 32Mi }
      limits: { cpu: 100m, memory: 64Mi }
    timeoutSeconds: 600
    maxConcurrent: 2`;
const catalog = parseCatalog(
  `templates:${template('wide', 10)}${template('narrow', NARROW_LIMIT)}${sleepy}`,
  'replicas.yaml'
);

let fake: FakeKube;
before(async () => {
  fake = await startFakeKube({ startDelayMs: 50 });
});
after(() => fake.stop());

type Deps = NonNullable<Parameters<typeof build>[0]>['deps'];

const replica = (deps: Deps = {}) => build({ fake, catalog, env: { FLOWKUBE_MAX_ACTIVE: String(MAX_ACTIVE) }, deps });

async function replicas(deps: Deps = {}): Promise<[Built, Built]> {
  return [await replica(deps), await replica(deps)];
}

const activePods = () =>
  flowkubePods(fake).filter(
    (p) => !p.metadata?.deletionTimestamp && (p.status?.phase === 'Pending' || p.status?.phase === 'Running')
  );

test('two replicas, 100 concurrent launches, 5 rounds: never more Pods than the limits, and freed slots are reused', async () => {
  await clearJobs(fake);
  const [a, b] = await replicas();
  try {
    for (let round = 1; round <= 5; round++) {
      const launches = Array.from({ length: 100 }, (_, i) => {
        const app = (i % 2 === 0 ? a : b).app;
        return launchJob(app, i % 4 < 2 ? 'narrow' : 'wide');
      });
      const answers = await Promise.all(launches);
      const codes = answers.map((r) => r.statusCode);
      assert.ok(
        codes.every((c) => c === 201 || c === 429),
        `round ${round}: ${JSON.stringify(answers.filter((r) => r.statusCode !== 201 && r.statusCode !== 429).map((r) => r.body))}`
      );
      const pods = activePods();
      const narrow = pods.filter((p) => p.metadata?.labels?.['flowkube.io/template'] === 'narrow');
      // exact, not just bounded: every global slot was taken, none twice
      assert.equal(pods.length, MAX_ACTIVE, `round ${round}: ${pods.length} active Pods`);
      assert.equal(codes.filter((c) => c === 201).length, MAX_ACTIVE, `round ${round}: 201s`);
      assert.ok(narrow.length <= NARROW_LIMIT, `round ${round}: ${narrow.length} narrow Pods`);
      // one Lease per slot held: a global one per Pod, and one of its template's
      const leases = fake.leases(NS);
      assert.equal(leases.filter((l) => l.metadata.name.startsWith('flowkube-slot-global-')).length, MAX_ACTIVE);
      assert.deepEqual(new Set(leases.map((l) => l.spec?.holderIdentity)), new Set(pods.map((p) => p.metadata!.name)));

      // cancel through either replica; both see the Pods end, and the slots are freed
      const created = answers.filter((r) => r.statusCode === 201).map((r) => r.json().job.id as string);
      for (const [i, id] of created.entries()) {
        const res = await (i % 2 === 0 ? b : a).app.inject({
          method: 'DELETE',
          url: `/api/v1/jobs/${id}`,
          headers: launch,
        });
        assert.equal(res.statusCode, 202, res.body);
      }
      await waitFor(`round ${round}: every slot Lease freed`, () => fake.leases(NS).length === 0, 10_000);
      await waitFor(`round ${round}: both caches see no active job`, () =>
        [a, b].every((r) => r.app.jobs.all().filter(isActive).length === 0)
      );
    }
  } finally {
    await a.close();
    await b.close();
  }
});

test('a slot whose holder never appeared is taken back after the grace, not before', async () => {
  await clearJobs(fake);
  const [a, b] = await replicas({ slotGraceMs: 1_500 });
  try {
    // a replica claimed every global slot and died before creating its Pods
    const now = new Date();
    for (let i = 0; i < MAX_ACTIVE; i++) {
      const res = await fetch(`${fake.url}/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          metadata: { name: `flowkube-slot-global-${i}`, labels: { 'flowkube.io/slot-scope': 'global' } },
          spec: { holderIdentity: `gone-${i}`, acquireTime: now.toISOString().replace('Z', '000Z') },
        }),
      });
      assert.equal(res.status, 201);
    }
    const early = await launchJob(a.app, 'wide');
    assert.equal(early.statusCode, 429, early.body);
    assert.equal(early.json().error.details.limit, 'FLOWKUBE_MAX_ACTIVE');

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const later = await launchJob(b.app, 'wide');
    assert.equal(later.statusCode, 201, later.body);
    // every abandoned claim was past the grace, so all went; only the new job's slots are held
    assert.deepEqual(new Set(fake.leases(NS).map((l) => l.spec?.holderIdentity)), new Set([later.json().job.id]));
  } finally {
    await a.close();
    await b.close();
  }
});

test('a slot whose holder is over is taken back at once', async () => {
  await clearJobs(fake);
  const a = await replica();
  const first = await launchJob(a.app, 'sleepy');
  const second = await launchJob(a.app, 'sleepy');
  assert.deepEqual([first.statusCode, second.statusCode], [201, 201]);
  // no replica sees this one end (the app is closed first), so its Lease stays behind
  await a.close();
  fake.setPodStatus(NS, first.json().job.id, { phase: 'Failed', reason: 'Evicted' });
  const c = await replica();
  try {
    await waitFor(
      'the new replica to see the eviction',
      () => c.app.jobs.get(first.json().job.id)?.job.phase === 'Failed'
    );
    assert.equal(fake.leases(NS).filter((l) => l.metadata.name.startsWith('flowkube-slot-template-sleepy-')).length, 2);
    const third = await launchJob(c.app, 'sleepy');
    assert.equal(third.statusCode, 201, third.body);
    const fourth = await launchJob(c.app, 'sleepy');
    assert.equal(fourth.statusCode, 429, 'the running one still holds its slot');
  } finally {
    await c.close();
  }
});
