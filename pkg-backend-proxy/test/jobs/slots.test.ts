import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSlots, freeIndexes, parseSlots, slotName, templateScope } from '../../src/jobs/slots.ts';
import { JobId } from '../../src/schemas/index.ts';

test('slot names are valid Lease names per scope and index', () => {
  assert.equal(slotName('global', 3), 'flowkube-slot-global-3');
  assert.equal(slotName(templateScope('cpu-load'), 0), 'flowkube-slot-template-cpu-load-0');
  const longest = slotName(templateScope('a-template-id-that-is-forty-chars-long-x'), 99_999);
  assert.ok(new RegExp((JobId as unknown as { pattern: string }).pattern).test(longest) && longest.length <= 253);
});

test('the slots annotation round-trips and ignores junk', () => {
  const slots = [
    { name: 'flowkube-slot-template-basic-1', uid: '0b1c' },
    { name: 'flowkube-slot-global-4', uid: '9f8e' },
  ];
  assert.deepEqual(parseSlots(formatSlots(slots)), slots);
  assert.deepEqual(parseSlots(undefined), []);
  assert.deepEqual(parseSlots('x,=y,z=,a=b=c,ok=1'), [{ name: 'ok', uid: '1' }]);
});

test('free indexes are those below the limit not taken, in a shuffled order', () => {
  const free = freeIndexes(new Set([0, 2, 9]), 5);
  assert.deepEqual([...free].sort(), [1, 3, 4]);
  assert.deepEqual(freeIndexes(new Set([0, 1]), 2), []);
  // the shuffle is Fisher-Yates on the given picker: always picking 0 rotates the list
  assert.deepEqual(
    freeIndexes(new Set(), 4, () => 0),
    [1, 2, 3, 0]
  );
});
