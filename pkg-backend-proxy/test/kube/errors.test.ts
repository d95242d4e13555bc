import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeKubeError, errorChain } from '../../src/kube/errors.ts';

test('errorChain names the cause undici hides behind "fetch failed"', () => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
  assert.equal(
    errorChain(new TypeError('fetch failed', { cause })),
    'fetch failed: connect ECONNREFUSED 127.0.0.1:6443'
  );
  const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  assert.equal(
    errorChain(new TypeError('fetch failed', { cause: tls })),
    'fetch failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)'
  );
  assert.equal(errorChain(undefined), 'unknown error');
  assert.equal(errorChain('plain text'), 'plain text');
});

test("a Watch's non-200 answer (an Error with statusCode) keeps its status", () => {
  const err = Object.assign(new Error('Forbidden'), { statusCode: 403 });
  assert.equal(describeKubeError(err).status, 403);
  assert.equal(describeKubeError(new Error('boom')).status, 0);
});
