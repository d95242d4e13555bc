import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig, type V1ConfigMap, Watch } from '@kubernetes/client-node';
import { pino } from 'pino';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { backoffDelay } from '../../src/kube/backoff.ts';
import { InformerLoop, type RestartCause } from '../../src/kube/informer-loop.ts';
import { waitFor } from '../helper.ts';

const NS = 'flowkube-jobs';
const SELECTOR = 'flowkube.io/catalog=true';
const BACKOFF = { initialMs: 20, maxMs: 80 };

let fake: FakeKube;
before(async () => {
  fake = await startFakeKube();
});
after(() => fake.stop());

/** A ConfigMap informer under an InformerLoop, with what it logged, started and restarted. */
function loopOnConfigMaps() {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  const core = kc.makeApiClient(CoreV1Api);
  const warnings: Array<{ msg: string; retryInMs?: number; status?: number }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        warnings.push(JSON.parse(line));
      }
      done();
    },
  });
  const seen = { started: 0, restarts: [] as RestartCause[], errors: 0 };
  const loop = new InformerLoop<V1ConfigMap>({
    path: `/api/v1/namespaces/${NS}/configmaps`,
    watch: new Watch(kc),
    list: () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: SELECTOR }),
    labelSelector: SELECTOR,
    backoff: BACKOFF,
    log: pino({ level: 'warn' }, sink),
    what: 'test watch',
    resource: 'configmaps',
    namespace: NS,
    onStarted: () => {
      seen.started += 1;
    },
    onRestart: (cause) => seen.restarts.push(cause),
  });
  loop.informer.on('error', () => {
    seen.errors += 1;
  });
  return { loop, warnings, seen };
}

test('backoff doubles from initialMs and stops growing at maxMs', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 10].map((n) => backoffDelay(BACKOFF, n)),
    [20, 40, 80, 80, 80]
  );
});

test('a failing watch is restarted with growing delays, which reset once a start succeeds', async () => {
  const { loop, warnings, seen } = loopOnConfigMaps();
  try {
    loop.run();
    await waitFor('the first start', () => seen.started === 1);
    fake.breakWatches(500);
    fake.closeWatches();
    const delays = () => warnings.map((w) => w.retryInMs);
    await waitFor('four restarts', () => warnings.length >= 4);
    assert.deepEqual(delays().slice(0, 4), [20, 40, 80, 80]);
    assert.match(warnings[0]!.msg, /^test watch failed: .*500.*; restarting$/);
    assert.equal(warnings[0]!.status, 500);
    assert.equal(seen.started, 1, 'a start whose watch failed does not count as started');
    assert.ok(seen.restarts.every((c) => c === 'error'));

    fake.healWatches();
    await waitFor('a start after healing', () => seen.started === 2);
    const before = warnings.length;
    fake.breakWatches(500);
    fake.closeWatches();
    await waitFor('the next failure', () => warnings.length > before);
    assert.equal(warnings[before]!.retryInMs, BACKOFF.initialMs, 'the backoff starts over after a success');
  } finally {
    fake.healWatches();
    await loop.close();
  }
});

test('a forbidden list is logged as the RBAC rule the proxy lacks', async () => {
  const { loop, warnings } = loopOnConfigMaps();
  fake.forbid('list', 'configmaps');
  try {
    loop.run();
    await waitFor('the 403 logged', () => warnings[0]);
    assert.equal(warnings[0]!.status, 403);
    assert.match(warnings[0]!.msg, /needs RBAC permission to list configmaps in namespace "flowkube-jobs"/);
  } finally {
    fake.allow('list', 'configmaps');
    await loop.close();
  }
});

test('restart() starts the informer again after the backoff, once its caller has stopped it', async () => {
  const { loop, seen } = loopOnConfigMaps();
  try {
    loop.run();
    await waitFor('the first start', () => seen.started === 1);
    // as the job cache's watchdog does: schedule the restart, then stop the silent informer
    loop.restart('stale', { silentMs: 1 }, 'silent');
    await loop.informer.stop();
    assert.ok(loop.restarting);
    assert.deepEqual(seen.restarts, ['stale']);
    await waitFor('the second start', () => seen.started === 2);
    assert.equal(loop.restarting, false);
  } finally {
    await loop.close();
  }
});

test('after stopRestarts an error schedules no restart', async () => {
  const { loop, seen } = loopOnConfigMaps();
  try {
    loop.run();
    await waitFor('the first start', () => seen.started === 1);
    loop.stopRestarts();
    assert.ok(loop.halted);
    fake.breakWatches(500);
    fake.closeWatches();
    await waitFor('the watch error', () => seen.errors > 0);
    assert.equal(loop.restarting, false);
    assert.deepEqual(seen.restarts, []);
  } finally {
    fake.healWatches();
    await loop.close();
  }
});
