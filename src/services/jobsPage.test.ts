import { job as makeJob } from '../testing/fixtures';
import {
  liveCounts,
  sourceFilterLabel,
  withoutSourceFilter,
  hasFilters,
  listQuery,
  matchingTotal,
  pageIsStale,
  pageStateFromQuery,
  queryWithPageState,
  schedulesOf,
  templatesOf,
  withLiveState,
} from './jobsPage';

const jobs = [
  makeJob({ id: 'cpu-load-a', template: 'cpu-load', phase: 'Running' }),
  makeJob({ id: 'log-gen-b', template: 'log-gen', phase: 'Failed', schedule: 'nightly' }),
  makeJob({ id: 'basic-c', template: 'basic', phase: 'Succeeded', schedule: 'hourly' }),
];

describe('the Jobs page state in the URL', () => {
  it('reads filters, sort, order and page size, with defaults for missing or bad values', () => {
    expect(pageStateFromQuery(new URLSearchParams())).toEqual({
      filters: { template: undefined, phase: undefined, schedule: undefined, text: '' },
      sort: 'created',
      order: 'desc',
      pageSize: 25,
    });
    const state = pageStateFromQuery(
      new URLSearchParams('template=basic&phase=Failed&schedule=nightly&q=bob&sort=duration&order=asc&size=100')
    );
    expect(state).toEqual({
      filters: { template: 'basic', phase: 'Failed', schedule: 'nightly', text: 'bob' },
      sort: 'duration',
      order: 'asc',
      pageSize: 100,
    });
    const bad = pageStateFromQuery(new URLSearchParams('phase=Nope&sort=id&order=up&size=7'));
    expect([bad.filters.phase, bad.sort, bad.order, bad.pageSize]).toEqual([undefined, 'created', 'desc', 25]);
  });

  it("reads a launcher panel's filter (dashboard and panel), writes it back and asks the proxy for it", () => {
    const state = pageStateFromQuery(new URLSearchParams('dashboard=runbook-1&panel=4'));
    expect([state.filters.dashboard, state.filters.panel]).toEqual(['runbook-1', 4]);
    expect(queryWithPageState(new URLSearchParams(), state).toString()).toBe('dashboard=runbook-1&panel=4');
    expect(listQuery(state)).toMatchObject({ dashboard: 'runbook-1', panel: 4 });
    expect(hasFilters(state.filters)).toBe(true);
    for (const bad of ['panel=4', 'dashboard=run%20book&panel=4', 'dashboard=runbook-1&panel=x']) {
      const read = pageStateFromQuery(new URLSearchParams(bad));
      expect(read.filters.panel).toBeUndefined();
    }
    expect(pageStateFromQuery(new URLSearchParams('dashboard=run%20book')).filters.dashboard).toBeUndefined();
  });

  it('writes it back without defaults and keeps other keys', () => {
    const query = new URLSearchParams('from=now-1h&q=old');
    const state = pageStateFromQuery(new URLSearchParams('phase=Running&size=50'));
    expect(queryWithPageState(query, state).toString()).toBe('from=now-1h&phase=Running&size=50');
    const round = pageStateFromQuery(queryWithPageState(query, { ...state, sort: 'phase', order: 'asc' }));
    expect([round.sort, round.order, round.pageSize]).toEqual(['phase', 'asc', 50]);
  });
});

describe('listQuery', () => {
  it('asks the proxy for one page with the filters, trimmed search and the cursor', () => {
    const state = pageStateFromQuery(new URLSearchParams('template=basic&q=%20bob%20&schedule=nightly&size=50'));
    expect(listQuery(state, 'cursor-2')).toEqual({
      template: 'basic',
      phase: undefined,
      schedule: 'nightly',
      q: 'bob',
      sort: 'created',
      order: 'desc',
      limit: 50,
      continue: 'cursor-2',
    });
    expect(listQuery(pageStateFromQuery(new URLSearchParams('q=%20'))).q).toBeUndefined();
  });
});

