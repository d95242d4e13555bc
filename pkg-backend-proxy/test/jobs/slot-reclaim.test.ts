// Slots whose holder is gone or over are taken back: after a grace when the holder never appeared, at once when it is over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearJobs, launchJob, waitFor } from '../helper.ts';
import { MAX_ACTIVE, NS, replicasFixture } from './replicas-fixture.ts';

const f = replicasFixture();

test('a slot whose holder never appeared is taken back after the grace, not before', async () => {
  await clearJobs(f.fake);
  const [a, b] = await f.replicas({ slotGraceMs: 1_500 });
  try {
    // a replica claimed every global slot and died before creating its Pods
    const now = new Date();
    for (let i = 0; i < MAX_ACTIVE; i++) {
      const res = await fetch(`${f.fake.url}/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.fake.token}`, 'content-type': 'application/json' },
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
    assert.deepEqual(new Set(f.fake.leases(NS).map((l) => l.spec?.holderIdentity)), new Set([later.json().job.id]));
  } finally {
    await a.close();
    await b.close();
  }
});

test('a slot whose holder is over is taken back at once', async () => {
  await clearJobs(f.fake);
  const a = await f.replica();
  const first = await launchJob(a.app, 'sleepy');
  const second = await launchJob(a.app, 'sleepy');
  assert.deepEqual([first.statusCode, second.statusCode], [201, 201]);
  // no replica sees this one end (the app is closed first), so its Lease stays behind
  await a.close();
  // once the fake kubelet has started it, or its move to Running would overwrite the eviction
  await waitFor('the first Pod to run', () =>
    f.fake.pods(NS).some((p) => p.metadata?.name === first.json().job.id && p.status?.phase === 'Running')
  );
  f.fake.setPodStatus(NS, first.json().job.id, { phase: 'Failed', reason: 'Evicted' });
  const c = await f.replica();
  try {
    await waitFor(
      'the new replica to see the eviction',
      () => c.app.jobs.get(first.json().job.id)?.job.phase === 'Failed'
    );
    assert.equal(
      f.fake.leases(NS).filter((l) => l.metadata.name.startsWith('flowkube-slot-template-sleepy-')).length,
      2
    );
    const third = await launchJob(c.app, 'sleepy');
    assert.equal(third.statusCode, 201, third.body);
    const fourth = await launchJob(c.app, 'sleepy');
    assert.equal(fourth.statusCode, 429, 'the running one still holds its slot');
  } finally {
    await c.close();
  }
});
