import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCursor, parseCursor, rvNumber } from '../../src/jobs/cursor.ts';

test('a cursor is a resourceVersion and round-trips', () => {
  assert.equal(formatCursor({ rv: 42 }), '42');
  assert.deepEqual(parseCursor('42'), { rv: 42 });
  assert.deepEqual(parseCursor('0'), { rv: 0 });
  assert.equal(rvNumber('9007199254740991'), 9007199254740991);
  assert.equal(rvNumber(undefined), undefined);
});

test('anything else is not a cursor', () => {
  for (const bad of ['', 'k3x9a.42', '-1', '01', '1.2', '1e3', ' 1', '9007199254740993', '12345678901234567', '../1']) {
    assert.equal(parseCursor(bad), undefined, bad);
  }
});
