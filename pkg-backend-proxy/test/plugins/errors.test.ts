import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { capListed, MAX_LISTED } from '../../src/plugins/errors.ts';
import { type Built, build, flowkubePods, launch, read } from '../helper.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...launch, 'content-type': 'application/json', ...headers },
    payload,
  });

test('thousands of unknown params list the first 20 and count the rest; the answer stays small', async () => {
  const params = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, 1]));
  const res = await post(JSON.stringify({ template: 'basic', params }));
  assert.equal(res.statusCode, 400);
  const { error } = res.json();
  assert.equal(error.details.fields.length, MAX_LISTED);
  assert.equal(error.details.unlisted, 4000 - MAX_LISTED);
  assert.match(error.message, /; and 3980 more problems not listed$/);
  assert.ok(res.body.length < 4000, `${res.body.length} bytes`);
});

test('capListed leaves short lists alone and caps Kubernetes causes too', () => {
  const short = {
    error: {
      code: 'bad_request' as const,
      message: 'x is required',
      details: { fields: [{ field: 'x', message: 'is required' }] },
    },
  };
  assert.equal(capListed(short), short);
  const causes = Array.from({ length: 30 }, (_, i) => ({ field: `f${i}` }));
  const capped = capListed({ error: { code: 'bad_request', message: 'Pod is invalid', details: { causes } } });
  assert.deepEqual(
    [capped.error.details?.causes?.length, capped.error.details?.unlisted, capped.error.message],
    [20, 10, 'Pod is invalid']
  );
});

test('valid JSON with __proto__ or constructor.prototype is refused for what it is, not as broken JSON', async () => {
  for (const payload of [
    '{"template":"basic","__proto__":{"admin":true}}',
    '{"template":"basic","params":{"constructor":{"prototype":{"x":1}}}}',
  ]) {
    const res = await post(payload);
    assert.equal(res.statusCode, 400, payload);
    const { message } = res.json().error;
    assert.doesNotMatch(message, /not valid JSON/);
    assert.match(
      message,
      /^(__proto__|params\.constructor\.prototype) is a "(__proto__|constructor\.prototype)" key, which the proxy refuses/
    );
    assert.match(message, /the JSON itself is valid$/);
  }
  assert.equal(flowkubePods(t.fake).length, 0);
  const broken = await post('{"template":');
  assert.match(broken.json().error.message, /^body is not valid JSON: /);
  const empty = await post('');
  assert.equal(empty.json().error.message, 'the body is empty; send a JSON object');
});

test('a compressed body is 415 saying compression is not accepted (after auth)', async () => {
  const body = gzipSync(JSON.stringify({ template: 'basic' }));
  for (const encoding of ['gzip', 'deflate', 'br', 'GZIP']) {
    const res = await post(body, { 'content-encoding': encoding });
    assert.equal(res.statusCode, 415, encoding);
    assert.deepEqual(res.json().error, {
      code: 'unsupported_media_type',
      message: `Content-Encoding "${encoding.toLowerCase()}" is not accepted: send the body uncompressed`,
    });
  }
  const unauthenticated = await t.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: body,
  });
  assert.equal(unauthenticated.statusCode, 401);
  const identity = await post(JSON.stringify({ template: 'nope' }), { 'content-encoding': 'identity' });
  assert.equal(identity.statusCode, 400);
});

test('unknown /api/v1 paths do not reveal which routes exist to a caller without a token', async () => {
  for (const url of ['/api/v1/nope', '/api/v1/jobs/x/y/z', '/api/v1/templates/secret']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 401, url);
    assert.equal(res.json().error.code, 'unauthorized');
    const wrong = await t.app.inject({ url, headers: { authorization: 'Bearer wrong-wrong-wrong' } });
    assert.equal(wrong.statusCode, 403, url);
  }
  const known = await t.app.inject({ url: '/api/v1/nope', headers: read });
  assert.deepEqual(known.json(), { error: { code: 'not_found', message: 'no route GET /api/v1/nope' } });
  const outside = await t.app.inject({ url: '/nope' });
  assert.equal(outside.statusCode, 404);
  assert.ok(!outside.body.includes('/api/v1/jobs'), 'the 404 names no route');
});
