import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobNotFound, notReady, NOT_READY_RETRY_SECONDS } from '../src/http-error.ts';

test('notReady is a 503 not_ready naming the cache, with Retry-After in the header and the body', () => {
  const err = notReady('schedule');
  assert.deepEqual([err.statusCode, err.code], [503, 'not_ready']);
  assert.equal(err.message, 'the schedule cache has not synced with Kubernetes yet; try again shortly');
  assert.deepEqual(err.headers, { 'retry-after': String(NOT_READY_RETRY_SECONDS) });
  assert.deepEqual(err.details, { retryAfterSeconds: NOT_READY_RETRY_SECONDS });
});

test('jobNotFound is a 404 not_found naming the job', () => {
  const err = jobNotFound('basic-x2x2x');
  assert.deepEqual([err.statusCode, err.code, err.message], [404, 'not_found', 'job "basic-x2x2x" not found']);
});
