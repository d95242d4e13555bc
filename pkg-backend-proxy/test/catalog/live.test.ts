// Templates from ConfigMaps, live (issue 11 §2): added, changed and deleted while jobs run, every timing asserted
// through the API against the 2 s promise, broken ones next to good ones, duplicates, restarts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { build, launch, launchJob, read, waitFor } from '../helper.ts';
import { catalogConfigMap, catalogStatus, liveCatalogApp, NS, templates, within, workerTemplate } from './support.ts';

const LIVE_MS = 2000;
const live = liveCatalogApp();

async function ids(): Promise<string[]> {
  return (await templates(live.built.app)).map((t) => t.id);
}

describe('live ConfigMap templates', () => {
  test('added, changed and deleted: /templates and /changes show it within 2 s, no restart', async () => {
    const core = live.core;
    const { app } = live.built;
    await within(LIVE_MS, 'the ConfigMap list', async () => (await catalogStatus(app)).synced);
    const first = await app.inject({ url: '/api/v1/changes', headers: read });
    const revision: number = first.json().catalogRevision;

    // a long-poll that knows the current revision is answered by the catalog change, not its timeout
    const poll = app.inject({
      url: `/api/v1/changes?since=${encodeURIComponent(first.json().cursor)}&timeoutSeconds=20&catalogRevision=${revision}`,
      headers: read,
    });
    const started = Date.now();
    await live.apply(catalogConfigMap('team-a', [workerTemplate('report')]));
    const answer = await poll;
    assert.ok(Date.now() - started < LIVE_MS, `the long-poll took ${Date.now() - started} ms`);
    assert.ok(answer.json().catalogRevision > revision);
    await within(LIVE_MS, 'the added template', async () => (await ids()).includes('report'));

    await live.apply(catalogConfigMap('team-a', [workerTemplate('report', { title: 'Weekly report' })]));
    await within(
      LIVE_MS,
      'the changed title',
      async () => (await templates(app)).find((t) => t.id === 'report')?.title === 'Weekly report'
    );

    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'team-a' });
    await within(LIVE_MS, 'the template to go', async () => !(await ids()).includes('report'));
    const status = await catalogStatus(app);
    assert.deepEqual(
      status.sources.map((s) => s.kind),
      ['file']
    );
  });

  test('a broken template next to a good one: the good one launches, the broken one is reported everywhere', async () => {
    const core = live.core;
    const { app } = live.built;
    const broken = workerTemplate('sneaky', {
      volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }],
    });
    await live.apply(
      catalogConfigMap('team-b', {
        'good.yaml': stringify(workerTemplate('good')),
        'bad.yaml': stringify(broken),
        'notes.txt': 'ignored',
      })
    );
    await within(LIVE_MS, 'the good template', async () => (await ids()).includes('good'));
    assert.ok(!(await ids()).includes('sneaky'));

    const source = (await catalogStatus(app)).sources.find((s) => s.name === 'team-b')!;
    assert.equal(source.kind, 'configmap');
    assert.deepEqual(source.templates, [
      {
        id: 'sneaky',
        key: 'bad.yaml',
        ok: false,
        problems: [{ field: 'volumes[0].hostPath', message: 'is refused: a FlowKube job never mounts a node path' }],
      },
      { id: 'good', key: 'good.yaml', ok: true, problems: [] },
    ]);
    const refused = await launchJob(app, 'sneaky');
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.details.fields[0].field, 'template');

    // the same message as a Warning Event on the ConfigMap
    const event = await within(LIVE_MS, 'the Event', async () =>
      live.fake.events(NS).find((e) => e.involvedObject?.name === 'team-b')
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.reason, 'InvalidTemplate');
    assert.equal(event.involvedObject.kind, 'ConfigMap');
    assert.equal(
      event.involvedObject.uid,
      live.fake.configMaps(NS).find((c) => c.metadata?.name === 'team-b')?.metadata?.uid
    );
    assert.equal(
      event.message,
      'template "sneaky" (bad.yaml): volumes[0].hostPath is refused: a FlowKube job never mounts a node path'
    );

    const metrics = (await app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /flowkube_catalog_templates\{source="configmap\/team-b",ok="true"\} 1/);
    assert.match(metrics, /flowkube_catalog_templates\{source="configmap\/team-b",ok="false"\} 1/);
    assert.match(metrics, /flowkube_catalog_templates\{source="file",ok="true"\} 3/);

    // the proxy reads ConfigMaps only: a Secret named by a template is the worker's to read
    assert.deepEqual(
      live.fake.requests.filter((r) => r.path.includes('/secrets')),
      []
    );
    const good = await launchJob(app, 'good');
    assert.equal(good.statusCode, 201, good.body);
    await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${good.json().job.id}`, headers: launch });
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'team-b' });
  });

  test('ids are unique across sources: the file wins, then ConfigMaps in name order', async () => {
    const core = live.core;
    const { app } = live.built;
    await live.apply(
      catalogConfigMap('dup-1', [workerTemplate('basic'), workerTemplate('shared', { title: 'first' })])
    );
    await live.apply(catalogConfigMap('dup-2', [workerTemplate('shared', { title: 'second' })]));
    const status = await within(LIVE_MS, 'both ConfigMaps', async () => {
      const s = await catalogStatus(app);
      return s.sources.length === 3 ? s : undefined;
    });
    const byName = Object.fromEntries(status.sources.map((s) => [s.name, s.templates]));
    assert.deepEqual(byName['dup-1']![0]!.problems, [
      {
        field: 'id',
        message: `"basic" is already defined by the catalog file ${live.built.app.catalog.file}; ids must be unique`,
      },
    ]);
    assert.equal(byName['dup-1']![1]!.ok, true);
    assert.deepEqual(byName['dup-2']![0]!.problems, [
      { field: 'id', message: '"shared" is already defined by ConfigMap dup-1; ids must be unique' },
    ]);
    const all = await templates(app);
    assert.equal(all.find((t) => t.id === 'shared')?.title, 'first');
    assert.equal(all.find((t) => t.id === 'basic')?.title, 'Basic');
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'dup-1' });
    // with dup-1 gone, dup-2's template is no longer a duplicate
    await within(
      LIVE_MS,
      'dup-2 to take over',
      async () => (await templates(app)).find((t) => t.id === 'shared')?.title === 'second'
    );
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'dup-2' });
  });

  test('a template changed or deleted while its job runs: the job is untouched; a re-run with old params is a 400', async () => {
    const core = live.core;
    const { app } = live.built;
    await live.apply(catalogConfigMap('team-c', [workerTemplate('nightly')]));
    await within(LIVE_MS, 'the template', async () => (await ids()).includes('nightly'));
    const launched = await launchJob(app, 'nightly', { message: 'a long message of 30 characters' });
    assert.equal(launched.statusCode, 201, launched.body);
    const id: string = launched.json().job.id;
    await waitFor(
      'the job to run',
      async () => (await app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job.phase === 'Running'
    );
    const podBefore = live.fake.pods(NS).find((p) => p.metadata?.name === id)!;

    // the message may now be at most 10 characters
    const tighter = workerTemplate('nightly', {
      params: {
        type: 'object',
        additionalProperties: false,
        properties: { message: { type: 'string', maxLength: 10, default: 'hi' } },
      },
    });
    await live.apply(catalogConfigMap('team-c', [tighter]));
    await within(
      LIVE_MS,
      'the tighter template',
      async () => (await templates(app)).find((t) => t.id === 'nightly')?.params.properties.message?.maxLength === 10
    );
    const job = (await app.inject({ url: `/api/v1/jobs/${id}`, headers: read })).json().job;
    assert.equal(job.phase, 'Running');
    const podAfter = live.fake.pods(NS).find((p) => p.metadata?.name === id)!;
    assert.deepEqual(podAfter.spec, podBefore.spec);

    const rerun = await launchJob(app, 'nightly', job.params);
    assert.equal(rerun.statusCode, 400);
    assert.deepEqual(rerun.json().error.details.fields, [
      { field: 'params.message', message: 'must be at most 10 characters' },
    ]);

    // deleted while the job runs: the job stays visible and cancellable; the template can no longer be launched
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'team-c' });
    await within(LIVE_MS, 'the template to go', async () => !(await ids()).includes('nightly'));
    const still = await app.inject({ url: `/api/v1/jobs/${id}`, headers: read });
    assert.equal(still.json().job.phase, 'Running');
    assert.equal((await launchJob(app, 'nightly')).statusCode, 400);
    const cancelled = await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: launch });
    assert.equal(cancelled.statusCode, 202);
  });

  test('without permission to list ConfigMaps the file still serves; the watch restarts with backoff until it may', async () => {
    const core = live.core;
    await live.apply(catalogConfigMap('team-e', [workerTemplate('later')]));
    live.fake.forbid('list', 'configmaps');
    const second = await live.another();
    try {
      await within(LIVE_MS, 'a refused list', async () =>
        live.fake.requests.some((r) => r.verb === 'list' && r.path.endsWith('/configmaps'))
      );
      const status = await catalogStatus(second.app);
      assert.equal(status.synced, false);
      assert.deepEqual(
        (await templates(second.app)).map((t) => t.id),
        ['basic', 'cpu-load', 'log-gen']
      );
      live.fake.allow('list', 'configmaps');
      await within(LIVE_MS, 'the restarted watch to list', async () => (await catalogStatus(second.app)).synced);
      assert.ok((await templates(second.app)).some((t) => t.id === 'later'));
    } finally {
      live.fake.allow('list', 'configmaps');
      await second.close();
      await core.deleteNamespacedConfigMap({ namespace: NS, name: 'team-e' });
    }
  });

  test('a restart rebuilds the catalog from the file and the ConfigMaps alone', async () => {
    const core = live.core;
    await live.apply(catalogConfigMap('team-d', [workerTemplate('kept'), { id: 'Broken!' }], true));
    await within(LIVE_MS, 'the template', async () => (await ids()).includes('kept'));
    const before = await catalogStatus(live.built.app);
    const second = await live.another();
    try {
      const after = await within(LIVE_MS, 'the second proxy to list the ConfigMaps', async () => {
        const s = await catalogStatus(second.app);
        return s.synced ? s : undefined;
      });
      assert.deepEqual(after.sources, before.sources);
      assert.deepEqual(await templates(second.app), await templates(live.built.app));
    } finally {
      await second.close();
    }
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'team-d' });
  });
});
