// The generic resource handler (resource.ts) gives every resource the same API server behaviour; these check it on
// resources whose own files say nothing about it, with the real @kubernetes/client-node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  ApisApi,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1Lease,
} from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.ts';
import { waitFor } from './wait-for.ts';

const NS = 'flowkube-jobs';
let fake: FakeKube;
let kc: KubeConfig;
let core: CoreV1Api;
let leases: CoordinationV1Api;

before(async () => {
  fake = await startFakeKube({ namespaces: [NS] });
  kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  core = kc.makeApiClient(CoreV1Api);
  leases = kc.makeApiClient(CoordinationV1Api);
});
after(() => fake.stop());

async function refusal(call: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> {
  const err = await call.then(
    () => assert.fail('the API accepted a request it should have refused'),
    (e: unknown) => e
  );
  assert.ok(err instanceof ApiException, String(err));
  return { code: err.code, body: JSON.parse(String(err.body)) };
}

const lease = (name: string): V1Lease => ({ metadata: { name, labels: { app: 'w' } }, spec: { holderIdentity: 'a' } });

describe('every resource, through the generic handler', () => {
  it('discovery lists each group and the resources it serves, with their verbs', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    assert.deepEqual(groups.groups.map((g) => g.name).sort(), ['batch', 'coordination.k8s.io']);
    const batch = await kc.makeApiClient(BatchV1Api).getAPIResources();
    assert.deepEqual(
      batch.resources.map((r) => [r.name, r.kind, r.verbs.join(',')]),
      [
        ['cronjobs', 'CronJob', 'create,delete,get,list,patch,watch'],
        ['jobs', 'Job', 'create,delete,get,list,patch,watch'],
      ]
    );
    const v1 = await core.getAPIResources();
    assert.ok(v1.resources.some((r) => r.name === 'configmaps' && r.verbs.includes('update')));
    assert.ok(v1.resources.some((r) => r.name === 'pods/log'));
  });

  it('a Lease watch sees what happens to Leases, and only to those its selector picks', async () => {
    const from = (await leases.listNamespacedLease({ namespace: NS })).metadata?.resourceVersion;
    const seen: string[] = [];
    const watch = await new Watch(kc).watch(
      `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
      { resourceVersion: from, labelSelector: 'app=w' },
      (type, obj: V1Lease) => seen.push(`${type} ${obj.metadata?.name}`),
      () => {}
    );
    try {
      await leases.createNamespacedLease({ namespace: NS, body: lease('watched') });
      await leases.createNamespacedLease({ namespace: NS, body: { metadata: { name: 'unpicked' } } });
      await leases.deleteNamespacedLease({ namespace: NS, name: 'watched' });
      await waitFor('the DELETED event', () => seen.includes('DELETED watched'), 5000);
      assert.deepEqual(seen, ['ADDED watched', 'DELETED watched']);
    } finally {
      watch.abort();
    }
  });

  it('lists in chunks: limit and continue walk every object once', async () => {
    for (const name of ['chunk-a', 'chunk-b', 'chunk-c']) {
      await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name, labels: { chunk: 'y' } } } });
    }
    const first = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'chunk=y', limit: 2 });
    assert.deepEqual(
      first.items.map((c) => c.metadata?.name),
      ['chunk-a', 'chunk-b']
    );
    const rest = await core.listNamespacedConfigMap({
      namespace: NS,
      labelSelector: 'chunk=y',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    assert.deepEqual(
      rest.items.map((c) => c.metadata?.name),
      ['chunk-c']
    );
    assert.equal(rest.metadata?._continue, undefined);
    const byName = await core.listNamespacedConfigMap({ namespace: NS, fieldSelector: 'metadata.name=chunk-b' });
    assert.deepEqual(
      byName.items.map((c) => c.metadata?.name),
      ['chunk-b']
    );
    const unknown = await refusal(core.listNamespacedConfigMap({ namespace: NS, fieldSelector: 'data.x=1' }));
    assert.deepEqual([unknown.code, unknown.body.message], [400, 'field label not supported: data.x']);
  });

  it('a PUT that changes nothing writes nothing: the resourceVersion stays', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'same' }, data: { a: '1' } },
    });
    const again = await core.replaceNamespacedConfigMap({ namespace: NS, name: 'same', body: created });
    assert.equal(again.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const changed = await core.replaceNamespacedConfigMap({
      namespace: NS,
      name: 'same',
      body: { ...again, data: { a: '2' } },
    });
    assert.notEqual(changed.metadata?.resourceVersion, created.metadata?.resourceVersion);
  });

  it('DELETE: DeleteOptions are validated as meta.k8s.io ones, preconditions hold for every resource', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'guarded' } } });
    const badPolicy = await refusal(
      core.deleteNamespacedConfigMap({ namespace: NS, name: 'guarded', propagationPolicy: 'Sometimes' })
    );
    assert.equal(badPolicy.code, 422);
    assert.match(badPolicy.body.message, /^DeleteOptions\.meta\.k8s\.io "" is invalid: propagationPolicy: Unsupported/);
    assert.deepEqual(badPolicy.body.details.group, 'meta.k8s.io');
    const stale = await refusal(
      core.deleteNamespacedConfigMap({
        namespace: NS,
        name: 'guarded',
        body: { preconditions: { resourceVersion: '1' } },
      })
    );
    assert.equal(stale.code, 409);
    assert.match(stale.body.message, /^Operation cannot be fulfilled on configmaps "guarded": Precondition failed: /);
    const done = await core.deleteNamespacedConfigMap({
      namespace: NS,
      name: 'guarded',
      body: { preconditions: { uid: created.metadata?.uid } },
    });
    assert.deepEqual({ ...done.details }, { name: 'guarded', kind: 'configmaps', uid: created.metadata?.uid });
  });

  it('a dry-run patch answers the patched object and stores nothing; a stale resourceVersion is 409', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name: 'patched' },
        spec: {
          suspend: true,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1' }] } },
        },
      },
    });
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const dry = await batch.patchNamespacedJob(
      { namespace: NS, name: 'patched', body: { metadata: { labels: { dry: 'yes' } } }, dryRun: 'All' },
      merge
    );
    assert.equal(dry.metadata?.labels?.dry, 'yes');
    const stored = await batch.readNamespacedJob({ namespace: NS, name: 'patched' });
    assert.equal(stored.metadata?.labels?.dry, undefined);
    const stale = await refusal(
      batch.patchNamespacedJob(
        { namespace: NS, name: 'patched', body: { metadata: { resourceVersion: '1', labels: { x: 'y' } } } },
        merge
      )
    );
    assert.equal(stale.code, 409);
    assert.match(stale.body.message, /^Operation cannot be fulfilled on jobs\.batch "patched": the object has been/);
  });
});
