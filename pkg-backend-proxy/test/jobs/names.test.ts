import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { JobId } from '../../src/schemas/index.ts';
import { NAME_ALPHABET, idempotentPodName, randomPodName, requestHash } from '../../src/jobs/names.ts';

const jobIdPattern = new RegExp((JobId as unknown as { pattern: string }).pattern);

test('random names look like generateName: <template>- and 5 chars of its alphabet', () => {
  const name = randomPodName('cpu-load');
  assert.match(name, /^cpu-load-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(
    randomPodName('basic', () => 0),
    'basic-bbbbb'
  );
  assert.equal(
    randomPodName('basic', () => NAME_ALPHABET.length - 1),
    'basic-99999'
  );
});

test('an idempotency key alone gives the name: the same valid name every time; different keys differ', () => {
  const a = idempotentPodName('key-00000001');
  assert.equal(a, idempotentPodName('key-00000001'));
  assert.notEqual(a, idempotentPodName('key-00000002'));
  assert.match(a, /^flowkube-[a-z2-7]{16}$/);
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9._:-]{8,128}$/), (key) => {
      const name = idempotentPodName(key);
      return name.length <= 63 && jobIdPattern.test(name);
    }),
    { seed: 42, numRuns: 300 }
  );
});

test('the request hash ignores key order but not values', () => {
  assert.equal(requestHash('basic', { a: 1, b: 'x' }), requestHash('basic', { b: 'x', a: 1 }));
  assert.notEqual(requestHash('basic', { a: 1 }), requestHash('basic', { a: 2 }));
  assert.notEqual(requestHash('basic', { a: 1 }), requestHash('cpu-load', { a: 1 }));
  assert.notEqual(requestHash('basic', { a: 1 }), requestHash('basic', { a: '1' }));
});
