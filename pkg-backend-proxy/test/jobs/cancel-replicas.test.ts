// A job cancelled before it ran, seen by two replicas on one fake API: its Pod, kept marked deleting by the cancel
// finalizer, is the one record every replica (and one started later) lists, and purge or retention ends it on all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Built, launch, launchJob, read, waitFor } from '../helper.ts';
import { MAX_ACTIVE, NS, replicasFixture } from './replicas-fixture.ts';

const f = replicasFixture();

const jobOn = async (app: FastifyInstance, id: string) => {
  const r = await app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
  return r.statusCode === 200 ? r.json().job : undefined;
};
const listed = async (app: FastifyInstance, id: string) =>
  (await app.inject({ url: '/api/v1/jobs', headers: read })).json().items.find((j: { id: string }) => j.id === id);
const del = (app: FastifyInstance, id: string, query = '') =>
  app.inject({
    method: 'DELETE',
    url: `/api/v1/jobs/${id}${query}`,
    headers: { ...launch, 'x-grafana-user': 'carol' },
  });

async function cancelledPending(a: Built): Promise<string> {
  const res = await launchJob(a.app, 'wide');
  assert.equal(res.statusCode, 201, res.body);
  const id: string = res.json().job.id;
  const cancelled = await del(a.app, id);
  assert.equal(cancelled.statusCode, 202, cancelled.body);
  assert.equal(cancelled.json().job.phase, 'Cancelled');
  return id;
}

test('cancelled before it ran: Cancelled with who on both replicas and after a restart; purge and retention end it on both', async () => {
  // the namespace's ResourceQuota is the hard cap: exactly as many Pods as the proxy's own limit
  f.fake.setPodQuota(NS, { name: 'jobs', pods: MAX_ACTIVE });
  let [a, b] = await f.replicas();
  try {
    const id = await cancelledPending(a);
    for (const r of [a, b]) {
      const job = await waitFor('Cancelled on both replicas', async () => {
        const j = await listed(r.app, id);
        return j?.phase === 'Cancelled' ? j : undefined;
      });
      assert.equal(job.cancelledBy, 'carol');
    }

    // a replica that starts after the deletion lists it too: Kubernetes holds it, not a replica's memory
    await b.close();
    b = await f.replica();
    const restarted = await waitFor('Cancelled after a restart', async () => {
      const j = await jobOn(b.app, id);
      return j?.phase === 'Cancelled' ? j : undefined;
    });
    assert.equal(restarted.cancelledBy, 'carol');

    // it holds no launch slot and no quota: the whole limit can be launched again, through either replica
    const launched = await Promise.all(
      Array.from({ length: MAX_ACTIVE }, (_, i) => launchJob((i % 2 ? a : b).app, 'wide'))
    );
    assert.deepEqual(
      launched.map((r) => r.statusCode),
      Array(MAX_ACTIVE).fill(201),
      launched.map((r) => r.body).join('\n')
    );
    assert.equal((await launchJob(a.app, 'wide')).statusCode, 429, 'the limit still holds');
    for (const r of launched) {
      await del(b.app, r.json().job.id);
    }

    const purged = await del(a.app, id, '?purge=true');
    assert.equal(purged.statusCode, 202, purged.body);
    assert.ok(!f.fake.pods(NS).some((p) => p.metadata?.name === id), 'the Pod is gone');
    await waitFor('gone on both replicas', async () =>
      (await Promise.all([a, b].map(async (r) => (await jobOn(r.app, id)) === undefined))).every(Boolean)
    );

    // retention on one replica ends another on both: the sweep releases the finalizer of a Pod past the retention
    const old = await cancelledPending(b);
    await waitFor('Cancelled on replica A', async () => (await jobOn(a.app, old))?.phase === 'Cancelled');
    assert.ok((await b.app.retention.sweep(new Date(Date.now() + 2 * 3600_000))).includes(old));
    await waitFor('the retained job gone on both', async () =>
      (await Promise.all([a, b].map(async (r) => (await jobOn(r.app, old)) === undefined))).every(Boolean)
    );
  } finally {
    f.fake.setPodQuota(NS, undefined);
    await a.close();
    await b.close();
  }
});
