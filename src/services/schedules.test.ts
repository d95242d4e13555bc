import type { Schedule } from '../api/types';
import { schedule as fixtureSchedule } from '../testing/fixtures';
import { nextRunDisplay, previewCron } from './schedules';

const NOW = new Date('2026-12-01T12:00:00Z');

// The fixture's 02:00 in Berlin (CET, UTC+1) is 01:00 UTC.
const schedule = (overrides: Partial<Schedule> = {}) =>
  fixtureSchedule({ timeZone: 'Europe/Berlin', nextRunAt: '2026-12-02T01:00:00Z', ...overrides });

describe('previewCron', () => {
  it('describes a valid cron and gives its next three runs in the schedule’s zone', () => {
    const preview = previewCron('0 2 * * *', 'Europe/Berlin', NOW);
    expect(preview.errors).toEqual({});
    expect(preview.description).toBe('At 02:00 AM');
    // 02:00 in Berlin (CET, UTC+1) is 01:00 UTC
    expect(preview.next.map((d) => d.toISOString())).toEqual([
      '2026-12-02T01:00:00.000Z',
      '2026-12-03T01:00:00.000Z',
      '2026-12-04T01:00:00.000Z',
    ]);
  });

  it('expands descriptors as Kubernetes does', () => {
    expect(previewCron('@hourly', 'UTC', NOW).next[0]?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
  });

  // The contract's own tests (pkg-backend-proxy/test/schedules) cover every refusal; here, that each lands under
  // its field, named, with no preview of runs that would not happen.
  it('puts a refused cron and a refused zone under their fields, in the proxy’s words', () => {
    const cron = previewCron('0 0 30 2 *', 'UTC', NOW);
    expect(cron.errors).toEqual({ schedule: expect.stringMatching(/^Cron never fires/) });
    expect(cron.next).toEqual([]);
    expect(cron.description).toBeUndefined();
    expect(previewCron('0 2 * * *', 'Mars/Olympus', NOW).errors).toEqual({
      timeZone: expect.stringMatching(/^Time zone is not a time zone Kubernetes/),
    });
  });
});

describe('nextRunDisplay', () => {
  it('shows the run in the viewer’s zone and in the schedule’s zone', () => {
    const shown = nextRunDisplay(schedule(), 'America/New_York');
    // 01:00 UTC is 20:00 the evening before in New York
    expect(shown.local).toBe('Tue, 1 Dec 2026, 20:00 GMT-5');
    expect(shown.inZone).toMatch(/Wed, 2 Dec 2026, 02:00 CET/);
  });

  it('says it once when both zones are the same', () => {
    expect(nextRunDisplay(schedule(), 'Europe/Berlin')).toEqual({ local: 'Wed, 2 Dec 2026, 02:00 CET' });
  });

  it('says Suspended rather than a time that will not happen', () => {
    expect(nextRunDisplay(schedule({ suspend: true }), 'UTC')).toEqual({ local: 'Suspended' });
  });
});
