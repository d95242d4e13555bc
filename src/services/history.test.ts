import { jobEvents, rejectedEvent } from '../testing/auditEvents';
import { job } from '../testing/fixtures';
import {
  choicesOf,
  dedupeEvents,
  describeEvent,
  filterHistory,
  foldJob,
  historyEntries,
  historyFiltersFromQuery,
  queryWithHistoryFilters,
} from './history';

const failure = { reason: 'Error', message: 'Task 3 failed', exitCode: 1, lastLogLines: ['ERROR task 3 failed'] };

describe('dedupeEvents', () => {
  it('keeps one of each eventId that two replicas (or a restart) wrote, oldest first', () => {
    const e = jobEvents();
    const finished = e.finished({ phase: 'Failed', exitCode: 1 });
    const events = dedupeEvents([finished, e.started(), e.launched, finished, e.started(), e.launched]);
    expect(events.map((x) => x.eventId)).toEqual([
      'log-gen-abcde:launched',
      'log-gen-abcde:started',
      'log-gen-abcde:finished',
    ]);
  });

  it('orders events of the same instant by transition: cancelled before finished', () => {
    const e = jobEvents();
    const at = '2026-11-26T22:00:05Z';
    const events = dedupeEvents([e.finished({ phase: 'Cancelled' }, at), e.cancelled('bob', at)]);
    expect(events.map((x) => x.event)).toEqual(['cancelled', 'finished']);
  });
});

/** What every event of jobEvents() carries from the launch. */
const launchedAs = {
  id: 'log-gen-abcde',
  template: 'log-gen',
  params: { tasks: 3, fail: true },
  launchedBy: 'carol',
  schedule: null,
  source: null,
};

describe('foldJob', () => {
  it('folds a failed job into its last recorded state, whatever order the events come in', () => {
    const e = jobEvents();
    const events = [e.finished({ phase: 'Failed', exitCode: 1, durationSeconds: 7, failure }), e.launched, e.started()];
    const expected = {
      ...launchedAs,
      phase: 'Failed',
      createdAt: '2026-11-26T22:00:00Z',
      startedAt: '2026-11-26T22:00:02Z',
      finishedAt: '2026-11-26T22:00:09Z',
      exitCode: 1,
      durationSeconds: 7,
      failure,
      reason: 'Error',
    };
    expect(foldJob('log-gen-abcde', events)).toEqual(expected);
    expect(foldJob('log-gen-abcde', [...events].reverse())).toEqual(expected);
  });

  it('leaves a job with only `launched` Pending, with what the launch recorded', () => {
    expect(foldJob('log-gen-abcde', [jobEvents().launched])).toEqual({
      ...launchedAs,
      phase: 'Pending',
      createdAt: '2026-11-26T22:00:00Z',
    });
  });

  it('shows a started job that never recorded an end as Running', () => {
    const e = jobEvents();
    expect(foldJob('log-gen-abcde', [e.launched, e.started()]).phase).toBe('Running');
  });

  it('names who cancelled, and shows a cancel whose end is not recorded yet as Cancelled', () => {
    const e = jobEvents();
    const unfinished = foldJob('log-gen-abcde', [e.launched, e.started(), e.cancelled('bob')]);
    expect(unfinished).toMatchObject({ phase: 'Cancelled', cancelledBy: 'bob', cancelledAt: '2026-11-26T22:00:05Z' });
    expect(unfinished.finishedAt).toBeUndefined();

    const cancelFailure = { reason: 'Cancelled', message: 'Cancelled by bob', lastLogLines: [] };
    const ended = foldJob('log-gen-abcde', [
      e.launched,
      e.cancelled('bob'),
      e.finished({ phase: 'Cancelled', failure: cancelFailure }, '2026-11-26T22:00:06Z'),
    ]);
    expect(ended).toMatchObject({ phase: 'Cancelled', cancelledBy: 'bob', finishedAt: '2026-11-26T22:00:06Z' });
    expect(ended.failure).toEqual(cancelFailure);
    expect(ended.startedAt).toBeUndefined();
  });

  it('still knows the job when its launch fell outside the range', () => {
    const e = jobEvents();
    const folded = foldJob('log-gen-abcde', [e.finished({ phase: 'Succeeded', exitCode: 0 })]);
    expect(folded).toMatchObject({ phase: 'Succeeded', template: 'log-gen', createdAt: '2026-11-26T22:00:00Z' });
  });
});

