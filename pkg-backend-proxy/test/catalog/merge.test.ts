import assert from 'node:assert/strict';
import { test } from 'node:test';
import { templatesFromConfigMap } from '../../src/catalog/configmap-source.ts';
import { LiveCatalog, templateHash } from '../../src/catalog/live-catalog.ts';
import { loadCatalog } from '../../src/catalog/load.ts';
import { mergeSources } from '../../src/catalog/merge.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';
import { catalogConfigMap, workerTemplate } from './support.ts';

const file = loadCatalog(DEFAULT_CATALOG);
const source = (name: string, templates: unknown[]) => ({
  name,
  templates: templatesFromConfigMap(catalogConfigMap(name, templates)),
});

test('one key may hold a templates: list or one template; other keys are ignored', () => {
  const list = templatesFromConfigMap(catalogConfigMap('l', [workerTemplate('a'), workerTemplate('b')], true));
  assert.deepEqual(
    list.map((t) => [t.id, t.key, t.problems.length]),
    [
      ['a', 'list.yaml', 0],
      ['b', 'list.yaml', 0],
    ]
  );
  const odd = templatesFromConfigMap({ data: { 'readme.md': 'x', 'one.yaml': '[1, 2]' } });
  assert.deepEqual(odd, [{ id: 'one.yaml', key: 'one.yaml', problems: [{ field: '', message: 'must be object' }] }]);
});

test('merge: the file first, ConfigMaps in name order, a repeated id within one ConfigMap reported too', () => {
  const merged = mergeSources(file, [
    source('zeta', [workerTemplate('z')]),
    source('alpha', [workerTemplate('a'), workerTemplate('a', { title: 'again' })]),
  ]);
  assert.deepEqual(
    merged.templates.map((t) => t.id),
    ['basic', 'cpu-load', 'log-gen', 'a', 'z']
  );
  assert.deepEqual(
    merged.sources.map((s) => s.name),
    [file.file, 'alpha', 'zeta']
  );
  assert.deepEqual(merged.sources[1]!.templates[1], {
    id: 'a',
    key: 't001.yaml',
    ok: false,
    problems: [{ field: 'id', message: '"a" is already defined by ConfigMap alpha; ids must be unique' }],
  });
  assert.equal(merged.byId.get('a')?.title, 'Template a');
});

test('the live catalog: a revision per change, cached views, cluster verdicts only for the content they judged', () => {
  const catalog = new LiveCatalog(file);
  let changes = 0;
  catalog.onChange(() => changes++);
  const r0 = catalog.revision;
  catalog.setConfigMap('m', source('m', [workerTemplate('m1')]).templates);
  assert.equal(catalog.revision, r0 + 1);
  const views = catalog.views();
  assert.equal(catalog.views(), views, 'views are built once per change');

  const t = catalog.byId.get('m1')!;
  const problem = { field: 'cluster', message: 'refused' };
  catalog.setClusterCheck('m1', 'not-its-hash', problem);
  assert.equal(catalog.refusal('m1'), undefined);
  catalog.setClusterCheck('m1', templateHash(t), problem);
  assert.equal(catalog.refusal('m1'), 'refused');
  assert.equal(catalog.views().find((v) => v.id === 'm1')?.unavailable, 'refused');
  assert.deepEqual(catalog.report().sources[1]!.templates[0], {
    id: 'm1',
    key: 't000.yaml',
    ok: false,
    problems: [problem],
  });

  // the same text again keeps the verdict (same hash); a change clears it until its own check
  catalog.setConfigMap('m', source('m', [workerTemplate('m1')]).templates);
  assert.equal(catalog.refusal('m1'), 'refused');
  catalog.setConfigMap('m', source('m', [workerTemplate('m1', { title: 'new' })]).templates);
  assert.equal(catalog.refusal('m1'), undefined);
  catalog.removeConfigMap('m');
  assert.equal(catalog.byId.has('m1'), false);
  assert.equal(changes, 5);
});
