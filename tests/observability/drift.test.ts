// The dashboards and alert rules are generated from monitoring/*.ts; the committed copies must be exactly what
// the generator writes now, or someone edited one by hand (or forgot `npm run dashboards`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatedFiles } from '../../monitoring/outputs.ts';
import { ROOT } from './support/dashboards.ts';

test('every generated file is committed exactly as `npm run dashboards` writes it', async () => {
  const files = await generatedFiles(ROOT);
  assert.ok(Object.keys(files).length >= 6);
  for (const [path, expected] of Object.entries(files)) {
    const actual = readFileSync(join(ROOT, path), 'utf8');
    assert.equal(
      actual,
      expected,
      `${path} differs from the generator's output: run \`npm run dashboards\` and commit`
    );
  }
});
