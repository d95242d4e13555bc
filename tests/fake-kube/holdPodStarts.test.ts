// holdPodStarts(), the hook that lets a browser test see a job in Pending without every Pod waiting out a long start
// delay: held Pods stay Pending until released, then run as usual; a Pod deleted while held never starts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';

const worker = (name: string, code: string): V1Pod => ({
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    containers: [{ name: 'worker', image: 'flowkube/worker:0.1.0', command: ['python', '-c', code] }],
  },
});

describe('holdPodStarts', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  before(async () => {
    fake = await startFakeKube({ startDelayMs: 10 });
    const kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    api = kc.makeApiClient(CoreV1Api);
  });
  after(() => fake.stop());

  const podOf = (name: string) => fake.pods(NS).find((p) => p.metadata?.name === name);
  const create = (name: string, code = 'print("ran", flush=True)') =>
    api.createNamespacedPod({ namespace: NS, body: worker(name, code) });

  it('keeps Pods created during the hold Pending while others run, and starts them on release', async () => {
    // created before the hold, with the same start delay: it runs to the end while the held one must not start
    await create('control');
    const release = fake.holdPodStarts();
    await create('held');
    await waitFor('the control Pod to succeed', () => podOf('control')?.status?.phase === 'Succeeded');
    const held = podOf('held');
    assert.equal(held?.status?.phase, 'Pending');
    assert.equal(held?.spec?.nodeName, 'fake-node', 'scheduled, as a Pod pulling its image is');
    assert.equal(held?.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');

    release();
    await waitFor('the released Pod to succeed', () => podOf('held')?.status?.phase === 'Succeeded');
    assert.equal(await api.readNamespacedPodLog({ namespace: NS, name: 'held' }), 'ran\n');
  });

  it('after release, new Pods start on their own again', async () => {
    fake.holdPodStarts()();
    await create('after');
    await waitFor('a Pod created after the release to succeed', () => podOf('after')?.status?.phase === 'Succeeded');
  });

  it('never starts a Pod deleted while it was held', async () => {
    const marks = mkdtempSync(path.join(os.tmpdir(), 'fake-kube-hold-'));
    // as above: by the time a Pod created before it has run, the held Pod's start delay is long over
    await create('pace');
    const release = fake.holdPodStarts();
    await create('gone', `import pathlib; pathlib.Path(${JSON.stringify(path.join(marks, 'gone'))}).touch()`);
    await waitFor('the Pod created before the hold to succeed', () => podOf('pace')?.status?.phase === 'Succeeded');
    await api.deleteNamespacedPod({ namespace: NS, name: 'gone' });
    await waitFor('the deleted Pod to go', () => podOf('gone') === undefined);
    release();
    // a worker the release started for it would have been spawned before this one, and marked its start by now
    await create('witness', `import pathlib; pathlib.Path(${JSON.stringify(path.join(marks, 'witness'))}).touch()`);
    await waitFor('a Pod created after the release to succeed', () => podOf('witness')?.status?.phase === 'Succeeded');
    assert.deepEqual(readdirSync(marks), ['witness'], 'a worker process ran for the deleted Pod');
    rmSync(marks, { recursive: true, force: true });
  });
});
