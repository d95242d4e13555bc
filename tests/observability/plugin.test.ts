// The app bundles the dashboards it ships: every generated dashboard is listed in plugin.json and nothing else is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dashboards } from '../../monitoring/outputs.ts';
import { type Json } from './support/dashboards.ts';
import { readText } from './support/files.ts';

test('plugin.json includes exactly the generated dashboards, by their titles', () => {
  const plugin = JSON.parse(readText('src/plugin.json'));
  const included = plugin.includes.filter((i: Json) => i.type === 'dashboard');
  const generated = Object.entries(dashboards()).map(([file, d]) => ({ name: d.title, path: `dashboards/${file}` }));
  assert.deepEqual(
    included
      .map((i: Json) => ({ name: i.name, path: i.path }))
      .sort((a: Json, b: Json) => a.path.localeCompare(b.path)),
    generated.sort((a, b) => a.path.localeCompare(b.path))
  );
});
