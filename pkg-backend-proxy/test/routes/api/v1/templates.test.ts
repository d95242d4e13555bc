// GET /api/v1/templates answers from bytes made once per catalog change: this proves they are not a stale copy (a
// change gives a new body and ETag at once), that every encoding carries the same JSON, and that 304 holds only for
// the current version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Value } from 'typebox/value';
import { acceptsGzip, matchesEtag } from '../../../../src/cached-json.ts';
import { TemplateList } from '../../../../src/schemas/index.ts';
import { read } from '../../../helper.ts';
import { catalogConfigMap, liveCatalogApp, within, workerTemplate } from '../../../catalog/support.ts';

const live = liveCatalogApp();

const get = (headers: Record<string, string> = {}) =>
  live.built.app.inject({ url: '/api/v1/templates', headers: { ...read, ...headers } });

test('the cached body changes with the catalog: new JSON and ETag, the old ETag no longer 304s', async () => {
  const first = await get();
  assert.equal(first.statusCode, 200);
  assert.match(String(first.headers['content-type']), /^application\/json/);
  assert.equal(first.headers['cache-control'], 'no-cache');
  const etag = String(first.headers.etag);
  assert.match(etag, /^"[\w-]{32}"$/);
  assert.deepEqual(first.json(), { items: live.built.app.catalog.views() });
  assert.ok(Value.Check(TemplateList, first.json()), 'the cached JSON fits the declared response schema');

  const again = await get({ 'if-none-match': etag });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');

  await live.apply(catalogConfigMap('team-a', [workerTemplate('nightly-report')]));
  const changed = await within(2000, 'the new template in the answer', async () => {
    const res = await get({ 'if-none-match': etag });
    return res.statusCode === 200 && res.json().items.some((t: { id: string }) => t.id === 'nightly-report') && res;
  });
  assert.notEqual(changed.headers.etag, etag);
  assert.deepEqual(changed.json(), { items: live.built.app.catalog.views() });

  await live.apply(catalogConfigMap('team-a', [workerTemplate('nightly-report', { title: 'Renamed' })]));
  const renamed = await within(2000, 'the changed title', async () => {
    const res = await get({ 'if-none-match': String(changed.headers.etag) });
    return res.statusCode === 200 && res;
  });
  assert.equal(renamed.json().items.find((t: { id: string }) => t.id === 'nightly-report').title, 'Renamed');
});

test('gzip when the client accepts it, with the same JSON and ETag as the plain answer', async () => {
  const plain = await get();
  const zipped = await get({ 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(zipped.statusCode, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.equal(zipped.headers.etag, plain.headers.etag);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8')), plain.json());
  const refused = await get({ 'accept-encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
});

test('Accept-Encoding and If-None-Match are read as RFC 9110 says', () => {
  assert.equal(acceptsGzip(undefined), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip('br, GZIP;q=0.5'), true);
  assert.equal(acceptsGzip('*'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('gzip;q=0.000'), false);
  assert.equal(matchesEtag('"a", W/"b"', '"b"'), true);
  assert.equal(matchesEtag('*', '"b"'), true);
  assert.equal(matchesEtag('"a"', '"b"'), false);
  assert.equal(matchesEtag(undefined, '"b"'), false);
});
