// The cluster check: one server-side dry run per template change, what the cluster refuses shown as the template's
// problem with the API's own message, launching it refused with that reason, and backoff when the API is busy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webhookDenial } from '../../../tests/fake-kube/index.ts';
import { launchJob } from '../helper.ts';
import { catalogConfigMap, catalogStatus, liveCatalogApp, NS, templates, within, workerTemplate } from './support.ts';

const live = liveCatalogApp();

const dryRuns = () => live.fake.requests.filter((r) => r.verb === 'create' && r.query.dryRun === 'All').length;

test('what an admission webhook refuses is the template’s problem, and launching it is refused with the reason', async () => {
  const { app } = live.built;
  // the file's three templates were checked at start, once each
  await within(2000, 'the file’s dry runs', async () => dryRuns() === 3);
  const remove = live.fake.admit(
    webhookDenial('gpu-policy.example.com', (pod) =>
      pod.spec?.nodeSelector?.pool === 'gpu' ? 'GPU jobs need a team label' : undefined
    )
  );
  try {
    await live.apply(
      catalogConfigMap('ml', [workerTemplate('train', { nodeSelector: { pool: 'gpu' } }), workerTemplate('prep')])
    );
    const problem = await within(2000, 'the refusal', async () => {
      const t = (await catalogStatus(app)).sources
        .find((s) => s.name === 'ml')
        ?.templates.find((x) => x.id === 'train');
      return t?.ok === false ? t.problems[0] : undefined;
    });
    assert.equal(problem.field, 'cluster');
    assert.match(
      problem.message,
      /^the cluster refused this template's Pod in a dry run: pods "train-check-[0-9a-f]{5}" is forbidden: admission webhook "gpu-policy\.example\.com" denied the request: GPU jobs need a team label$/
    );
    const view = (await templates(app)).find((t) => t.id === 'train');
    assert.equal(view?.unavailable, problem.message);
    assert.deepEqual(view?.nodeSelector, { pool: 'gpu' });

    const refused = await launchJob(app, 'train');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'conflict');
    assert.deepEqual(refused.json().error.details.fields, [{ field: 'template', message: problem.message }]);
    assert.equal(live.fake.pods(NS).filter((p) => p.metadata?.labels?.['flowkube.io/template'] === 'train').length, 0);

    const prep = await launchJob(app, 'prep');
    assert.equal(prep.statusCode, 201, prep.body);
    assert.equal(dryRuns(), 5, 'one dry run per new template');
  } finally {
    remove();
  }

  // the same content again is no change: no dry run; a real change gets exactly one, which now passes
  await live.apply(
    catalogConfigMap('ml', [workerTemplate('train', { nodeSelector: { pool: 'gpu' } }), workerTemplate('prep')])
  );
  await live.apply(
    catalogConfigMap('ml', [
      workerTemplate('train', { nodeSelector: { pool: 'gpu' }, labels: { team: 'ml' } }),
      workerTemplate('prep'),
    ])
  );
  await within(
    2000,
    'the fixed template',
    async () => !(await templates(app)).find((t) => t.id === 'train')?.unavailable
  );
  await app.clusterCheck.idle();
  assert.equal(dryRuns(), 6);
  assert.equal((await launchJob(app, 'train')).statusCode, 201);
});

test('a busy API (429) is retried with backoff until it answers; the template is not blamed', async () => {
  const { app } = live.built;
  const before = dryRuns();
  live.fake.failNext('create', { status: 429, retryAfterSeconds: 0 }, 3);
  await live.apply(catalogConfigMap('busy', [workerTemplate('patient')]));
  await within(3000, 'the fourth attempt', async () => dryRuns() === before + 4);
  await app.clusterCheck.idle();
  const t = (await catalogStatus(app)).sources.find((s) => s.name === 'busy')?.templates[0];
  assert.deepEqual(t, { id: 'patient', key: 't000.yaml', ok: true, problems: [] });
  assert.equal((await templates(app)).find((x) => x.id === 'patient')?.unavailable, undefined);
});
