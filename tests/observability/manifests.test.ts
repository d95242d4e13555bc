// The plain Kubernetes objects of the observability part validate against the Kubernetes schemas
// (kubernetes-models; it misses unknown fields, so the few fields that matter are asserted too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigMap, Namespace } from 'kubernetes-models/v1';
import { readYaml } from './support/files.ts';

const CONFIG_MAPS = ['monitoring/flowkube-loki-rules.yaml'];

test('the monitoring namespace is a valid Namespace named flowkube-monitoring', () => {
  const namespace = readYaml('monitoring/00-namespace.yaml');
  assert.doesNotThrow(() => new Namespace(namespace).validate());
  assert.equal(namespace.metadata.name, 'flowkube-monitoring');
});

for (const file of CONFIG_MAPS) {
  test(`${file} is a valid ConfigMap in flowkube-monitoring`, () => {
    const configMap = readYaml(file);
    assert.doesNotThrow(() => new ConfigMap(configMap).validate());
    assert.equal(configMap.metadata.namespace, 'flowkube-monitoring');
    assert.deepEqual(Object.keys(configMap).sort(), ['apiVersion', 'data', 'kind', 'metadata']);
  });
}
