import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { isPhaseFilter } from '../src/contract/index.ts';
import { ErrorBody, JobListQuery } from '../src/schemas/index.ts';
import { createAjv } from '../src/validation/ajv.ts';
import { type Built, build, flowkubePods, launch, read } from './helper.ts';
import { propertyRuns } from './support/property-runs.ts';

let t: Built;
before(async () => {
  t = await build();
});
after(() => t.close());

const isErrorBody = createAjv({ coerce: false }).compile(ErrorBody);
const TEMPLATES = ['basic', 'cpu-load', 'log-gen'];
const templateId = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Req {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

// every query parameter GET /api/v1/jobs takes; any other name is refused
const JOB_LIST_PARAMS = Object.keys(JobListQuery.properties);

const nasty = fc.constantFrom(
  '$(rm -rf /)',
  '`id`',
  'a; cat /etc/passwd',
  'x && shutdown -h now',
  '| nc evil 1',
  'line1\nline2',
  '\r\nX-Injected: 1',
  '\u0000',
  '${IFS}',
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  '😀'.repeat(100),
  "'; DROP TABLE jobs; --"
);
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nasty);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e21, 0.5, -1, 3601, 1e-300);
const wrongValue = fc.oneof(anyText, hugeNumber, fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());
const notNumber = fc
  .oneof(anyText, fc.constantFrom('ten', 'NaN', 'Infinity', '0x', '1-1'))
  .filter((s) => s.trim() !== '' && Number.isNaN(Number(s)));

/** A launch body that is wrong in at least one way (so it must never create a Pod). */
const badBody: fc.Arbitrary<unknown> = fc.oneof(
  // unknown template (any string that is not in the catalog), any params
  fc.record({
    template: anyText.filter((s) => !TEMPLATES.includes(s)),
    params: fc.dictionary(fc.string(), wrongValue),
  }),
  // a known template with one bad param: wrong type, out of range, unknown name, too long a message
  fc.record({
    template: fc.constant('cpu-load'),
    params: fc.record({ durationSeconds: fc.oneof(hugeNumber, anyText, fc.boolean(), fc.constant(null)) }),
  }),
  fc.record({
    template: fc.constant('basic'),
    params: fc.record({ message: fc.string({ minLength: 257, maxLength: 400 }) }),
  }),
  fc.record({
    template: fc.constantFrom(...TEMPLATES),
    params: fc.dictionary(
      fc
        .oneof(nasty, fc.string())
        .filter(
          (k) => !['message', 'sleepSeconds', 'durationSeconds', 'tasks', 'taskIntervalMs', 'fail', 'seed'].includes(k)
        ),
      fc.oneof(nasty, fc.integer()),
      { minKeys: 1 }
    ),
  }),
  fc.record({ template: fc.constant('log-gen'), params: fc.record({ fail: fc.oneof(anyText, fc.integer()) }) }),
  // unknown top-level fields
  fc.record({ template: fc.constantFrom(...TEMPLATES), command: nasty }),
  fc.record({
    template: fc.constantFrom(...TEMPLATES),
    params: fc.oneof(anyText, fc.array(fc.integer()), fc.integer()),
  }),
  // not an object at all
  fc.oneof(fc.constant(null), fc.integer(), anyText, fc.array(fc.jsonValue()), fc.constant({}))
);

const json = (body: unknown) => ({ 'content-type': 'application/json', ...launch }) as Record<string, string>;
const goodBody = JSON.stringify({ template: 'basic', params: {} });

const gzipped = gzipSync(goodBody);

