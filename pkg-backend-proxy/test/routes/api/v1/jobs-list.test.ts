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

test('GET /jobs answers the active jobs of every template, whatever the filter, as the launch limits count them', async () => {
  const seed = (template: string, phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', annotations = {}) =>
    t.fake.seedPods(1, {
      namePrefix: `${template}-active-`,
      phase,
      labels: { ...FLOWKUBE, 'flowkube.io/template': template, job_type: template },
      annotations: { 'flowkube.io/launched-by': 'seed', 'flowkube.io/params': '{}', ...annotations },
    });
  const before = t.app.jobs.size;
  for (const phase of ['Pending', 'Running', 'Running', 'Succeeded', 'Failed'] as const) {
    seed('basic', phase);
  }
  for (const phase of ['Running', 'Succeeded'] as const) {
    seed('cpu-load', phase);
  }
  // asked to stop: still Running until its process exits, but its slot is no longer counted
  seed('cpu-load', 'Running', {
    'flowkube.io/cancelled-by': 'alice',
    'flowkube.io/cancelled-at': new Date().toISOString(),
  });
  await waitFor('the seeded jobs', () => t.app.jobs.size >= before + 8);
  const calls = t.fake.requests.length;

  const res = await t.app.inject({ url: '/api/v1/jobs?template=cpu-load&phase=Succeeded&limit=1', headers: read });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().active, { basic: 3, 'cpu-load': 1 });
  // the very count admission holds maxConcurrent to
  assert.deepEqual(res.json().active, { basic: t.app.jobs.active('basic'), 'cpu-load': t.app.jobs.active('cpu-load') });
  assert.equal(t.fake.requests.length, calls, 'served from the cache');
});

test('GET /jobs?phase=active keeps the jobs the card counts, pages them, and refuses what is no phase', async () => {
  const template = 'active-walk';
  const seed = (phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', annotations = {}) =>
    t.fake.seedPods(1, {
      namePrefix: `${template}-`,
      phase,
      labels: { ...FLOWKUBE, 'flowkube.io/template': template, job_type: template },
      annotations: { 'flowkube.io/launched-by': 'seed', 'flowkube.io/params': '{}', ...annotations },
    })[0]!.metadata!.name!;
  const before = t.app.jobs.size;
  const active = [seed('Pending'), seed('Running'), seed('Pending'), seed('Running'), seed('Running')];
  seed('Succeeded');
  seed('Failed');
  // Running until its process exits, but asked to stop: no longer counted, so not behind the card's link either
  seed('Running', { 'flowkube.io/cancelled-by': 'alice', 'flowkube.io/cancelled-at': new Date().toISOString() });
  await waitFor('the seeded jobs', () => t.app.jobs.size >= before + 8);
  const calls = t.fake.requests.length;
  const get = async (query: string) => t.app.inject({ url: `/api/v1/jobs?${query}`, headers: read });

  const all = (await get(`template=${template}`)).json();
  const first = (await get(`template=${template}&phase=active&limit=2`)).json();
  assert.deepEqual(first.counts, all.counts, 'counts ignore the phase filter');
  assert.deepEqual(first.counts, { Pending: 2, Running: 4, Succeeded: 1, Failed: 1 });
  // the count beside Active, the card's count and admission's are one count
  assert.equal(first.activeCount, 5);
  assert.equal(first.activeCount, first.active[template]);
  assert.equal(first.activeCount, t.app.jobs.active(template));

  const walked = [...first.items];
  let token = first.continue;
  while (token) {
    const page = (await get(`template=${template}&phase=active&limit=2&continue=${token}`)).json();
    assert.ok(page.items.length <= 2);
    walked.push(...page.items);
    token = page.continue;
  }
  assert.deepEqual(walked.map((j: { id: string }) => j.id).sort(), [...active].sort());
  assert.ok(walked.every((j: { cancelledAt?: string }) => j.cancelledAt === undefined));
  // a cursor names its filter: a walk of Active cannot go on as a walk of Running
  const running = await get(`template=${template}&phase=Running&limit=2&continue=${first.continue}`);
  assert.equal(running.statusCode, 400);
  assert.match(running.json().error.message, /continue/);

  // no filter but the phase: the store's own counts
  const everyActive = (await get('phase=active&limit=1000')).json();
  assert.equal(everyActive.activeCount, t.app.jobs.active());
  assert.equal(everyActive.items.length, t.app.jobs.active());
  assert.equal(t.fake.requests.length, calls, 'served from the cache');

  for (const phase of ['Active', 'ACTIVE', 'running', 'cancelled', '']) {
    const res = await get(`phase=${phase}`);
    assert.equal(res.statusCode, 400, phase);
    assert.match(res.json().error.message, /phase/, phase);
  }
});
