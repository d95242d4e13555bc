import type { Schedule } from '../api/types';
import { nextRunDisplay, previewCron } from './schedules';

const NOW = new Date('2026-12-01T12:00:00Z');

function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 'basic-nightly',
    template: 'basic',
    params: {},
    schedule: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    description: 'At 02:00 AM',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    createdBy: 'alice',
    createdAt: '2026-12-01T10:00:00Z',
    nextRunAt: '2026-12-02T01:00:00Z',
    active: [],
    ...overrides,
  };
}

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

  it.each([
    ['0 2 * *', /expected exactly 5 fields/],
    ['*/5 * * * * *', /expected exactly 5 fields, found 6/],
    ['TZ=UTC 0 2 * * *', /use timeZone field instead/],
    ['61 * * * *', /above maximum/],
    ['@every 5m', /@every intervals are not supported/],
    ['0 0 30 2 *', /never fires/],
  ])('refuses %s inline, in the proxy’s words', (cron, message) => {
    const preview = previewCron(cron, 'UTC', NOW);
    expect(preview.errors.schedule).toMatch(message);
    expect(preview.next).toEqual([]);
    expect(preview.description).toBeUndefined();
  });

  it.each(['Mars/Olympus', 'Local', 'europe/berlin', '+0100'])('refuses the time zone %s', (zone) => {
    expect(previewCron('0 2 * * *', zone, NOW).errors.timeZone).toMatch(/^Time zone is not a time zone Kubernetes/);
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
