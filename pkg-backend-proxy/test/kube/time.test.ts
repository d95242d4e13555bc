import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoTime, parseTime } from '../../src/kube/time.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Times in both fast forms, each field from a little below its range to a little above, so the edges are hit. */
const nearlyTimes = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    ms: fc.option(fc.integer({ min: 0, max: 999 })),
    t: fc.constantFrom('T', 't', ' '),
    z: fc.constantFrom('Z', 'z', '+00:00', ''),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.t}${pad(f.hour, 2)}:${pad(f.minute, 2)}:` +
      `${pad(f.second, 2)}${f.ms === null ? '' : `.${pad(f.ms, 3)}`}${f.z}`
  );

/** What both stand for: Date.parse, and toISOString of the Date (undefined where that throws). */
function same(text: string): boolean {
  const date = new Date(text);
  const iso = Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  return Object.is(parseTime(text), Date.parse(text)) && isoTime(text) === iso;
}

test('parseTime is Date.parse and isoTime toISOString: for either fast form, near misses and any other text', () => {
  fc.assert(fc.property(nearlyTimes, same), { numRuns: 20_000 });
  // one character of a real time replaced by anything
  const real = '2026-12-02T17:13:31.250Z';
  fc.assert(
    fc.property(fc.nat(real.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, c) =>
      same(real.slice(0, at) + c + real.slice(at + 1))
    ),
    { numRuns: 5_000 }
  );
  fc.assert(fc.property(fc.string({ maxLength: 30 }), same), { numRuns: 5_000 });
  const edges = ['2026-02-30T00:00:00Z', '2024-02-29T23:59:59Z', '2100-02-29T00:00:00Z', '2000-02-29T00:00:00.999Z'];
  for (const text of [...edges, '2026-04-31T00:00:00Z', '2026-12-02T24:00:00Z', '0099-01-01T00:00:00Z']) {
    assert.ok(same(text), text);
  }
  assert.equal(parseTime('2026-12-02T17:13:31Z'), Date.UTC(2026, 11, 2, 17, 13, 31));
  assert.equal(isoTime('2026-12-02T17:13:31Z'), '2026-12-02T17:13:31.000Z');
  assert.equal(isoTime('2026-02-30T17:13:31Z'), '2026-03-02T17:13:31.000Z');
});
