// Launches from a launcher panel: the source (dashboard and panel) is checked, kept on the Pod, returned on the job,
// filtered on, and part of what makes an Idempotency-Key repeat the same request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { flowkubePods, launch, read, waitFor } from '../../../helper.ts';
import { KEY, launchFixture } from './launch-fixture.ts';

const f = launchFixture();
const SOURCE = { dashboardUid: 'runbook-1', panelId: 4, title: 'On-call runbook / Restart worker' };

function launchFrom(a: FastifyInstance, source: unknown, headers: Record<string, string> = {}) {
  return a.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, ...headers },
    payload: { template: 'basic', params: { sleepSeconds: 0 }, source },
  });
}

test('the source goes on the Pod as annotations and comes back on the job, in the list filtered by panel', async () => {
  const a = await f.app();
  const post = (source?: unknown) => launchFrom(a, source);
  const first = await post(SOURCE);
  assert.equal(first.statusCode, 201, first.body);
  assert.deepEqual(first.json().job.source, SOURCE);
  const pod = flowkubePods(f.fake).find((p) => p.metadata?.name === first.json().job.id)!;
  assert.equal(pod.metadata?.annotations?.['flowkube.io/source-dashboard'], 'runbook-1');
  assert.equal(pod.metadata?.annotations?.['flowkube.io/source-panel'], '4');
  assert.equal(pod.metadata?.annotations?.['flowkube.io/source-title'], SOURCE.title);

  const otherPanel = await post({ dashboardUid: 'runbook-1', panelId: 5 });
  const byHand = await post();
  assert.equal(byHand.json().job.source, null);
  await waitFor('the three jobs in the cache', () => a.jobs.size >= 3);

  const calls = f.fake.requests.length;
  const list = async (query: string) =>
    (await a.inject({ url: `/api/v1/jobs?${query}`, headers: read })).json().items.map((j: { id: string }) => j.id);
  assert.deepEqual(await list('dashboard=runbook-1&panel=4'), [first.json().job.id]);
  assert.deepEqual((await list('dashboard=runbook-1')).sort(), [first.json().job.id, otherPanel.json().job.id].sort());
  assert.deepEqual(await list('dashboard=elsewhere'), []);
  assert.equal(f.fake.requests.length, calls, 'served from the cache');

  for (const [query, field] of [
    ['panel=4', 'panel'],
    ['dashboard=run%20book', 'dashboard'],
    ['dashboard=runbook-1&panel=x', 'panel'],
  ]) {
    const res = await a.inject({ url: `/api/v1/jobs?${query}`, headers: read });
    assert.equal(res.statusCode, 400, query);
    assert.ok(
      res.json().error.details.fields.some((e: { field: string }) => e.field.includes(field!)),
      `${query}: ${res.body}`
    );
  }
});

test('a bad source is a 400 naming its field, and nothing is created', async () => {
  const a = await f.app();
  const podCreates = () => f.fake.requests.filter((r) => r.verb === 'create' && r.resource === 'pods').length;
  const before = podCreates();
  for (const [source, field] of [
    [{ dashboardUid: 'run book', panelId: 4 }, 'source.dashboardUid'],
    [{ dashboardUid: 'x'.repeat(41), panelId: 4 }, 'source.dashboardUid'],
    [{ dashboardUid: '', panelId: 4 }, 'source.dashboardUid'],
    [{ dashboardUid: 'runbook', panelId: 'four' }, 'source.panelId'],
    [{ dashboardUid: 'runbook', panelId: 4.5 }, 'source.panelId'],
    [{ dashboardUid: 'runbook', panelId: -1 }, 'source.panelId'],
    [{ dashboardUid: 'runbook' }, 'source.panelId'],
    [{ dashboardUid: 'runbook', panelId: 4, title: 't'.repeat(201) }, 'source.title'],
    [{ dashboardUid: 'runbook', panelId: 4, owner: 'me' }, 'source.owner'],
    ['runbook/4', 'source'],
  ] as const) {
    const res = await launchFrom(a, source);
    assert.equal(res.statusCode, 400, `${JSON.stringify(source)}: ${res.body}`);
    const fields = res.json().error.details.fields.map((e: { field: string }) => e.field);
    assert.ok(fields.includes(field), `${JSON.stringify(source)}: ${fields}`);
  }
  assert.equal(podCreates(), before);
  assert.equal(flowkubePods(f.fake).length, 0);
});

test('one Idempotency-Key from another panel is a conflict; the same panel again is the same job', async () => {
  const a = await f.app();
  const first = await launchFrom(a, SOURCE, KEY);
  assert.equal(first.statusCode, 201, first.body);
  const again = await launchFrom(a, { ...SOURCE, title: 'renamed dashboard' }, KEY);
  assert.deepEqual([again.statusCode, again.json().job.id], [200, first.json().job.id], 'the title is for display');
  const elsewhere = await launchFrom(a, { ...SOURCE, panelId: 5 }, KEY);
  assert.deepEqual([elsewhere.statusCode, elsewhere.json().error.code], [409, 'conflict']);
  const none = await launchFrom(a, undefined, KEY);
  assert.equal(none.statusCode, 409);
  assert.equal(flowkubePods(f.fake).length, 1);
});
