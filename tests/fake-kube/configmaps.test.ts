// The fake's ConfigMaps, Events and Pod dry runs, proven against the real @kubernetes/client-node.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import { type FakeKube, priorityClasses, quotaDenial, startFakeKube, webhookDenial } from './index.ts';

const NS = 'flowkube-jobs';
let fake: FakeKube;
let core: CoreV1Api;
let kc: KubeConfig;

before(async () => {
  fake = await startFakeKube({ namespaces: [NS] });
  kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  core = kc.makeApiClient(CoreV1Api);
});
after(() => fake.stop());

function status(err: unknown): { code: number; body: Record<string, any> } {
  assert.ok(err instanceof ApiException, String(err));
  return { code: err.code, body: JSON.parse(String(err.body)) };
}

/** For `.then(accepted, status)`: a call that should have been refused fails the test. */
function accepted(): never {
  throw new Error('Kubernetes accepted a request it should have refused');
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cm = (name: string, data: Record<string, string>, labels = { 'flowkube.io/catalog': 'true' }): V1ConfigMap => ({
  metadata: { name, labels },
  data,
});

describe('ConfigMaps', () => {
  test('create, get, list by label, replace, delete: answered as the API server answers', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: cm('a', { 'x.yaml': 'id: x' }) });
    assert.equal(created.metadata?.namespace, NS);
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata?.resourceVersion);
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('other', {}, { app: 'x' } as never) });

    const listed = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'flowkube.io/catalog=true' });
    assert.deepEqual(
      listed.items.map((c) => c.metadata?.name),
      ['a']
    );

    const replaced = await core.replaceNamespacedConfigMap({
      namespace: NS,
      name: 'a',
      body: { ...created, data: { 'x.yaml': 'id: y' } },
    });
    assert.equal(replaced.data?.['x.yaml'], 'id: y');
    assert.equal(replaced.metadata?.uid, created.metadata?.uid);
    assert.notEqual(replaced.metadata?.resourceVersion, created.metadata?.resourceVersion);

    // a replace from the stale copy is refused, as optimistic concurrency requires
    const stale = await core
      .replaceNamespacedConfigMap({ namespace: NS, name: 'a', body: created })
      .then(accepted, status);
    assert.equal(stale.code, 409);
    assert.match(stale.body.message, /^Operation cannot be fulfilled on configmaps "a": the object has been modified/);

    const taken = await core.createNamespacedConfigMap({ namespace: NS, body: cm('a', {}) }).then(accepted, status);
    assert.equal(taken.code, 409);
    assert.equal(taken.body.reason, 'AlreadyExists');

    const gone = await core.deleteNamespacedConfigMap({ namespace: NS, name: 'a' });
    assert.equal(gone.status, 'Success');
    const missing = await core.readNamespacedConfigMap({ namespace: NS, name: 'a' }).then(accepted, status);
    assert.equal(missing.code, 404);
    assert.equal(missing.body.message, 'configmaps "a" not found');
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'other' });
  });

  test('invalid keys, names and a dry run that stores nothing', async () => {
    const bad = await core
      .createNamespacedConfigMap({ namespace: NS, body: cm('b', { 'a/b.yaml': '' }) })
      .then(accepted, status);
    assert.equal(bad.code, 422);
    assert.equal(bad.body.details.causes[0].field, 'data[a/b.yaml]');
    const badName = await core.createNamespacedConfigMap({ namespace: NS, body: cm('B', {}) }).then(accepted, status);
    assert.equal(badName.code, 422);
    const dry = await core.createNamespacedConfigMap({ namespace: NS, body: cm('dry', {}), dryRun: 'All' });
    assert.equal(dry.metadata?.name, 'dry');
    assert.equal(fake.configMaps(NS).length, 0);
  });

  test('a label-selected informer sees add, update and delete', async () => {
    const seen: string[] = [];
    const informer = makeInformer(
      kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'flowkube.io/catalog=true' }),
      'flowkube.io/catalog=true'
    );
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('live', { 'a.yaml': '1' }) });
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('unlabelled', {}, {} as never) });
      await until('add', () => seen.includes('add live'));
      const now = await core.readNamespacedConfigMap({ namespace: NS, name: 'live' });
      await core.replaceNamespacedConfigMap({ namespace: NS, name: 'live', body: { ...now, data: { 'a.yaml': '2' } } });
      await until('update', () => seen.includes('update live'));
      await core.deleteNamespacedConfigMap({ namespace: NS, name: 'live' });
      await until('delete', () => seen.includes('delete live'));
      assert.ok(!seen.some((s) => s.includes('unlabelled')));
    } finally {
      await informer.stop();
      await core.deleteNamespacedConfigMap({ namespace: NS, name: 'unlabelled' });
    }
  });
});