const request: fc.Arbitrary<Req> = fc.oneof(
  // compressed bodies: refused as such (415), never read as broken JSON
  fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'compress').map((encoding) => ({
    method: 'POST' as const,
    url: '/api/v1/jobs',
    headers: { ...json(null), 'content-encoding': encoding },
    payload: gzipped,
  })),
  // valid JSON with keys that could alter prototypes, at any depth
  fc
    .constantFrom(
      '{"__proto__":{"x":1},"template":"basic"}',
      '{"template":"basic","params":{"__proto__":{"polluted":true}}}',
      '{"template":"basic","params":{"constructor":{"prototype":{"x":1}}}}',
      '[{"constructor":{"prototype":{}}}]'
    )
    .map((payload) => ({ method: 'POST' as const, url: '/api/v1/jobs', headers: json(null), payload })),
  // thousands of unknown keys: the answer lists 20 and stays small
  fc.integer({ min: 21, max: 4000 }).map((n) => ({
    method: 'POST' as const,
    url: '/api/v1/jobs',
    headers: json(null),
    payload: JSON.stringify({
      template: 'log-gen',
      params: Object.fromEntries(Array.from({ length: n }, (_, i) => [`unknown${i}`, i])),
    }),
  })),
  // unknown API paths without a token: 401, so the route table cannot be probed
  fc
    .stringMatching(/^[a-z0-9/]{1,40}$/)
    .filter((p) => !/^(jobs|templates|changes|catalog|schedules)(\/|$)/.test(p))
    .chain((p) =>
      fc.constantFrom<Req>(
        { method: 'GET', url: `/api/v1/${p}`, headers: {} },
        { method: 'POST', url: `/api/v1/${p}`, headers: {} },
        { method: 'DELETE', url: `/api/v1/${p}`, headers: {} }
      )
    ),
  badBody.map((b) => ({ method: 'POST' as const, url: '/api/v1/jobs', headers: json(b), payload: JSON.stringify(b) })),
  // broken JSON text
  fc
    .oneof(
      fc.string(),
      fc.constantFrom('{', '{"template":', '{"template":"basic",}', "{'template':'basic'}", 'null x', '[1,2')
    )
    .filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    })
    .map((payload) => ({ method: 'POST' as const, url: '/api/v1/jobs', headers: json(null), payload })),
  // oversize bodies
  fc.integer({ min: 65_537, max: 200_000 }).map((n) => ({
    method: 'POST' as const,
    url: '/api/v1/jobs',
    headers: json(null),
    payload: JSON.stringify({ template: 'basic', params: { message: 'x'.repeat(n) } }),
  })),
  // a fine body with a wrong content type, a bad Idempotency-Key, a wrong or read-only token
  fc
    .constantFrom(
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'text/html',
      'application/octet-stream',
      'image/png'
    )
    .map((type) => ({
      method: 'POST' as const,
      url: '/api/v1/jobs',
      headers: { ...launch, 'content-type': type },
      payload: goodBody,
    })),
  fc
    .oneof(anyText, fc.string({ maxLength: 7 }), fc.string({ minLength: 129, maxLength: 300 }))
    .filter((k) => !/^[A-Za-z0-9._:-]{8,128}$/.test(k) && /^[\t\x20-\x7e]*$/.test(k) && k.trim() === k && k !== '')
    .map((key) => ({
      method: 'POST' as const,
      url: '/api/v1/jobs',
      headers: { ...json(null), 'idempotency-key': key },
      payload: goodBody,
    })),
  fc
    .oneof(
      fc.constant({} as Record<string, string>),
      fc.constant(read),
      fc
        .string()
        .filter((s) => /^[\x20-\x7e]*$/.test(s))
        .map((s) => ({ authorization: `Bearer ${s}` })),
      fc.constantFrom('Basic Zm9vOmJhcg==', 'Bearer', 'bearer  ', 'Token abc').map((a) => ({ authorization: a }))
    )
    .map((auth) => ({
      method: 'POST' as const,
      url: '/api/v1/jobs',
      headers: { 'content-type': 'application/json', ...auth },
      payload: goodBody,
    })),
  // ids with path tricks, bad characters, too long
  fc
    .oneof(
      fc.constantFrom(
        '..',
        '../etc/passwd',
        '%2e%2e',
        '%2e%2e%2fsecrets',
        '..%2F..%2F',
        'a%00b',
        'UPPER',
        '-lead',
        'trail-',
        'a_b',
        'a.b',
        '%20'
      ),
      fc.string({ minLength: 64, maxLength: 300 }).map((s) => encodeURIComponent(s)),
      fc.stringMatching(/^[a-z0-9]{64,200}$/),
      anyText.filter((s) => s !== '' && !templateId.test(s)).map((s) => encodeURIComponent(s))
    )
    .chain((id) =>
      fc.constantFrom<Req>(
        { method: 'GET', url: `/api/v1/jobs/${id}`, headers: read },
        { method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: launch },
        { method: 'GET', url: `/api/v1/jobs/${id}/logs`, headers: read }
      )
    ),
  // unknown (but well-formed) ids: 404
  fc
    .stringMatching(/^[a-z0-9]{1,20}$/)
    .map((id) => ({ method: 'GET' as const, url: `/api/v1/jobs/nope-${id}`, headers: read })),
  // bad query values
  fc
    .oneof(
      fc
        .oneof(notNumber, fc.integer({ min: 1001 }).map(String), fc.integer({ max: 0 }).map(String))
        .map((v) => `limit=${encodeURIComponent(v)}`),
      anyText.filter((s) => !isPhaseFilter(s)).map((v) => `phase=${encodeURIComponent(v)}`),
      anyText.filter((s) => !templateId.test(s) || s.length > 40).map((v) => `template=${encodeURIComponent(v)}`),
      fc
        .string({ minLength: 1 })
        .filter((k) => /^[a-z]+$/.test(k) && !JOB_LIST_PARAMS.includes(k))
        .map((k) => `${k}=1`)
    )
    .map((q) => ({ method: 'GET' as const, url: `/api/v1/jobs?${q}`, headers: read })),
  fc
    .oneof(
      // a resourceVersion-shaped cursor is valid on any replica; everything else is not a cursor at all
      anyText.filter((v) => !/^\d+$/.test(v)).map((v) => `since=${encodeURIComponent(v)}&timeoutSeconds=0`),
      fc
        .oneof(notNumber, fc.integer({ min: 26 }).map(String), fc.integer({ max: -1 }).map(String))
        .map((v) => `since=x.1&timeoutSeconds=${encodeURIComponent(v)}`)
    )
    .map((q) => ({ method: 'GET' as const, url: `/api/v1/changes?${q}`, headers: read })),
  fc
    .oneof(
      notNumber.map((v) => `tailLines=${encodeURIComponent(v)}`),
      fc.integer({ max: 0 }).map((v) => `tailLines=${v}`),
      anyText.filter((s) => !['true', 'false', '1', '0', ''].includes(s)).map((v) => `follow=${encodeURIComponent(v)}`)
    )
    .map((q) => ({ method: 'GET' as const, url: `/api/v1/jobs/nope-x/logs?${q}`, headers: read }))
);

