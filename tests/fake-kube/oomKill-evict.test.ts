// oomKill() and evict(), the two failures a test cannot get from a real process: the statuses the kubelet writes for a
// container the OOM killer ended and for a Pod the eviction manager evicted, read back through the real client.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { EVICTION_MESSAGE, startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';

const pythonPod = (name: string, code: string, policy?: string): V1Pod => ({
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'worker',
        image: 'flowkube/worker:0.1.0',
        command: ['python', '-c', code],
        ...(policy ? { terminationMessagePolicy: policy } : {}),
      },
    ],
  },
});

// the basic worker: on SIGTERM it writes "stopped by SIGTERM" to its termination log and exits 143
const basicWorker = (name: string): V1Pod => ({
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'worker',
        image: 'flowkube/worker:0.1.0',
        command: ['python', '/app/app_basic.py'],
        env: [{ name: 'SLEEP_SECONDS', value: '600' }],
        terminationMessagePolicy: 'FallbackToLogsOnError',
      },
    ],
  },
});

const UP = 'import time\nprint("up", flush=True)\ntime.sleep(600)\n';

describe('oomKill and evict', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  let kc: KubeConfig;
  before(async () => {
    fake = await startFakeKube({ startDelayMs: 10 });
    kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    api = kc.makeApiClient(CoreV1Api);
  });
  after(() => fake.stop());

  const read = (name: string) => api.readNamespacedPod({ namespace: NS, name });
  // a log is readable once the container runs; the worker's first line comes after its SIGTERM handler
  const logged = (name: string) =>
    waitFor(
      `${name} to log`,
      async () =>
        (await read(name)).status?.phase === 'Running' &&
        (await api.readNamespacedPodLog({ namespace: NS, name })) !== ''
    );
  const failed = (name: string) =>
    waitFor(`${name} to fail`, async () => {
      const pod = await read(name);
      return pod.status?.phase === 'Failed' ? pod : undefined;
    });

  it('an OOM kill: terminated OOMKilled with exit 137, the log tail as message, the Pod Failed with no reason', async () => {
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('oom', UP, 'FallbackToLogsOnError') });
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('oom-file', UP) });
    await Promise.all([logged('oom'), logged('oom-file')]);
    fake.oomKill(NS, 'oom');
    fake.oomKill(NS, 'oom-file', 'worker');
    const pod = await failed('oom');
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
    assert.deepEqual([terminated?.reason, terminated?.exitCode, terminated?.message], ['OOMKilled', 137, 'up\n']);
    assert.equal(pod.status?.reason, undefined);
    assert.equal(pod.status?.message, undefined);
    // under the default File policy an empty termination file leaves no message
    const file = (await failed('oom-file')).status?.containerStatuses?.[0]?.state?.terminated;
    assert.deepEqual([file?.reason, file?.exitCode, file?.message], ['OOMKilled', 137, undefined]);
    assert.throws(() => fake.oomKill(NS, 'oom'), /no running container/);
  });

  it('an eviction: SIGTERM, then at once Failed, Evicted, the message and a DisruptionTarget condition', async () => {
    const seen: V1Pod[] = [];
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => api.listNamespacedPod({ namespace: NS }));
    informer.on('update', (p) => p.metadata?.name === 'evicted' && seen.push(p));
    await informer.start();
    try {
      await api.createNamespacedPod({ namespace: NS, body: basicWorker('evicted') });
      await logged('evicted');
      fake.evict(NS, 'evicted');
      const pod = await failed('evicted');
      assert.deepEqual([pod.status?.reason, pod.status?.message], ['Evicted', EVICTION_MESSAGE]);
      const disruption = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      assert.deepEqual(
        [disruption?.status, disruption?.reason, disruption?.message],
        ['True', 'TerminationByKubelet', EVICTION_MESSAGE]
      );
      // the worker stopped on SIGTERM and said so in its termination log
      const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
      assert.deepEqual(
        [terminated?.reason, terminated?.exitCode, terminated?.message],
        ['Error', 143, 'stopped by SIGTERM']
      );
      await waitFor('the informer to see it fail', () => seen.some((p) => p.status?.phase === 'Failed'));
      // the status manager held the terminal status back until the container had stopped: no update showed
      // the eviction on a Pod still running
      for (const p of seen) {
        const evicted =
          p.status?.reason === 'Evicted' || p.status?.conditions?.some((c) => c.type === 'DisruptionTarget');
        assert.equal(evicted, p.status?.phase === 'Failed', JSON.stringify(p.status));
      }
      assert.throws(() => fake.evict(NS, 'evicted'), /not active on the node/);
    } finally {
      await informer.stop();
    }
  });

  it('an eviction SIGKILLs a container that ignores SIGTERM once the grace period is over', async () => {
    const code =
      'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("up", flush=True)\ntime.sleep(600)\n';
    await api.createNamespacedPod({ namespace: NS, body: pythonPod('stubborn', code) });
    await logged('stubborn');
    fake.evict(NS, 'stubborn', 'The node was low on resource: ephemeral-storage. ');
    const pod = await failed('stubborn');
    assert.deepEqual(
      [pod.status?.reason, pod.status?.message],
      ['Evicted', 'The node was low on resource: ephemeral-storage. ']
    );
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  });

  it('an evicted Pod whose container had not started never starts it', async () => {
    const marks = mkdtempSync(path.join(os.tmpdir(), 'fake-kube-evict-'));
    const mark = (name: string) => `import pathlib; pathlib.Path(${JSON.stringify(path.join(marks, name))}).touch()`;
    try {
      const release = fake.holdPodStarts();
      await api.createNamespacedPod({ namespace: NS, body: pythonPod('held', mark('held')) });
      await waitFor('the held Pod to be scheduled', async () => (await read('held')).spec?.nodeName === 'fake-node');
      fake.evict(NS, 'held');
      const pod = await failed('held');
      assert.equal(pod.status?.reason, 'Evicted');
      const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
      assert.deepEqual([terminated?.reason, terminated?.exitCode], ['ContainerStatusUnknown', 137]);
      release();
      // a start the release owed the evicted Pod would have run before this later Pod's
      await api.createNamespacedPod({ namespace: NS, body: pythonPod('witness', mark('witness')) });
      await waitFor('the witness to succeed', async () => (await read('witness')).status?.phase === 'Succeeded');
      assert.equal(existsSync(path.join(marks, 'held')), false, 'a worker process ran for the evicted Pod');
      assert.equal((await read('held')).status?.phase, 'Failed');
    } finally {
      rmSync(marks, { recursive: true, force: true });
    }
  });

  it('refuses a Pod that is not on the node', () => {
    const [seeded] = fake.seedPods(1, { namePrefix: 'seeded-', phase: 'Running' });
    assert.throws(() => fake.evict(NS, 'nowhere'), /not active on the node/);
    assert.throws(() => fake.oomKill(NS, seeded!.metadata!.name!), /no running container/);
  });
});