describe('historyEntries', () => {
  it('makes one entry per job and one per rejected launch, newest first, without schedule events', () => {
    const a = jobEvents();
    const b = jobEvents({
      id: 'basic-zzzzz',
      template: 'basic',
      launchedBy: 'erin',
      createdAt: '2026-11-26T23:00:00Z',
    });
    const rejected = rejectedEvent();
    const schedule = { ...a.launched, eventId: 'nightly:schedule_created', event: 'schedule_created' as const };
    const entries = historyEntries([a.launched, b.launched, a.launched, rejected, schedule, b.started()]);
    expect(entries.map((x) => [x.key, x.outcome, x.launchedBy])).toEqual([
      ['basic-zzzzz', 'Running', 'erin'],
      ['log-gen-abcde', 'Pending', 'carol'],
      [rejected.eventId, 'Rejected', 'dave'],
    ]);
    expect(entries[1].events).toHaveLength(1);
    expect(entries[2]).toMatchObject({
      template: 'cpu-load',
      params: { seconds: 99999 },
      time: '2026-11-26T21:30:00Z',
      rejection: { reason: 'invalid', status: 400, message: 'params.seconds must be <= 3600' },
    });
    expect(entries[2].job).toBeUndefined();
  });

  it('keeps two rejected launches apart: their ids are random, never duplicates', () => {
    const entries = historyEntries([rejectedEvent(), rejectedEvent({ eventId: 'rejected:other' })]);
    expect(entries).toHaveLength(2);
  });

  it('shows a job the proxy still has in its live state, and says it is live', () => {
    const e = jobEvents();
    const live = job({ id: 'log-gen-abcde', template: 'log-gen', phase: 'Succeeded', launchedBy: 'carol' });
    const [entry] = historyEntries([e.launched, e.started()], [live]);
    expect(entry).toMatchObject({ outcome: 'Succeeded', live: true });
    expect(entry.job).toBe(live);
    expect(historyEntries([e.launched], [])[0].live).toBe(false);
  });

  it('records who purged a job, keeping how it ended', () => {
    const e = jobEvents();
    const [entry] = historyEntries([e.launched, e.finished({ phase: 'Succeeded' }), e.purged('admin')]);
    expect(entry.outcome).toBe('Succeeded');
    expect(entry.purged).toEqual({ at: '2026-11-26T23:00:00Z', by: 'admin' });
  });
});

describe('filterHistory', () => {
  const a = jobEvents();
  const b = jobEvents({ id: 'basic-zzzzz', template: 'basic', launchedBy: 'erin' });
  const entries = historyEntries([a.launched, a.finished({ phase: 'Failed' }), b.launched, rejectedEvent()]);

  it('filters by template, user and outcome, together', () => {
    const keys = (f: Parameters<typeof filterHistory>[1]) => filterHistory(entries, f).map((e) => e.key);
    expect(keys({ template: 'basic' })).toEqual(['basic-zzzzz']);
    expect(keys({ user: 'carol' })).toEqual(['log-gen-abcde']);
    expect(keys({ outcome: 'Rejected' })).toEqual([rejectedEvent().eventId]);
    expect(keys({ outcome: 'Failed', user: 'erin' })).toEqual([]);
    expect(keys({})).toHaveLength(3);
  });

  it('offers the templates and users on screen as choices', () => {
    expect(choicesOf(entries, 'template')).toEqual(['basic', 'cpu-load', 'log-gen']);
    expect(choicesOf(entries, 'launchedBy')).toEqual(['carol', 'dave', 'erin']);
  });
});

describe('describeEvent', () => {
  it('says what each transition was, marking a failure and a cancel', () => {
    const e = jobEvents();
    const said = [
      e.launched,
      e.started(),
      e.cancelled('bob'),
      e.finished({ phase: 'Failed', exitCode: 1, failure }),
      e.finished({ phase: 'Succeeded', exitCode: 0 }),
      e.purged('admin'),
      rejectedEvent(),
    ].map(describeEvent);
    expect(said).toEqual([
      { label: 'Launched by carol', state: 'done' },
      { label: 'Started', state: 'done' },
      { label: 'Cancelled by bob', state: 'cancelled' },
      { label: 'Failed: Error (exit 1)', state: 'failed' },
      { label: 'Succeeded', state: 'done' },
      { label: 'Record purged by admin', state: 'done' },
      { label: 'Launch refused (invalid)', state: 'failed' },
    ]);
    expect(describeEvent(jobEvents({ schedule: 'nightly' }).launched).label).toBe('Launched by schedule nightly');
  });
});

describe('history filters in the URL', () => {
  it('reads and writes template, user and outcome, keeping the time range and refusing unknown outcomes', () => {
    const query = new URLSearchParams('from=now-7d&to=now&outcome=Rejected&user=carol');
    expect(historyFiltersFromQuery(query)).toEqual({ template: undefined, user: 'carol', outcome: 'Rejected' });
    expect(historyFiltersFromQuery(new URLSearchParams('outcome=Exploded')).outcome).toBeUndefined();
    const next = queryWithHistoryFilters(query, { template: 'basic', outcome: 'Failed' });
    expect(next.toString()).toBe('from=now-7d&to=now&outcome=Failed&template=basic');
  });
});