test('malformed requests (5,200 with FLOWKUBE_PROPERTY_RUNS=full): every answer is a 4xx in the error shape, no Pod is created, the proxy stays healthy', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (req) => {
      const res = await t.app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode < 400 || res.statusCode >= 500) {
        throw new Error(
          `${req.method} ${req.url} ${req.payload?.slice(0, 200) ?? ''} → ${res.statusCode} ${res.body.slice(0, 300)}`
        );
      }
      const body = res.json();
      if (!isErrorBody(body)) {
        throw new Error(`${req.method} ${req.url} → body not in the error shape: ${res.body.slice(0, 300)}`);
      }
      if (res.body.length > 8192) {
        throw new Error(`${req.method} ${req.url} → a ${res.body.length}-byte error answer`);
      }
      if (
        /not valid JSON/.test(body.error.message) &&
        /__proto__|constructor|content-encoding/i.test(JSON.stringify(req))
      ) {
        throw new Error(`${req.method} ${req.url} → refused as broken JSON: ${body.error.message}`);
      }
    }),
    { seed: 20261126, numRuns: propertyRuns(600, 5200) }
  );
  // (the catalog's own dry-run creates store nothing and are not launches)
  const creates = t.fake.requests.filter(
    (r) => r.verb === 'create' && r.path.endsWith('/pods') && r.query.dryRun !== 'All'
  );
  assert.deepEqual(creates, [], 'a Pod create was sent');
  assert.equal(flowkubePods(t.fake).length, 0);
  // each kind of refusal was exercised, not just one
  for (const code of [400, 401, 403, 404, 410, 413, 415]) {
    assert.ok((statuses.get(code) ?? 0) > 0, `no ${code} among ${JSON.stringify([...statuses])}`);
  }
  assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  assert.equal((await t.app.inject({ url: '/readyz' })).statusCode, 200);
});
