import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelay } from '../../src/jobs/create-pod.ts';

const retry = { attempts: 4, baseDelayMs: 200, maxRetryAfterMs: 1000 };

test("a 429's Retry-After is honoured up to the cap", () => {
  assert.equal(retryDelay({ status: 429, retryAfterSeconds: 0 }, 1, retry), 0);
  assert.equal(retryDelay({ status: 429, retryAfterSeconds: 1 }, 3, retry), 1000);
  assert.equal(retryDelay({ status: 429, retryAfterSeconds: 30 }, 1, retry), 1000);
});

test('other failures back off exponentially with ±25% jitter', () => {
  const low = () => 0;
  const high = () => 1;
  assert.deepEqual(
    [1, 2, 3].map((n) => retryDelay({ status: 500 }, n, retry, low)),
    [150, 300, 600]
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => retryDelay({ status: 0 }, n, retry, high)),
    [250, 500, 1000]
  );
  // a 429 without Retry-After is an ordinary backoff
  assert.equal(
    retryDelay({ status: 429 }, 2, retry, () => 0.5),
    400
  );
});