describe('live changes and the page', () => {
  it('counts the matching jobs for all phases or one', () => {
    expect(matchingTotal({ Running: 2, Failed: 3 })).toBe(5);
    expect(matchingTotal({ Running: 2, Failed: 3 }, 'Failed')).toBe(3);
    expect(matchingTotal({ Running: 2 }, 'Pending')).toBe(0);
  });

  it('shows each row in the live state that changed after the page was asked, never an older one', () => {
    const baseline = [jobs[0], { ...jobs[1], phase: 'Running' as const }, jobs[2]];
    const cancelled = { ...jobs[1], phase: 'Cancelled' as const };
    // jobs[0]'s live copy is the one the page was read against: the page's row (here marked) wins
    const page = [{ ...jobs[0], reason: 'from the page' }, jobs[1], jobs[2]];
    const rows = withLiveState(page, baseline, [jobs[0], cancelled, jobs[2]]);
    expect(rows.map((j) => j.phase)).toEqual(['Running', 'Cancelled', 'Succeeded']);
    expect(rows[0].reason).toBe('from the page');
  });

  it('asks again when a job came, went or changed phase, not for other changes', () => {
    const started = jobs.map((j) => (j.id === 'cpu-load-a' ? { ...j, startedAt: '2026-11-26T22:00:05Z' } : j));
    expect(pageIsStale(jobs, started)).toBe(false);
    expect(pageIsStale(jobs, [...jobs, makeJob({ id: 'new' })])).toBe(true);
    expect(pageIsStale(jobs, jobs.slice(1))).toBe(true);
    expect(pageIsStale(jobs, [jobs[0], jobs[1], makeJob({ id: 'other' })])).toBe(true);
    expect(
      pageIsStale(
        jobs,
        jobs.map((j) => ({ ...j, phase: 'Succeeded' as const }))
      )
    ).toBe(true);
  });

  it('offers each template and schedule once, sorted', () => {
    expect(templatesOf([...jobs, makeJob({ id: 'x', template: 'basic' })])).toEqual(['basic', 'cpu-load', 'log-gen']);
    expect(schedulesOf(jobs)).toEqual(['hourly', 'nightly']);
  });
});

describe('counts that follow live changes', () => {
  const filters = { template: 'basic', text: '' };
  const pending = makeJob({ id: 'basic-ppppp', phase: 'Pending' });
  const running = makeJob({ id: 'basic-rrrrr', phase: 'Running' });
  const other = makeJob({ id: 'cpu-load-ooooo', template: 'cpu-load', phase: 'Running' });
  const baseline = [pending, running, other];
  const counts = { Pending: 1, Running: 1 };

  it('moves a job of the filter from its old phase to its new one, and leaves other jobs out', () => {
    const live = [
      { ...pending, phase: 'Running' as const },
      { ...running, phase: 'Succeeded' as const },
      { ...other, phase: 'Failed' as const },
    ];
    expect(liveCounts(counts, baseline, live, [], filters)).toEqual({ Pending: 0, Running: 1, Succeeded: 1 });
  });

  it('leaves jobs that came or went, other changes and phases the page answered already to the next answer', () => {
    const came = makeJob({ id: 'basic-nnnnn', phase: 'Pending' });
    expect(liveCounts(counts, baseline, [came, pending, other], [], filters)).toEqual(counts);
    expect(liveCounts(counts, baseline, [{ ...pending, startedAt: '2026-11-26T22:00:03Z' }], [], filters)).toEqual(
      counts
    );
    const moved = { ...pending, phase: 'Running' as const };
    expect(liveCounts({ Running: 2 }, baseline, [moved], [moved], filters)).toEqual({ Running: 2 });
  });

  it('applies the search and panel filters as the proxy does', () => {
    const fromPanel = makeJob({
      id: 'basic-sssss',
      source: { dashboardUid: 'ops', panelId: 2 },
      params: { msg: 'Hello' },
    });
    const moved = [{ ...fromPanel, phase: 'Running' as const }];
    const panel = { text: 'hell', dashboard: 'ops', panel: 2 };
    expect(liveCounts({ Pending: 1 }, [fromPanel], moved, [], panel)).toEqual({ Pending: 0, Running: 1 });
    expect(liveCounts({}, [fromPanel], moved, [], { text: 'nope' })).toEqual({});
    expect(liveCounts({}, [fromPanel], moved, [], { text: '', dashboard: 'ops', panel: 3 })).toEqual({});
  });
});

describe('the launcher panel filter chip', () => {
  const titled = makeJob({ source: { dashboardUid: 'ops', panelId: 2, title: 'Ops / Reindex' } });

  it('reads the panel title from a job of that panel, else the id, and a dashboard alone by its UID', () => {
    expect(sourceFilterLabel({ text: '', dashboard: 'ops', panel: 2 }, [titled])).toBe(
      'From panel Ops / Reindex on dashboard ops'
    );
    expect(sourceFilterLabel({ text: '', dashboard: 'ops', panel: 3 }, [titled])).toBe('From panel 3 on dashboard ops');
    expect(sourceFilterLabel({ text: '', dashboard: 'ops' }, [titled])).toBe('From dashboard ops');
    expect(sourceFilterLabel({ text: '' }, [titled])).toBeUndefined();
  });

  it('is removed alone, every other filter kept', () => {
    expect(withoutSourceFilter({ text: 'x', template: 'basic', dashboard: 'ops', panel: 2 })).toEqual({
      text: 'x',
      template: 'basic',
      dashboard: undefined,
      panel: undefined,
    });
  });
});
