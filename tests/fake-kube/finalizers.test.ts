// Finalizers through the real @kubernetes/client-node, as kube-apiserver's generic registry handles them
// (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: Delete, updateForGracefulDeletionAndFinalizers,
// markAsDeleting, Update with ShouldDeleteDuringUpdate), the Pod strategy's grace periods
// (pkg/registry/core/pod/strategy.go, CheckGracefulDelete), ValidateNoNewFinalizers
// (staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go), the strategic merge of metadata.finalizers
// (patchStrategy "merge"; staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go) and the quota's view of a
// Pod marked deleting (pkg/quota/v1/evaluator/core/pods.go, QuotaV1Pod).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';
const HOLD = 'example.com/hold';
const STRATEGIC = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

const pod = (name: string, image = 'example.com/never-pulled:1'): V1Pod => ({
  metadata: { name, finalizers: [HOLD] },
  spec: { restartPolicy: 'Never', containers: [{ name: 'worker', image, command: ['sleep', '600'] }] },
});

async function apiError(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    return { code: err.code, body: JSON.parse(String(err.body)) };
  }
  throw new Error('expected the call to fail');
}

describe('finalizers', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  let kc: KubeConfig;
  const connect = async () => {
    fake = await startFakeKube({ startDelayMs: 20 });
    kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    api = kc.makeApiClient(CoreV1Api);
  };
  before(connect);
  after(() => fake.stop());

  const stored = (name: string) => fake.pods(NS).find((p) => p.metadata?.name === name);
  const unpatch = (name: string) =>
    api.patchNamespacedPod(
      { name, namespace: NS, body: { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [HOLD] } } },
      STRATEGIC
    );

  it('keeps a deleted Pod marked deleting, answers 200 with it, and deletes it when the last finalizer goes', async () => {
    const events: Array<{ type: string; finalizers: string[] }> = [];
    const watching = await new Watch(kc).watch(
      `/api/v1/namespaces/${NS}/pods`,
      { fieldSelector: 'metadata.name=held' },
      (type, obj: V1Pod) => events.push({ type, finalizers: obj.metadata?.finalizers ?? [] }),
      () => undefined
    );

    await api.createNamespacedPod({ namespace: NS, body: pod('held') });
    await waitFor('the Pod to be scheduled', () => stored('held')?.spec?.nodeName);
    const answer = await api.deleteNamespacedPod({ name: 'held', namespace: NS });
    assert.equal(answer.metadata?.name, 'held');
    assert.ok(answer.metadata?.deletionTimestamp, 'the answer is the Pod, marked deleting');
    // its containers never started, so the kubelet is done at once: a terminal phase, then its final delete
    const kept = await waitFor('the final delete', () => stored('held')?.metadata?.deletionGracePeriodSeconds === 0);
    assert.ok(kept);
    assert.equal(stored('held')?.status?.phase, 'Failed');
    assert.deepEqual(stored('held')?.metadata?.finalizers, [HOLD]);

    // a repeated DELETE changes nothing and still answers the Pod
    const rv = stored('held')?.metadata?.resourceVersion;
    const again = await api.deleteNamespacedPod({ name: 'held', namespace: NS });
    assert.equal(again.metadata?.resourceVersion, rv);

    const refused = await apiError(
      api.patchNamespacedPod(
        { name: 'held', namespace: NS, body: { metadata: { finalizers: ['example.com/late'] } } },
        STRATEGIC
      )
    );
    assert.equal(refused.code, 422);
    assert.match(
      String(refused.body.message),
      /metadata\.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \[\]string\{"example.com\/late"\}/
    );

    const last = await unpatch('held');
    assert.equal(last.metadata?.name, 'held');
    assert.equal(stored('held'), undefined);
    await waitFor('the DELETED event', () => events.some((e) => e.type === 'DELETED'));
    watching.abort();
    // nothing went before the finalizer did; DELETED carries the last stored state, the finalizer still on it
    assert.equal(events[0]?.type, 'ADDED');
    assert.deepEqual(
      events.slice(1).map((e) => e.type),
      [...Array(events.length - 2).fill('MODIFIED'), 'DELETED']
    );
    assert.deepEqual(events.at(-1)?.finalizers, [HOLD]);
  });

  it('deletes an unscheduled Pod without a grace period and leaves its phase to no kubelet', async () => {
    fake.seedPods(1, { namePrefix: 'unscheduled', phase: 'Pending' });
    await api.patchNamespacedPod(
      { name: 'unscheduled0', namespace: NS, body: { metadata: { finalizers: [HOLD] } } },
      STRATEGIC
    );
    const answer = await api.deleteNamespacedPod({ name: 'unscheduled0', namespace: NS });
    assert.equal(answer.metadata?.deletionGracePeriodSeconds, 0);
    assert.equal(stored('unscheduled0')?.status?.phase, 'Pending');
    await unpatch('unscheduled0');
    assert.equal(stored('unscheduled0'), undefined);
  });

  it('merges finalizers as a set and removes only the named one, keeping other holders', async () => {
    await api.createNamespacedPod({ namespace: NS, body: pod('shared') });
    await api.patchNamespacedPod(
      { name: 'shared', namespace: NS, body: { metadata: { finalizers: ['example.com/other', HOLD] } } },
      STRATEGIC
    );
    assert.deepEqual(stored('shared')?.metadata?.finalizers, [HOLD, 'example.com/other']);
    await api.deleteNamespacedPod({ name: 'shared', namespace: NS });
    await waitFor('the final delete', () => stored('shared')?.metadata?.deletionGracePeriodSeconds === 0);
    await unpatch('shared');
    assert.deepEqual(stored('shared')?.metadata?.finalizers, ['example.com/other'], 'another finalizer still holds it');
    // a JSON merge patch replaces the list: the last one gone, the Pod goes
    await api.patchNamespacedPod(
      { name: 'shared', namespace: NS, body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
    );
    assert.equal(stored('shared'), undefined);
  });

  it('a Pod kept by its finalizer stops counting against the quota once its grace period is over', async () => {
    // a fresh fake, so the Pods of the tests above do not count
    await fake.stop();
    await connect();
    fake.setPodQuota(NS, { name: 'pods', pods: 1 });
    fake.seedPods(1, { namePrefix: 'waiting', phase: 'Pending' });
    const full = await apiError(api.createNamespacedPod({ namespace: NS, body: pod('second') }));
    assert.equal(full.code, 403);
    await api.patchNamespacedPod(
      { name: 'waiting0', namespace: NS, body: { metadata: { finalizers: [HOLD] } } },
      STRATEGIC
    );
    await api.deleteNamespacedPod({ name: 'waiting0', namespace: NS });
    assert.ok(stored('waiting0'), 'kept by its finalizer');
    // deletionTimestamp has whole seconds: past it plus a grace period of 0 within a second
    await waitFor(
      'the quota to free its Pod',
      async () => {
        try {
          return await api.createNamespacedPod({ namespace: NS, body: pod('second') });
        } catch (err) {
          assert.ok(err instanceof ApiException && err.code === 403, String(err));
          return undefined;
        }
      },
      3000
    );
  });
});
