import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCursor, parseCursor } from '../../src/jobs/cursor.ts';

test('a cursor round-trips', () => {
  assert.equal(formatCursor({ boot: 'k3x9a', seq: 42 }), 'k3x9a.42');
  assert.deepEqual(parseCursor('k3x9a.42'), { boot: 'k3x9a', seq: 42 });
  assert.deepEqual(parseCursor('k3x9a.0'), { boot: 'k3x9a', seq: 0 });
});

test('anything else is not a cursor', () => {
  for (const bad of [
    '',
    'k3x9a',
    'k3x9a.',
    '.5',
    'k3x9a.-1',
    'k3x9a.01',
    'k3x9a.1.2',
    'K3X.1',
    'k3x9a.1e3',
    'a.9999999999999999',
    '../x.1',
  ]) {
    assert.equal(parseCursor(bad), undefined, bad);
  }
});