describe('Events', () => {
  test('are created and listed; the involved object must be in the Event’s namespace', async () => {
    const body = {
      metadata: { name: 'a.1', namespace: NS },
      involvedObject: { kind: 'ConfigMap', name: 'a', namespace: NS },
      reason: 'InvalidTemplate',
      message: 'template "x": bad',
      type: 'Warning',
    };
    const created = await core.createNamespacedEvent({ namespace: NS, body });
    assert.equal(created.reason, 'InvalidTemplate');
    const list = await core.listNamespacedEvent({ namespace: NS });
    assert.equal(list.items.length, 1);
    assert.equal(fake.events(NS)[0]?.message, 'template "x": bad');
    const wrong = await core
      .createNamespacedEvent({
        namespace: NS,
        body: { ...body, metadata: { name: 'a.2' }, involvedObject: { ...body.involvedObject, namespace: 'other' } },
      })
      .then(accepted, status);
    assert.equal(wrong.code, 422);
  });
});

describe('Pod dry runs and admission', () => {
  const pod = (name: string, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'w', image: 'example/x:1', resources: { limits: { cpu: '2' } } }],
      ...extra,
    },
  });

  test('dryRun=All answers 201 with the object a create would return, and stores and runs nothing', async () => {
    const answer = await core.createNamespacedPod({ namespace: NS, body: pod('dry-1'), dryRun: 'All' });
    assert.equal(answer.metadata?.name, 'dry-1');
    assert.ok(answer.metadata?.uid);
    assert.equal(answer.status?.phase, 'Pending');
    assert.equal(fake.pods(NS).length, 0);
    // validation still applies: a dry run fails where the create would
    const invalid = await core
      .createNamespacedPod({
        namespace: NS,
        body: { metadata: { name: 'x' }, spec: { containers: [] } },
        dryRun: 'All',
      })
      .then(accepted, status);
    assert.equal(invalid.code, 422);
  });

  test('a webhook, a quota and a missing PriorityClass refuse dry runs and creates with the real messages', async () => {
    const removers = [
      webhookDenial('policy.example.com', (p) => (p.metadata?.name === 'denied' ? 'images must be signed' : undefined)),
      quotaDenial('compute', 'limits.cpu', 1, (p) => Number(p.spec?.containers[0]?.resources?.limits?.cpu ?? 0)),
      priorityClasses(['batch-low']),
    ].map((hook) => fake.admit(hook));
    try {
      const webhook = await core
        .createNamespacedPod({ namespace: NS, body: pod('denied'), dryRun: 'All' })
        .then(accepted, status);
      assert.equal(webhook.code, 403);
      assert.equal(
        webhook.body.message,
        'pods "denied" is forbidden: admission webhook "policy.example.com" denied the request: images must be signed'
      );
      assert.deepEqual(webhook.body.details, { name: 'denied', group: '', kind: 'pods' });

      const quota = await core.createNamespacedPod({ namespace: NS, body: pod('big') }).then(accepted, status);
      assert.equal(quota.code, 403);
      assert.equal(
        quota.body.message,
        'pods "big" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=0, limited: limits.cpu=1'
      );

      const small = pod('prio', { priorityClassName: 'batch-high' });
      small.spec!.containers[0]!.resources = { limits: { cpu: '1' } };
      const prio = await core.createNamespacedPod({ namespace: NS, body: small, dryRun: 'All' }).then(accepted, status);
      assert.equal(prio.body.message, 'pods "prio" is forbidden: no PriorityClass with name batch-high was found');
      assert.equal(fake.pods(NS).length, 0);
    } finally {
      removers.forEach((remove) => remove());
    }
  });

  test('a webhook with side effects answers a dry run with 400, as kube-apiserver does', async () => {
    const remove = fake.admit(webhookDenial('audit.example.com', () => undefined, { sideEffects: 'Some' }));
    try {
      const answer = await core
        .createNamespacedPod({ namespace: NS, body: pod('se'), dryRun: 'All' })
        .then(accepted, status);
      assert.equal(answer.code, 400);
      assert.equal(answer.body.message, 'admission webhook "audit.example.com" does not support dry run');
    } finally {
      remove();
    }
  });
});
