import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { type Forwarder, startForwarder } from '../../../tests/fake-kube/forwarder.ts';
import { type Built, build, flowkubePods, launchJob, read, waitFor } from '../helper.ts';

// The API behind a TCP forwarder that can fall silent: what a partition or a hung API server looks like.
const KUBE_TIMEOUT_MS = 500;
const STALE_MS = 1500;

let fake: FakeKube;
let fwd: Forwarder;
let t: Built;
before(async () => {
  fake = await startFakeKube({ startDelayMs: 50, bookmarkIntervalMs: 200 });
  fwd = await startForwarder(fake.url);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'via-forwarder', server: fwd.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: fake.token }],
    contexts: [{ name: 'c', cluster: 'via-forwarder', user: 'u' }],
    currentContext: 'c',
  });
  t = await build({
    fake,
    env: { FLOWKUBE_KUBE_TIMEOUT_MS: String(KUBE_TIMEOUT_MS) },
    deps: { kubeConfig, watchStaleMs: STALE_MS, launchDeadlineMs: 3000 },
  });
});
after(async () => {
  await t.close();
  await fwd.stop();
  await fake.stop();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

test('a quiet but healthy watch stays ready: bookmarks count as life', async () => {
  const silentFor = STALE_MS * 2;
  const deadline = Date.now() + silentFor;
  while (Date.now() < deadline) {
    assert.equal((await t.app.inject({ url: '/readyz' })).statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(fake.requests.some((r) => r.verb === 'watch' && r.query.allowWatchBookmarks === 'true'));
});

test('black-holed API: not ready within the staleness window, calls fail within their deadline, nothing lands later', async (ctx) => {
  const seeded = fake.seedPods(1, { phase: 'Running', namePrefix: 'bh-' })[0]!.metadata!.name!;
  await waitFor('the seeded job in the cache', async () => {
    return (await t.app.inject({ url: `/api/v1/jobs/${seeded}`, headers: read })).statusCode === 200;
  });
  // the first list compiles its route's serializer; timed below is the cache answering, not that warm-up
  const warm = await timed(() => t.app.inject({ url: '/api/v1/jobs', headers: read }));
  assert.equal(warm.value.statusCode, 200);
  const podsBefore = flowkubePods(fake).length;
  fwd.blackHole();
  const holedAt = Date.now();

  const notReady = await waitFor('/readyz to say 503', async () => {
    const res = await t.app.inject({ url: '/readyz' });
    return res.statusCode === 503 ? res : undefined;
  });
  const tookMs = Date.now() - holedAt;
  assert.ok(tookMs <= STALE_MS + 1500, `/readyz stayed 200 for ${tookMs} ms`);
  assert.equal(notReady.json().error.code, 'not_ready');

  // the cache still answers reads: before the call deadline, which a read that asked the silent API would wait out
  const list = await timed(() => t.app.inject({ url: '/api/v1/jobs', headers: read }));
  assert.equal(list.value.statusCode, 200);
  assert.ok(list.ms < KUBE_TIMEOUT_MS, `list took ${list.ms} ms`);

  const launch = await timed(() =>
    launchJob(t.app, 'basic', { sleepSeconds: 0 }, { 'idempotency-key': 'blackhole-1' })
  );
  assert.ok([503, 504].includes(launch.value.statusCode), `${launch.value.statusCode} ${launch.value.body}`);
  assert.match(launch.value.json().error.code, /^(kube_unavailable|outcome_unknown|not_ready)$/);
  assert.ok(launch.ms <= 3000 + KUBE_TIMEOUT_MS + 500, `the launch took ${launch.ms} ms`);

  // a log stream cannot hang either: its headers have the same deadline
  const logs = await timed(() => t.app.inject({ url: `/api/v1/jobs/${seeded}/logs?follow=true`, headers: read }));
  assert.equal(logs.value.statusCode, 503, logs.value.body);
  // undici checks its headers deadline on a coarse (about 1 s) timer, hence the slack
  assert.ok(logs.ms <= KUBE_TIMEOUT_MS + 1500, `the log request took ${logs.ms} ms`);
  assert.ok(fwd.swallowedBytes() > 0, 'requests reached the black hole');
  // the margins, in the log of a green run too: these bounds are the ones a loaded CI machine comes closest to
  ctx.diagnostic(
    `not ready after ${tookMs} ms, list ${list.ms} ms (first ${warm.ms} ms), launch ${launch.ms} ms, logs ${logs.ms} ms`
  );

  fwd.restore();
  await waitFor(
    'ready again once the API answers',
    async () => (await t.app.inject({ url: '/readyz' })).statusCode === 200,
    10_000
  );
  // the launch that gave up never lands: its request died in the black hole
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(flowkubePods(fake).length, podsBefore);
  const again = await launchJob(t.app, 'basic', { sleepSeconds: 0 });
  assert.equal(again.statusCode, 201, again.body);
});
