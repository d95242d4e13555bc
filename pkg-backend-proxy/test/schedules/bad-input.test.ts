import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { build, type Built, launch } from '../helper.ts';
import { propertyRuns } from '../support/property-runs.ts';

const valid = { template: 'basic', params: { message: 'hi', sleepSeconds: 1 }, schedule: '0 2 * * *', timeZone: 'UTC' };

/** Cron expressions Kubernetes refuses, or that never fire: each is one mutation of a valid one. */
const badCron = fc.oneof(
  // a seconds field, or a field short
  fc.constantFrom('0 0 2 * * *', '0 2 * *', '*', '', '   '),
  fc.constantFrom('TZ=UTC 0 2 * * *', 'CRON_TZ=Europe/Berlin 0 2 * * *', '@every 5m', '@reboot', '@Daily', 'daily'),
  // a value out of its field's range
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('60', '24', '32', '13', '7', '-1', '99999999999'))
    .map(([i, v]) => {
      const fields = ['0', '2', '*', '*', '*'];
      const bounds = [60, 24, 32, 13, 7];
      fields[i] = v === '99999999999' ? v : String(Math.max(Number(v), bounds[i]!));
      return fields.join(' ');
    }),
  // bad syntax in one field
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('1-2-3', '*/0', '*/2/2', 'L', '5#2', 'x', '5-1', '?/x', 'W'))
    .map(([i, v]) => {
      const fields = ['0', '2', '*', '*', '*'];
      fields[i] = v;
      return fields.join(' ');
    }),
  // dates that never come
  fc.constantFrom('0 0 30 2 *', '0 0 31 2 *', '0 0 31 4 *', '0 0 31 6,9,11 *', '0 0 30,31 2 *', '0 0 , * *')
);

const badZone = fc.constantFrom(
  'Mars/Base',
  'Local',
  'local',
  'europe/berlin',
  '+01:00',
  '../../etc/passwd',
  'UTC ',
  'Europe//Paris',
  'x'.repeat(70),
  ''
);

interface BadRequest {
  body: object;
  headers?: Record<string, string>;
}

const badBody: fc.Arbitrary<BadRequest> = fc.oneof(
  badCron.map((schedule) => ({ body: { ...valid, schedule } })),
  badZone.map((timeZone) => ({ body: { ...valid, timeZone } })),
  fc
    .constantFrom('nope', 'Basic', '', 'a'.repeat(41), '-x', 'cpu_load')
    .map((template) => ({ body: { ...valid, template } })),
  fc
    .oneof(
      fc.record({ sleepSeconds: fc.oneof(fc.integer({ min: 3601 }), fc.integer({ max: -1 }), fc.string()) }),
      fc.record({ message: fc.oneof(fc.integer(), fc.string({ minLength: 257, maxLength: 300 })) }),
      fc.dictionary(fc.constantFrom('bogus', 'command', 'image'), fc.string(), { minKeys: 1 })
    )
    .map((params) => ({ body: { ...valid, params } })),
  fc
    .constantFrom('Never', 'forbid', '', 'Always')
    .map((concurrencyPolicy) => ({ body: { ...valid, concurrencyPolicy } })),
  fc
    .constantFrom<[string, unknown]>(
      ['suspend', 'yes'],
      ['schedule', 5],
      ['timeZone', null],
      ['params', []],
      ['extra', 1]
    )
    .map(([k, v]) => ({ body: { ...valid, [k]: v } })),
  fc.constantFrom('short', 'has space here', 'é-not-ascii-key', 'x'.repeat(129)).map((key) => ({
    body: valid,
    headers: { 'idempotency-key': key },
  }))
);

let built: Built;
before(async () => {
  built = await build();
});
after(() => built.close());

test('generated bad schedule requests (1,000 with FLOWKUBE_PROPERTY_RUNS=full): every one is a 4xx naming a field, and no CronJob is created', async () => {
  const { app, fake } = built;
  fake.resetRequests();
  const seen = new Set<number>();
  await fc.assert(
    fc.asyncProperty(badBody, async ({ body, headers }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/schedules',
        headers: { ...launch, ...(headers ?? {}) },
        payload: body,
      });
      seen.add(res.statusCode);
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${res.statusCode} for ${JSON.stringify(body)}: ${res.body}`
      );
      const error = res.json().error;
      assert.ok(error.details?.fields?.length > 0, `a field named for ${JSON.stringify(body)}: ${res.body}`);
    }),
    { numRuns: propertyRuns(250, 1000) }
  );
  assert.deepEqual([...seen], [400]);
  assert.equal(fake.cronJobs().length, 0);
  assert.equal(
    fake.requests.filter((r) => r.path.startsWith('/apis/batch/') && r.method !== 'GET').length,
    0,
    'no CronJob or Job call'
  );
});
