import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Schedule } from '../../src/schemas/index.ts';
import { build, type Built, launch, read, waitFor } from '../helper.ts';

let built: Built;
before(async () => {
  built = await build({ env: { FLOWKUBE_MAX_SCHEDULES: '100' } });
});
after(() => built.close());

test('GET /schedules with 100 schedules and 10,000 Pods makes no Kubernetes call', async () => {
  const { app, fake } = built;
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/schedules',
      headers: launch,
      payload: { template: 'basic', schedule: `${i % 60} 3 * * *`, timeZone: 'UTC', suspend: true },
    });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json().schedule.id);
  }
  // 10,000 finished runs spread over the schedules, and hand launches
  for (let i = 0; i < 100; i++) {
    fake.seedPods(90, {
      namePrefix: `${ids[i]}-2993${String(i).padStart(4, '0')}-`,
      labels: {
        'app.kubernetes.io/managed-by': 'flowkube',
        'flowkube.io/template': 'basic',
        job_type: 'basic',
        'flowkube.io/schedule': ids[i]!,
      },
      annotations: { 'flowkube.io/launched-by': `schedule:${ids[i]}`, 'flowkube.io/params': '{}' },
    });
  }
  fake.seedPods(1000, { namePrefix: 'basic-hand-' });
  await waitFor(
    'the caches to hold every schedule and Pod',
    async () => {
      const schedules = (await app.inject({ url: '/api/v1/schedules', headers: read })).json().items.length;
      return schedules === 100 && app.jobs.size === 10_000;
    },
    30_000
  );

  fake.resetRequests();
  const started = process.hrtime.bigint();
  const res = await app.inject({ url: '/api/v1/schedules', headers: read });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(res.statusCode, 200);
  const items = res.json().items as Schedule[];
  assert.equal(items.length, 100);
  assert.ok(
    items.every((s) => s.lastRun?.phase === 'Succeeded'),
    'each schedule sees its runs'
  );
  assert.equal(fake.requests.length, 0, 'no Kubernetes call');
  // generous on a loaded 2-core machine; a per-schedule scan of 10,000 jobs would take far longer
  assert.ok(ms < 1000, `${ms} ms`);
});
