// Every YAML and JSON file of the observability part parses (a tab or a bad indent breaks a whole Helm install).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filesUnder, readText, yamlErrors } from './support/files.ts';

test('every YAML file under monitoring/ and provisioning/ parses', () => {
  const files = [...filesUnder('monitoring', ['.yaml', '.yml']), ...filesUnder('provisioning', ['.yaml', '.yml'])];
  assert.ok(files.length >= 12, `found ${files.join(', ')}`);
  for (const file of files) {
    assert.deepEqual(yamlErrors(file), [], file);
  }
});

test('every JSON file under provisioning/ and src/dashboards/ parses', () => {
  const files = [...filesUnder('provisioning', ['.json']), ...filesUnder('src/dashboards', ['.json'])];
  assert.ok(files.length >= 2);
  for (const file of files) {
    assert.doesNotThrow(() => JSON.parse(readText(file)), file);
  }
});
