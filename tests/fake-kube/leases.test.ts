// The fake's Leases and its ResourceQuota admission, driven by the real @kubernetes/client-node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type V1Lease,
} from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.ts';

const NS = 'flowkube-jobs';

let fake: FakeKube;
let leases: CoordinationV1Api;
let core: CoreV1Api;

before(async () => {
  fake = await startFakeKube();
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  leases = kc.makeApiClient(CoordinationV1Api);
  core = kc.makeApiClient(CoreV1Api);
});
after(() => fake.stop());

const lease = (name: string, scope = 'global', holder = 'job-a'): V1Lease => ({
  metadata: { name, labels: { 'flowkube.io/slot-scope': scope } },
  spec: { holderIdentity: holder, acquireTime: new V1MicroTime() },
});

async function failure(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    return { code: err.code, body: JSON.parse(err.body as string) as Record<string, unknown> };
  }
  throw new Error('the call succeeded');
}

describe('leases', () => {
  it('create answers 201 with server-set metadata; the same name again is 409 AlreadyExists', async () => {
    const created = await leases.createNamespacedLease({ namespace: NS, body: lease('slot-create-0') });
    assert.equal(created.metadata?.namespace, NS);
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.equal(created.spec?.holderIdentity, 'job-a');
    // client-node's MicroTime went out with six fractional digits, which the API server insists on
    const stored = fake.leases(NS).find((l) => l.metadata.name === 'slot-create-0');
    assert.match(stored?.spec?.acquireTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const again = await failure(leases.createNamespacedLease({ namespace: NS, body: lease('slot-create-0') }));
    assert.equal(again.code, 409);
    assert.deepEqual(
      [again.body.reason, again.body.message, again.body.details],
      [
        'AlreadyExists',
        'leases.coordination.k8s.io "slot-create-0" already exists',
        { name: 'slot-create-0', group: 'coordination.k8s.io', kind: 'leases' },
      ]
    );
  });

  it('every write moves the resourceVersion on', async () => {
    const a = await leases.createNamespacedLease({ namespace: NS, body: lease('slot-rv-0') });
    const b = await leases.createNamespacedLease({ namespace: NS, body: lease('slot-rv-1') });
    assert.ok(Number(b.metadata!.resourceVersion) > Number(a.metadata!.resourceVersion));
  });

  it('a MicroTime without six fractional digits fails to decode (400), a bad name is 422', async () => {
    const res = await fetch(`${fake.url}/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'slot-bad-time' }, spec: { acquireTime: new Date().toISOString() } }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { reason: string }).reason, 'BadRequest');
    const bad = await failure(leases.createNamespacedLease({ namespace: NS, body: lease('Not_A_Name') }));
    assert.deepEqual([bad.code, bad.body.reason], [422, 'Invalid']);
    const noNs = await failure(leases.createNamespacedLease({ namespace: 'nowhere', body: lease('slot-x') }));
    assert.deepEqual([noNs.code, noNs.body.message], [404, 'namespaces "nowhere" not found']);
  });

  it('get and list: 404 names the group; the label selector filters', async () => {
    await leases.createNamespacedLease({ namespace: NS, body: lease('slot-list-a', 'template-x') });
    await leases.createNamespacedLease({ namespace: NS, body: lease('slot-list-b', 'template-x') });
    await leases.createNamespacedLease({ namespace: NS, body: lease('slot-list-c', 'template-y') });
    const got = await leases.readNamespacedLease({ namespace: NS, name: 'slot-list-a' });
    assert.equal(got.metadata?.labels?.['flowkube.io/slot-scope'], 'template-x');
    const list = await leases.listNamespacedLease({
      namespace: NS,
      labelSelector: 'flowkube.io/slot-scope=template-x',
    });
    assert.deepEqual(
      list.items.map((l) => l.metadata?.name),
      ['slot-list-a', 'slot-list-b']
    );
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
    const missing = await failure(leases.readNamespacedLease({ namespace: NS, name: 'slot-none' }));
    assert.deepEqual([missing.code, missing.body.message], [404, 'leases.coordination.k8s.io "slot-none" not found']);
  });

  it('delete honours uid and resourceVersion preconditions and answers a Status Success', async () => {
    const created = await leases.createNamespacedLease({ namespace: NS, body: lease('slot-del-0') });
    const wrongUid = await failure(
      leases.deleteNamespacedLease({
        namespace: NS,
        name: 'slot-del-0',
        body: { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } },
      })
    );
    assert.equal(wrongUid.code, 409);
    assert.equal(wrongUid.body.reason, 'Conflict');
    assert.match(
      String(wrongUid.body.message),
      /^Operation cannot be fulfilled on leases\.coordination\.k8s\.io "slot-del-0": Precondition failed: UID in precondition: 0{8}-/
    );
    const wrongRv = await failure(
      leases.deleteNamespacedLease({
        namespace: NS,
        name: 'slot-del-0',
        body: { preconditions: { resourceVersion: '1' } },
      })
    );
    assert.match(
      String(wrongRv.body.message),
      /ResourceVersion in precondition: 1, ResourceVersion in object meta: \d+/
    );
    const done = await leases.deleteNamespacedLease({
      namespace: NS,
      name: 'slot-del-0',
      body: { preconditions: { uid: created.metadata!.uid, resourceVersion: created.metadata!.resourceVersion } },
    });
    assert.equal(done.status, 'Success');
    assert.deepEqual(
      { ...done.details },
      {
        name: 'slot-del-0',
        group: 'coordination.k8s.io',
        kind: 'leases',
        uid: created.metadata!.uid,
      }
    );
    assert.equal(
      fake.leases(NS).find((l) => l.metadata.name === 'slot-del-0'),
      undefined
    );
    const gone = await failure(leases.deleteNamespacedLease({ namespace: NS, name: 'slot-del-0' }));
    assert.equal(gone.code, 404);
  });

  it('a merge patch of the annotations keeps the rest, moves the resourceVersion on; a missing Lease is 404', async () => {
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const created = await leases.createNamespacedLease({ namespace: NS, body: lease('watermark-0') });
    const patched = await leases.patchNamespacedLease(
      { namespace: NS, name: 'watermark-0', body: { metadata: { annotations: { 'flowkube.io/x': 'a' } } } },
      mergePatch
    );
    assert.deepEqual(patched.metadata?.annotations, { 'flowkube.io/x': 'a' });
    assert.equal(patched.spec?.holderIdentity, 'job-a');
    assert.equal(patched.metadata?.uid, created.metadata?.uid);
    assert.ok(Number(patched.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));
    const missing = await failure(
      leases.patchNamespacedLease({ namespace: NS, name: 'watermark-none', body: { metadata: {} } }, mergePatch)
    );
    assert.deepEqual(
      [missing.code, missing.body.message],
      [404, 'leases.coordination.k8s.io "watermark-none" not found']
    );
  });

  it('faults and RBAC apply to leases separately from Pods', async () => {
    fake.failNext('create', { status: 500 }, 1, 'leases');
    const faulted = await failure(leases.createNamespacedLease({ namespace: NS, body: lease('slot-fault-0') }));
    assert.equal(faulted.code, 500);
    assert.equal(fake.requestCount('create', 'leases') > 0, true);
    fake.forbid('delete', 'leases');
    try {
      const denied = await failure(leases.deleteNamespacedLease({ namespace: NS, name: 'slot-list-a' }));
      assert.equal(denied.code, 403);
      assert.match(
        String(denied.body.message),
        /^leases "slot-list-a" is forbidden: User ".*" cannot delete resource "leases" in API group "coordination\.k8s\.io" in the namespace "flowkube-jobs"$/
      );
    } finally {
      fake.allow('delete', 'leases');
    }
  });
});

describe('ResourceQuota on pods', () => {
  it('refuses the create beyond the hard count as the quota admission words it, and stops counting finished Pods', async () => {
    const pod = (name: string) => ({
      metadata: { name },
      spec: { restartPolicy: 'Never', containers: [{ name: 'worker', image: 'example/never:1' }] },
    });
    const [running] = fake.seedPods(1, { phase: 'Running', namePrefix: 'quota-run-' });
    fake.seedPods(1, { phase: 'Succeeded', namePrefix: 'quota-done-' });
    const active = fake.pods(NS).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    fake.setPodQuota(NS, { name: 'flowkube-jobs-quota', pods: active.length });
    try {
      const refused = await failure(core.createNamespacedPod({ namespace: NS, body: pod('quota-pod-over') }));
      assert.equal(refused.code, 403);
      assert.equal(refused.body.reason, 'Forbidden');
      assert.equal(
        refused.body.message,
        `pods "quota-pod-over" is forbidden: exceeded quota: flowkube-jobs-quota, requested: pods=1, used: pods=${active.length}, limited: pods=${active.length}`
      );
      // once one of them is over it no longer counts, and the create is admitted
      fake.setPodStatus(NS, running!.metadata!.name!, { phase: 'Succeeded' });
      const admitted = await core.createNamespacedPod({ namespace: NS, body: pod('quota-pod-over') });
      assert.equal(admitted.metadata?.name, 'quota-pod-over');
    } finally {
      fake.setPodQuota(NS, undefined);
    }
  });
});
