import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startFakeKube, type FakeKube } from '../../../../../tests/fake-kube/index.ts';
import type { Job } from '../../../../src/schemas/index.ts';
import { type Built, build, launchJob, read, waitFor } from '../../../helper.ts';

// Two proxies on one API, as the Deployment's two replicas behind a Service without session affinity.
let fake: FakeKube;
let a: Built;
let b: Built;
before(async () => {
  fake = await startFakeKube({ startDelayMs: 50, bookmarkIntervalMs: 300 });
  [a, b] = await Promise.all([build({ fake }), build({ fake })]);
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
  await fake.stop();
});

function poll(app: FastifyInstance, since?: string, timeoutSeconds = 1) {
  const q = since === undefined ? '' : `?since=${since}&timeoutSeconds=${timeoutSeconds}`;
  return app.inject({ url: `/api/v1/changes${q}`, headers: read });
}

test('a client alternating between replicas never gets 410 and sees every change', async () => {
  let cursor = (await poll(a.app)).json().cursor as string;
  const ids: string[] = [];
  const last = new Map<string, Job['phase']>();
  const removed = new Set<string>();
  for (let i = 0; i < 24; i++) {
    if (i % 4 === 0) {
      // launches go through either replica too
      // the first job still runs when it is cancelled at poll 13; the others finish at once
      const res = await launchJob(i % 8 === 0 ? a.app : b.app, 'basic', { sleepSeconds: i === 0 ? 60 : 0 });
      assert.equal(res.statusCode, 201, res.body);
      ids.push(res.json().job.id);
    }
    if (i === 13) {
      const del = await b.app.inject({
        method: 'DELETE',
        url: `/api/v1/jobs/${ids[0]}`,
        headers: { authorization: `Bearer ${a.config.launchToken}` },
      });
      assert.equal(del.statusCode, 202, del.body);
    }
    const replica = i % 2 === 0 ? b : a;
    const res = await poll(replica.app, cursor);
    assert.equal(res.statusCode, 200, `poll ${i} on replica ${i % 2 === 0 ? 'b' : 'a'}: ${res.body}`);
    const body = res.json();
    for (const job of body.items as Job[]) {
      last.set(job.id, job.phase);
    }
    for (const id of body.removed as string[]) {
      removed.add(id);
    }
    assert.ok(Number(body.cursor) >= Number(cursor), 'a cursor never goes back');
    cursor = body.cursor;
  }
  // keep alternating until the client has seen each job finish (and the cancelled one end)
  await waitFor(
    `every change seen through alternating replicas (${ids.join(',')})`,
    async () => {
      for (const replica of [a, b]) {
        const res = await poll(replica.app, cursor, 1);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        for (const job of body.items as Job[]) {
          last.set(job.id, job.phase);
        }
        for (const id of body.removed as string[]) {
          removed.add(id);
        }
        cursor = body.cursor;
      }
      // a cancelled job is either gone or kept as Cancelled, depending on retention
      const cancelled = removed.has(ids[0]!) || last.get(ids[0]!) === 'Cancelled';
      return cancelled && ids.slice(1).every((id) => last.get(id) === 'Succeeded');
    },
    30_000
  );
});
