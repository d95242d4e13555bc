// The launch limits across replicas: 100 concurrent launches through two proxies, in rounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isActive } from '../../src/contract/phases.ts';
import { clearJobs, launch, launchJob, waitFor } from '../helper.ts';
import { MAX_ACTIVE, NARROW_LIMIT, NS, replicasFixture } from './replicas-fixture.ts';

const f = replicasFixture();

test('two replicas, 100 concurrent launches, 5 rounds: never more Pods than the limits, and freed slots are reused', async () => {
  await clearJobs(f.fake);
  const [a, b] = await f.replicas();
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
      const pods = f.activePods();
      const narrow = pods.filter((p) => p.metadata?.labels?.['flowkube.io/template'] === 'narrow');
      // exact, not just bounded: every global slot was taken, none twice
      assert.equal(pods.length, MAX_ACTIVE, `round ${round}: ${pods.length} active Pods`);
      assert.equal(codes.filter((c) => c === 201).length, MAX_ACTIVE, `round ${round}: 201s`);
      assert.ok(narrow.length <= NARROW_LIMIT, `round ${round}: ${narrow.length} narrow Pods`);
      // one Lease per slot held: a global one per Pod, and one of its template's
      const leases = f.fake.leases(NS);
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
      await waitFor(`round ${round}: every slot Lease freed`, () => f.fake.leases(NS).length === 0, 10_000);
      await waitFor(`round ${round}: both caches see no active job`, () =>
        [a, b].every((r) => r.app.jobs.all().filter(isActive).length === 0)
      );
    }
  } finally {
    await a.close();
    await b.close();
  }
});
