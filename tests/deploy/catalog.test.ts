// k8s/base/catalog.yaml is a copy of the proxy's default catalog (kustomize cannot read files outside k8s/base/): it
// must not drift, it must load with the proxy's own loader, and every template must fit inside flowkube-jobs' LimitRange and
// ResourceQuota, or Kubernetes would reject its Pods at launch time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from '../../pkg-backend-proxy/src/catalog/load.ts';
import { parseQuantity } from '../../pkg-backend-proxy/src/catalog/quantity.ts';
import { findObject, kustomize } from './lib/kubectl-kustomize.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const copy = join(root, 'k8s', 'base', 'catalog.yaml');
const original = join(root, 'pkg-backend-proxy', 'catalog', 'default.yaml');

function quantity(text: string | undefined): number {
  const value = text === undefined ? undefined : parseQuantity(text);
  assert.ok(value !== undefined, `not a quantity: ${text}`);
  return value;
}

describe('the catalog ConfigMap', () => {
  test('k8s/base/catalog.yaml is identical to pkg-backend-proxy/catalog/default.yaml (cp the latter over the former)', () => {
    assert.equal(readFileSync(copy, 'utf8'), readFileSync(original, 'utf8'));
  });

  test('it loads with the proxy loader and has the three agreed templates', () => {
    const catalog = parseCatalog(readFileSync(copy, 'utf8'), copy);
    assert.deepEqual(
      catalog.templates.map((t) => t.id),
      ['basic', 'cpu-load', 'log-gen']
    );
    for (const t of catalog.templates) {
      // A fixed reference, or a repository whose tag a param picks.
      assert.match(typeof t.image === 'string' ? t.image : `${t.image.repository}:`, /^flowkube\/worker:/);
    }
  });

  test('every template fits the LimitRange max and the ResourceQuota', () => {
    const objects = kustomize(join(root, 'k8s', 'base'));
    const limitRange = findObject(objects, 'LimitRange', 'flowkube-jobs');
    const max = (limitRange.spec as { limits: Array<{ type: string; max: Record<string, string> }> }).limits.find(
      (l) => l.type === 'Container'
    )!.max;
    const hard = (findObject(objects, 'ResourceQuota', 'flowkube-jobs').spec as { hard: Record<string, string> }).hard;
    const catalog = parseCatalog(readFileSync(copy, 'utf8'), copy);
    for (const t of catalog.templates) {
      // Every preset a param can choose must fit, not only the default one.
      const blocks = 'presets' in t.resources ? Object.values(t.resources.presets) : [t.resources];
      for (const block of blocks) {
        for (const resource of ['cpu', 'memory'] as const) {
          const limit = quantity(block.limits[resource]);
          assert.ok(limit <= quantity(max[resource]), `${t.id}: limits.${resource} above the LimitRange max`);
          assert.ok(limit <= quantity(hard[`limits.${resource}`]), `${t.id}: limits.${resource} above the quota`);
        }
      }
    }
  });
});
