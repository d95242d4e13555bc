// Pod updates through the real @kubernetes/client-node: what kube-apiserver's Pod update validation accepts and
// refuses, and the kubelet stopping a running Pod once a lowered activeDeadlineSeconds has passed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { DEADLINE_MESSAGE, startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const sleeper = (name: string, deadline?: number): V1Pod => ({
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    ...(deadline === undefined ? {} : { activeDeadlineSeconds: deadline }),
    containers: [
      {
        name: 'worker',
        image: 'flowkube/worker:0.1.0',
        command: ['python', '-c', 'import time; print("up", flush=True); time.sleep(600)'],
      },
    ],
  },
});

async function refusal(promise: Promise<unknown>): Promise<{ code: number; causes: Array<Record<string, string>> }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    const body = JSON.parse(String(err.body));
    assert.equal(body.reason, 'Invalid');
    return { code: err.code, causes: body.details.causes };
  }
  throw new Error('expected the patch to be refused');
}

describe('Pod PATCH', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  before(async () => {
    fake = await startFakeKube({ startDelayMs: 20 });
    const kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    api = kc.makeApiClient(CoreV1Api);
  });
  after(() => fake.stop());

  const podOf = (name: string) => fake.pods(NS).find((p) => p.metadata?.name === name);
  const patch = (name: string, body: object) => api.patchNamespacedPod({ name, namespace: NS, body }, MERGE);

  it('lowers activeDeadlineSeconds of a running Pod and the kubelet ends it Failed, DeadlineExceeded', async () => {
    await api.createNamespacedPod({ namespace: NS, body: sleeper('lowered', 3600) });
    await waitFor('Running', () => podOf('lowered')?.status?.phase === 'Running');
    const patched = await patch('lowered', {
      metadata: { annotations: { 'flowkube.io/cancelled-by': 'alice' } },
      spec: { activeDeadlineSeconds: 1 },
    });
    assert.equal(patched.spec?.activeDeadlineSeconds, 1);
    assert.equal(patched.metadata?.annotations?.['flowkube.io/cancelled-by'], 'alice');
    assert.equal(patched.status?.phase, 'Running');
    const started = Date.now();
    await waitFor('Failed', () => podOf('lowered')?.status?.phase === 'Failed');
    // counted from startTime (whole seconds), so at most about a second after the patch, not an hour
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    const status = podOf('lowered')?.status;
    assert.equal(status?.reason, 'DeadlineExceeded');
    assert.equal(status?.message, DEADLINE_MESSAGE);
    // stopped with SIGTERM first, as the kubelet stops it with the Pod's grace period: Python dies of it, 128 + 15
    assert.equal(status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 143);
    // the Pod stays: a deadline stops it, it does not delete it
    assert.ok(podOf('lowered'));
  });

  it('a process that ignores SIGTERM is SIGKILLed once the Pod’s grace period after the deadline is over', async () => {
    const stubborn = sleeper('stubborn', 3600);
    stubborn.spec!.terminationGracePeriodSeconds = 1;
    stubborn.spec!.containers[0]!.command = [
      'python',
      '-c',
      'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("up", flush=True)\ntime.sleep(600)',
    ];
    await api.createNamespacedPod({ namespace: NS, body: stubborn });
    await waitFor('Running', () => podOf('stubborn')?.status?.phase === 'Running');
    await waitFor(
      'the SIGTERM handler',
      async () => (await api.readNamespacedPodLog({ namespace: NS, name: 'stubborn' })) === 'up\n'
    );
    await patch('stubborn', { spec: { activeDeadlineSeconds: 1 } });
    await waitFor('Failed', () => podOf('stubborn')?.status?.phase === 'Failed');
    const status = podOf('stubborn')?.status;
    assert.equal(status?.reason, 'DeadlineExceeded');
    assert.equal(status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  });

  it('sets a deadline where there was none; refuses an increase, 0, removing it and other spec changes', async () => {
    await api.createNamespacedPod({ namespace: NS, body: sleeper('rules') });
    await waitFor('Running', () => podOf('rules')?.status?.phase === 'Running');
    const set = await patch('rules', { spec: { activeDeadlineSeconds: 3600 } });
    assert.equal(set.spec?.activeDeadlineSeconds, 3600);
    const rv = set.metadata?.resourceVersion;

    const up = await refusal(patch('rules', { spec: { activeDeadlineSeconds: 7200 } }));
    assert.equal(up.code, 422);
    assert.deepEqual(up.causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 7200: must be less than or equal to previous value',
        field: 'spec.activeDeadlineSeconds',
      },
    ]);
    const zero = await refusal(patch('rules', { spec: { activeDeadlineSeconds: 0 } }));
    assert.equal(zero.code, 422);
    assert.equal(zero.causes[0]?.field, 'spec.activeDeadlineSeconds');
    assert.match(zero.causes[0]?.message ?? '', /Invalid value: 0: must be between 1 and 2147483647, inclusive/);
    const removed = await refusal(patch('rules', { spec: { activeDeadlineSeconds: null } }));
    assert.match(removed.causes[0]?.message ?? '', /must not update from a positive integer to nil value/);
    const other = await refusal(patch('rules', { spec: { restartPolicy: 'Always' } }));
    assert.deepEqual([other.causes[0]?.field, other.causes[0]?.reason], ['spec', 'FieldValueForbidden']);
    assert.match(other.causes[0]?.message ?? '', /pod updates may not change fields other than/);

    // nothing refused was written, and the Pod still runs
    assert.equal(podOf('rules')?.metadata?.resourceVersion, rv);
    assert.equal(podOf('rules')?.spec?.activeDeadlineSeconds, 3600);
    assert.equal(podOf('rules')?.status?.phase, 'Running');
  });

  it('keeps identity fields, answers 404 for a missing Pod and 415 for a JSON patch', async () => {
    await api.createNamespacedPod({ namespace: NS, body: sleeper('identity') });
    const before = podOf('identity');
    const after = await patch('identity', { metadata: { uid: 'forged', name: 'other', labels: { a: 'b' } } });
    assert.equal(after.metadata?.uid, before?.metadata?.uid);
    assert.equal(after.metadata?.name, 'identity');
    assert.equal(after.metadata?.labels?.a, 'b');
    await assert.rejects(patch('nope', { metadata: { labels: { a: 'b' } } }), (err: ApiException<string>) => {
      assert.equal(err.code, 404);
      return true;
    });
    const res = await fetch(`${fake.url}/api/v1/namespaces/${NS}/pods/identity`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json-patch+json' },
      body: '[]',
    });
    assert.equal(res.status, 415);
  });
});
