import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build, read, waitFor } from '../../../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

const FLOWKUBE = { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': 'basic', job_type: 'basic' };

test('GET /jobs sorts, searches, pages with continue and counts per phase, with no Kubernetes call', async () => {
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 9; i++) {
    t.fake.seedPods(1, {
      namePrefix: `basic-page${i}-`,
      createdAt: new Date(base + i * 60_000),
      phase: i % 3 === 0 ? 'Failed' : 'Succeeded',
      labels: FLOWKUBE,
    });
  }
  await waitFor('the seeded jobs', () => t.app.jobs.size >= 9);
  const calls = t.fake.requests.length;
  const get = async (query: string) => t.app.inject({ url: `/api/v1/jobs?${query}`, headers: read });

  const first = (await get('limit=4&order=asc&q=BASIC-PAGE')).json();
  assert.deepEqual(
    first.items.map((j: { id: string }) => j.id),
    ['basic-page0-0', 'basic-page1-0', 'basic-page2-0', 'basic-page3-0']
  );
  assert.deepEqual(first.counts, { Failed: 3, Succeeded: 6 });
  const walked = [...first.items];
  let token = first.continue;
  while (token) {
    const page = (await get(`limit=4&order=asc&q=BASIC-PAGE&continue=${token}`)).json();
    walked.push(...page.items);
    token = page.continue;
  }
  assert.equal(walked.length, 9);
  assert.equal(new Set(walked.map((j: { id: string }) => j.id)).size, 9);

  const failed = (await get('phase=Failed&q=basic-page')).json();
  assert.equal(failed.items.length, 3);
  assert.deepEqual(failed.counts, { Failed: 3, Succeeded: 6 }, 'counts ignore the phase filter');
  // the filter bar's choices: every template and schedule of the cache, whatever the filter
  assert.deepEqual([failed.templates, failed.schedules], [['basic'], []]);
  assert.equal(t.fake.requests.length, calls, 'served from the cache');

  for (const [query, field] of [
    ['sort=size', 'sort'],
    ['order=up', 'order'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['continue=garbage', 'continue'],
    [`continue=${first.continue}&sort=template`, 'continue'],
  ]) {
    const res = await get(query!);
    assert.equal(res.statusCode, 400, query);
    assert.match(res.json().error.message, new RegExp(field!), query);
  }
});
