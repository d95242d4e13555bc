import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CronError, cronerPattern, parseCron } from '../../src/schedules/cron.ts';
import { nextRuns } from '../../src/schedules/next-runs.ts';

const error = (spec: string): string => {
  try {
    parseCron(spec);
  } catch (err) {
    assert.ok(err instanceof CronError);
    return err.message;
  }
  throw new Error(`${JSON.stringify(spec)} was accepted`);
};

test('accepts the five-field forms and descriptors of the standard parser', () => {
  const accepted: Array<[string, string]> = [
    ['* * * * *', '* * * * *'],
    ['*/15 9-17 * * mon-fri', '0,15,30,45 9,10,11,12,13,14,15,16,17 * * 1,2,3,4,5'],
    ['0 0 1 JAN,jul ?', '0 0 1 1,7 *'],
    // "N/step" runs from N to the field's maximum
    ['5/20 * * * *', '5,25,45 * * * *'],
    // a step above 1 clears the star: day-of-month and day-of-week then combine with OR
    ['0 0 */10 * 1', '0 0 1,11,21,31 * 1'],
    ['0 0 */1 * 1', '0 0 * * 1'],
    // empty list items are skipped (strings.FieldsFunc), any white space separates
    ['1,,2 \t 3\n* * *', '1,2 3 * * *'],
    ['+5 * * * *', '5 * * * *'],
    ['@yearly', '0 0 1 1 *'],
    ['@annually', '0 0 1 1 *'],
    ['@monthly', '0 0 1 * *'],
    ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'],
    ['@midnight', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
  ];
  for (const [spec, pattern] of accepted) {
    assert.equal(cronerPattern(parseCron(spec)), pattern, spec);
  }
});

test("refuses what Kubernetes refuses, in robfig's words", () => {
  const refused: Array<[string, string]> = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 * * * * *', 'expected exactly 5 fields, found 6: [0 * * * * *]'],
    ['TZ=UTC 0 * * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['CRON_TZ=Europe/Berlin 0 * * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* * * * monday', 'failed to parse int from monday: strconv.Atoi: parsing "monday": invalid syntax'],
    ['L * * * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@daily ', 'unrecognized descriptor: @daily '],
  ];
  for (const [spec, message] of refused) {
    assert.equal(error(spec), message, spec);
  }
  assert.match(error('@every 5m'), /@every intervals are not supported/);
});

test('every accepted expression yields values within each field and a pattern croner reads', () => {
  const part = fc.oneof(
    fc.constantFrom('*', '?', '*/2', '1-5', '0', '7', '59', '1-31/3', 'mon', 'jan-mar', '1,2', '60', '-1', ''),
    fc.integer({ min: -2, max: 70 }).map(String)
  );
  const bounds = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  fc.assert(
    fc.property(fc.array(part, { minLength: 3, maxLength: 7 }), (fields) => {
      const spec = fields.join(' ');
      let parsed;
      try {
        parsed = parseCron(spec);
      } catch (err) {
        return err instanceof CronError;
      }
      const all = [parsed.minute, parsed.hour, parsed.dayOfMonth, parsed.month, parsed.dayOfWeek];
      const inBounds = all.every((f, i) => f.values.every((v) => v >= bounds[i]![0]! && v <= bounds[i]![1]!));
      // croner takes the translated pattern (it throws on one it cannot read)
      nextRuns(parsed, 'UTC', new Date('2026-12-01T00:00:00Z'), 1);
      return inBounds;
    }),
    { numRuns: 2000 }
  );
});
