import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSchedule } from '../../src/schedules/check-schedule.ts';
import { describeSchedule, nextRuns } from '../../src/schedules/next-runs.ts';
import { parseCron } from '../../src/schedules/cron.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

test('a valid schedule and zone pass, with the parsed fields', () => {
  const check = checkSchedule('0 2 * * 1', 'Europe/Berlin', NOW);
  assert.equal(check.ok, true);
});

test('names each refused field: the cron, the zone, or a schedule that never fires', () => {
  const bad = (schedule: string, zone: string) => {
    const check = checkSchedule(schedule, zone, NOW);
    assert.equal(check.ok, false, `${schedule} ${zone}`);
    return check.ok ? [] : check.fields;
  };
  assert.deepEqual(bad('0 0 30 2 *', 'UTC'), [
    { field: 'schedule', message: 'never fires (no date matches it); check the day and month fields' },
  ]);
  assert.equal(bad('0 0 31 4,6,9,11 *', 'UTC')[0]?.field, 'schedule');
  assert.equal(bad('0 0 , * *', 'UTC')[0]?.field, 'schedule');
  assert.deepEqual(
    bad('0 * * * * *', 'Nowhere/Land').map((f) => f.field),
    ['timeZone', 'schedule']
  );
  assert.match(
    bad('0 * * * * *', 'UTC')[0]?.message ?? '',
    /^is not a cron expression Kubernetes accepts: expected exactly 5/
  );
  assert.match(bad('@daily', 'Local')[0]?.message ?? '', /^is not a time zone Kubernetes accepts/);
  // February 29th fires, in leap years only
  assert.equal(checkSchedule('0 0 29 2 *', 'UTC', NOW).ok, true);
});

test('next runs are computed in the schedule zone, across a DST change', () => {
  const runs = nextRuns(parseCron('30 2 * * *'), 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'), 3);
  // 02:30 does not exist on 29 March 2026 in Berlin (clocks jump 02:00 → 03:00)
  assert.equal(runs[0]?.toISOString(), '2026-03-28T01:30:00.000Z');
  assert.equal(runs[2]?.toISOString(), '2026-03-30T00:30:00.000Z');
  const tokyo = nextRuns(parseCron('@daily'), 'Asia/Tokyo', new Date('2026-12-01T00:00:00Z'), 1);
  assert.equal(tokyo[0]?.toISOString(), '2026-12-01T15:00:00.000Z');
  // robfig's OR of day-of-month and day-of-week when both are restricted
  const either = nextRuns(parseCron('0 0 13 * 5'), 'UTC', new Date('2026-12-01T00:00:00Z'), 2);
  assert.deepEqual(
    either.map((d) => d.toISOString()),
    ['2026-12-04T00:00:00.000Z', '2026-12-11T00:00:00.000Z']
  );
});

test('descriptions read the cron in words, descriptors included', () => {
  assert.equal(
    describeSchedule('*/15 9-17 * * mon-fri'),
    'Every 15 minutes, between 09:00 AM and 05:59 PM, Monday through Friday'
  );
  assert.equal(describeSchedule('@weekly'), 'At 12:00 AM, only on Sunday');
});
