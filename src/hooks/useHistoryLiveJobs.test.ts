import { jobEvents, rejectedEvent } from '../testing/auditEvents';
import { job } from '../testing/fixtures';
import { applyToLive, jobsToRead } from './useHistoryLiveJobs';

describe('the live state of the history', () => {
  const ended = jobEvents({ id: 'log-gen-ended' });
  const open = jobEvents({ id: 'basic-open1' });
  const purged = jobEvents({ id: 'basic-purged' });
  const events = [
    ended.launched,
    ended.finished({ phase: 'Succeeded' }),
    open.launched,
    open.started(),
    purged.launched,
    purged.cancelled('erin'),
    purged.purged('erin'),
    rejectedEvent(),
  ];

  it('reads only the jobs whose end is not recorded, and follows every job of the events', () => {
    const { all, open: toRead } = jobsToRead(events);
    expect(toRead).toEqual(['basic-open1']);
    expect([...all].sort()).toEqual(['basic-open1', 'basic-purged', 'log-gen-ended']);
  });

  it("applies the loop's changes of the history's jobs only, and drops the gone ones", () => {
    const ids = new Set(['basic-open1', 'log-gen-ended']);
    const live = [job({ id: 'basic-open1', phase: 'Running' })];
    const next = applyToLive(live, { items: [job({ id: 'basic-open1', phase: 'Succeeded' })], removed: [] }, ids);
    expect(next.map((j) => j.phase)).toEqual(['Succeeded']);
    expect(applyToLive(live, { items: [job({ id: 'elsewhere' })], removed: ['nope'] }, ids)).toBe(live);
    expect(applyToLive(live, { items: [], removed: ['basic-open1'] }, ids)).toEqual([]);
  });
});
