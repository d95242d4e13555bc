import { job } from '../testing/fixtures';
import { applyToRuns, SCHEDULE_RUNS_SHOWN } from './useScheduleRuns';

describe('applyToRuns', () => {
  const first = job({ id: 'nightly-1-aaaaa', schedule: 'nightly', createdAt: '2026-12-01T01:00:00Z' });
  const runs = [first];

  it("takes the schedule's new and changed runs, newest first, and drops gone ones", () => {
    const second = job({ id: 'nightly-2-bbbbb', schedule: 'nightly', createdAt: '2026-12-02T01:00:00Z' });
    const next = applyToRuns(runs, { items: [{ ...first, phase: 'Succeeded' }, second], removed: [] }, 'nightly');
    expect(next.map((j) => [j.id, j.phase])).toEqual([
      ['nightly-2-bbbbb', 'Pending'],
      ['nightly-1-aaaaa', 'Succeeded'],
    ]);
    expect(applyToRuns(next, { items: [], removed: [first.id] }, 'nightly').map((j) => j.id)).toEqual([second.id]);
  });

  it("leaves the runs as they are for other jobs' changes", () => {
    const other = job({ id: 'hourly-1-ccccc', schedule: 'hourly' });
    expect(applyToRuns(runs, { items: [other, job({ id: 'by-hand' })], removed: ['x'] }, 'nightly')).toBe(runs);
  });

  it('keeps the newest as many as the page shows', () => {
    const many = Array.from({ length: SCHEDULE_RUNS_SHOWN + 1 }, (_, i) =>
      job({ id: `nightly-${i}`, schedule: 'nightly', createdAt: new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString() })
    );
    const next = applyToRuns([], { items: many, removed: [] }, 'nightly');
    expect(next).toHaveLength(SCHEDULE_RUNS_SHOWN);
    expect(next[0].id).toBe(`nightly-${SCHEDULE_RUNS_SHOWN}`);
  });
});
