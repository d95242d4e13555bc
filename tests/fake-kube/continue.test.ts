// List chunking (`limit` + `continue`) as the API server serves it, driven by the real @kubernetes/client-node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { decodeContinue, encodeContinue } from './continue.ts';
import { startFakeKube, type FakeKube } from './index.ts';

const NS = 'chunks';

describe('list chunks', () => {
  let fake: FakeKube;
  let api: CoreV1Api;
  before(async () => {
    fake = await startFakeKube({ namespaces: [NS, 'zz-other'] });
    const kc = new KubeConfig();
    kc.loadFromOptions(fake.kubeConfigOptions());
    api = kc.makeApiClient(CoreV1Api);
    assert.equal(fake.seedPodCount(1200, { namespace: NS, namePrefix: 'w-', labels: { app: 'w' } }), 1200);
    fake.seedPods(300, { namespace: NS, namePrefix: 'x-', labels: { app: 'x' } });
    fake.seedPods(5, { namespace: 'zz-other', namePrefix: 'w-', labels: { app: 'w' } });
  });
  after(() => fake.stop());

  it('walks a selected list in key order, each Pod once, every chunk at the first one’s resourceVersion', async () => {
    const names: string[] = [];
    let token: string | undefined;
    const versions = new Set<string | undefined>();
    let chunks = 0;
    do {
      const page = await api.listNamespacedPod({ namespace: NS, labelSelector: 'app=w', limit: 500, _continue: token });
      names.push(...page.items.map((p) => p.metadata!.name!));
      versions.add(page.metadata?.resourceVersion);
      // a selector makes the count of what is left unknowable without reading it: the API server omits it
      assert.equal(page.metadata?.remainingItemCount, undefined);
      token = page.metadata?._continue;
      chunks += 1;
      if (chunks === 1) {
        fake.seedPods(1, { namespace: 'zz-other', namePrefix: 'later-' }); // moves the resourceVersion on
      }
    } while (token);
    assert.equal(versions.size, 1);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, [...names].sort());
    assert.equal(names.length, 1200);
    assert.ok(names.every((n) => n.startsWith('w-')));
  });

  it('counts what is left when there is no selector, and stops at the namespace', async () => {
    const first = await api.listNamespacedPod({ namespace: NS, limit: 1000 });
    assert.equal(first.items.length, 1000);
    assert.equal(first.metadata?.remainingItemCount, 500);
    const rest = await api.listNamespacedPod({ namespace: NS, limit: 1000, _continue: first.metadata?._continue });
    assert.equal(rest.items.length, 500);
    assert.equal(rest.metadata?._continue, undefined);
    assert.ok(rest.items.every((p) => p.metadata?.namespace === NS));
  });

  it('writes tokens in the API server’s format and refuses ones it would refuse', async () => {
    const page = await api.listNamespacedPod({ namespace: NS, limit: 1 });
    const raw = JSON.parse(Buffer.from(page.metadata!._continue!, 'base64url').toString('utf8')) as object;
    assert.deepEqual(raw, { v: 'meta.k8s.io/v1', rv: Number(page.metadata!.resourceVersion), start: 'w-0\u0000' });
    assert.deepEqual(decodeContinue(encodeContinue('a/b', 7)), { start: 'a/b', rv: 7 });
    for (const token of [
      'not json',
      Buffer.from('{"v":"meta.k8s.io/v2","rv":3,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":3,"start":""}').toString('base64url'),
      encodeContinue('../zz-other/w-0', 3),
    ]) {
      const err = await api.listNamespacedPod({ namespace: NS, limit: 1, _continue: token }).then(
        () => assert.fail(`token ${token} was accepted`),
        (e: unknown) => e
      );
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 400);
      assert.match(String(err.body), /continue key is not valid/);
    }
  });
});
