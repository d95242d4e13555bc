import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Built, build } from '../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

test('/healthz and /readyz answer without a token once the cache synced', async () => {
  const h = await t.app.inject({ url: '/healthz' });
  assert.equal(h.statusCode, 200);
  assert.deepEqual(h.json(), { status: 'ok' });
  const r = await t.app.inject({ url: '/readyz' });
  assert.deepEqual([r.statusCode, r.json()], [200, { status: 'ready' }]);
});

test('/metrics is Prometheus text with FlowKube metrics and the cache marked ready', async () => {
  const res = await t.app.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  assert.match(res.body, /^flowkube_cache_ready 1$/m);
  assert.match(res.body, /^process_cpu_seconds_total /m);
  assert.match(res.body, /^flowkube_kube_requests_total\{verb="list",code="200"\} [1-9]/m);
  // every catalog template's counters exist from the start, so increase() sees a first failure
  for (const template of ['basic', 'cpu-load', 'log-gen']) {
    assert.match(res.body, new RegExp(`^flowkube_jobs_launched_total\\{template="${template}"\\} 0$`, 'm'));
    assert.match(
      res.body,
      new RegExp(`^flowkube_jobs_finished_total\\{template="${template}",phase="Failed"\\} 0$`, 'm')
    );
  }
});

test('unknown routes are 404 in the error shape', async () => {
  const res = await t.app.inject({ url: '/nope?x=1' });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), { error: { code: 'not_found', message: 'no route GET /nope' } });
});
