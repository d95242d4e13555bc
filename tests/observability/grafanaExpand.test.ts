// The provisioning expander (support/grafanaExpand.ts) against the cases Grafana's and Go's own tests pin down
// (grafana/grafana pkg/services/provisioning/values/values_test.go, golang/go src/os/env_test.go).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { expandAlertingFile, expandAll, goExpand, interpolate, referencedVariables } from './support/grafanaExpand.ts';

const env = { A: 'alpha', B_2: 'beta', EMPTY: '' };

describe('Go os.ExpandEnv, as Grafana calls it', () => {
  const cases: Array<[string, string]> = [
    ['${A}', 'alpha'],
    ['$A', 'alpha'],
    ['x$A.y', 'xalpha.y'],
    ['$B_2/$A', 'beta/alpha'],
    ['${UNSET}', ''],
    ['$UNSET-tail', '-tail'],
    ['${EMPTY}', ''],
    ['cost: 5$', 'cost: 5$'],
    ['a $ b', 'a $ b'],
    ['${}', ''],
    ['${A', 'A'],
    ['$1 $*', ' '],
    ['${__value.raw}', ''],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(
        goExpand(input, (name) => env[name as keyof typeof env] ?? ''),
        expected
      );
    });
  }
});

describe("Grafana's provisioning interpolation", () => {
  test('$$ is the only escape and becomes one literal $', () => {
    assert.equal(interpolate('$$', env), '$');
    assert.equal(interpolate('$${A}', env), '${A}');
    assert.equal(interpolate('$$A', env), '$A');
    assert.equal(interpolate('$$$A', env), '$alpha');
    assert.equal(interpolate('/jobs/$${__value.raw}', env), '/jobs/${__value.raw}');
  });

  test('an unescaped Grafana template variable is stored as an empty string', () => {
    assert.equal(interpolate('/jobs/${__value.raw}', env), '/jobs/');
  });

  test('$__env{X} and $__file{path} (trimmed) are expanded like the settings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowkube-expand-'));
    try {
      writeFileSync(join(dir, 'token'), '  s3cret\n');
      assert.equal(interpolate(`$__env{A}:$__file{${join(dir, 'token')}}`, env), 'alpha:s3cret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every string in nested maps and lists is expanded; numbers and booleans are kept', () => {
    assert.deepEqual(expandAll({ url: '${A}', n: 5, on: true, list: ['$B_2', { deep: 'x${UNSET}y' }] }, env), {
      url: 'alpha',
      n: 5,
      on: true,
      list: ['beta', { deep: 'xy' }],
    });
  });

  test('alert rule files keep annotations and query models raw and expand the rest', () => {
    const file = {
      groups: [
        {
          folder: '${A}',
          rules: [
            {
              title: '$A',
              labels: { team: '${B_2}' },
              annotations: { summary: '{{ $labels.pod }}' },
              data: [{ refId: 'A', model: { expr: 'label_replace(x, "t", "$1", "l", "(.*)")' } }],
            },
          ],
        },
      ],
    };
    const stored = expandAlertingFile(file, env);
    assert.equal(stored.groups[0]!.folder, 'alpha');
    assert.equal(stored.groups[0]!.rules[0]!.title, 'alpha');
    assert.deepEqual(stored.groups[0]!.rules[0]!.labels, { team: 'beta' });
    assert.deepEqual(stored.groups[0]!.rules[0]!.annotations, { summary: '{{ $labels.pod }}' });
    assert.equal(stored.groups[0]!.rules[0]!.data[0]!.model.expr, 'label_replace(x, "t", "$1", "l", "(.*)")');
  });

  test('referencedVariables lists what Grafana would look up, and nothing escaped', () => {
    assert.deepEqual(referencedVariables({ a: '${A}/$B_2', b: ['$${NOT}', '$$X'], c: '${__value.raw}' }).sort(), [
      'A',
      'B_2',
      '__value.raw',
    ]);
  });
});
