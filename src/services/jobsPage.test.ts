import type { Job } from '../api/types';
import { job as makeJob } from '../testing/fixtures';
import {
  applyToPage,
  sourceFilterLabel,
  withoutSourceFilter,
  hasFilters,
  listQuery,
  matchingTotal,
  pageStateFromQuery,
  queryWithPageState,
} from './jobsPage';

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
    expect(pageStateFromQuery(new URLSearchParams('phase=Active')).filters.phase).toBeUndefined();
  });

  it('reads the Active filter the Launch cards link to, writes it back and asks the proxy for it', () => {
    const state = pageStateFromQuery(new URLSearchParams('template=train&phase=active'));
    expect(state.filters).toMatchObject({ template: 'train', phase: 'active' });
    expect(queryWithPageState(new URLSearchParams(), state).toString()).toBe('template=train&phase=active');
    expect(listQuery(state)).toMatchObject({ template: 'train', phase: 'active' });
    expect(hasFilters({ text: '', phase: 'active' })).toBe(true);
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
  it('counts the matching jobs for all phases, one, or the active ones as the proxy counted them', () => {
    const counts = { Running: 2, Failed: 3 };
    expect(matchingTotal({ counts })).toBe(5);
    expect(matchingTotal({ counts }, 'Failed')).toBe(3);
    expect(matchingTotal({ counts: { Running: 2 } }, 'Pending')).toBe(0);
    // one of the two Running jobs is being cancelled: only the proxy's active count knows
    expect(matchingTotal({ counts, activeCount: 1 }, 'active')).toBe(1);
    expect(matchingTotal({ counts, activeCount: 1 })).toBe(5);
    // not answered: no count rather than Pending + Running, which may be wrong
    expect(matchingTotal({ counts }, 'active')).toBeUndefined();
  });
});

describe('live changes applied to a page', () => {
  const filters = { template: 'basic', text: '' };
  const pending = makeJob({ id: 'basic-ppppp', phase: 'Pending' });
  const running = makeJob({ id: 'basic-rrrrr', phase: 'Running' });
  const page = { items: [pending, running], counts: { Pending: 1, Running: 1, Succeeded: 5 } };
  const changes = (items: Job[], removed: string[] = []) => ({ items, removed });

  it('puts a row in its new state without asking again when its phase stayed', () => {
    const started = { ...pending, startedAt: '2026-11-26T22:00:05Z' };
    const { value, stale } = applyToPage(page, changes([started]), filters);
    expect(value.items).toEqual([started, running]);
    expect(value.counts).toEqual(page.counts);
    expect(stale).toBe(false);
  });

  it('moves a row of the filter from its old phase count to its new one at once, and asks again', () => {
    const { value, stale } = applyToPage(page, changes([{ ...running, phase: 'Succeeded' }]), filters);
    expect(value.items.map((j) => j.phase)).toEqual(['Pending', 'Succeeded']);
    expect(value.counts).toEqual({ Pending: 1, Running: 0, Succeeded: 6 });
    expect(stale).toBe(true);
  });

  it('asks again for a job of the filter that came or changed off the page, or any that went', () => {
    const came = makeJob({ id: 'basic-nnnnn', phase: 'Pending' });
    expect(applyToPage(page, changes([came]), filters)).toEqual({ value: page, stale: true });
    expect(applyToPage(page, changes([], ['basic-old00']), filters).stale).toBe(true);
  });

  it("costs nothing for a change of another template's job, but a search may find any job", () => {
    const other = makeJob({ id: 'cpu-load-ooooo', template: 'cpu-load', phase: 'Failed' });
    expect(applyToPage(page, changes([other]), filters)).toEqual({ value: page, stale: false });
    expect(applyToPage(page, changes([other]), { template: 'basic', text: 'oom' }).stale).toBe(true);
  });

  describe('with the Active filter', () => {
    const active = { template: 'basic', phase: 'active' as const, text: '' };
    const list = { ...page, activeCount: 2 };
    const cancelled = { ...running, cancelledAt: '2026-11-26T22:01:00Z', cancelledBy: 'alice' };

    it('takes a row being cancelled out of it before its phase moves: one fewer active, and asks again', () => {
      const { value, stale } = applyToPage(list, changes([cancelled]), active);
      expect(value.items[1]).toEqual(cancelled);
      expect(value.counts).toEqual(page.counts);
      expect(value.activeCount).toBe(1);
      expect(stale).toBe(true);
    });

    it('keeps a row that goes Pending → Running in it, and the active count as it was', () => {
      const started = { ...pending, phase: 'Running' as const, startedAt: '2026-11-26T22:00:05Z' };
      const { value } = applyToPage(list, changes([started]), active);
      expect(value.activeCount).toBe(2);
      expect(value.counts).toEqual({ Pending: 0, Running: 2, Succeeded: 5 });
      // a change that moves neither its phase nor whether it is active costs no request
      const quiet = applyToPage(list, changes([{ ...pending, startedAt: '2026-11-26T22:00:05Z' }]), active);
      expect(quiet.stale).toBe(false);
    });

    it('takes a row that finished out of it, and counts it out of Active under any phase filter', () => {
      const done = { ...running, phase: 'Succeeded' as const };
      expect(applyToPage(list, changes([done]), active)).toMatchObject({ value: { activeCount: 1 }, stale: true });
      // under Succeeded the active count moves too: the Active button beside it stays right
      const succeeded = applyToPage(list, changes([done]), { ...active, phase: 'Succeeded' });
      expect(succeeded.value.activeCount).toBe(1);
      // a job out of the filter (another template) was in no count the proxy made
      expect(applyToPage(list, changes([done]), { ...active, template: 'cpu-load' }).value.activeCount).toBe(2);
    });

    it('asks again when a job of the filter off the page changes: it may have become active', () => {
      const came = makeJob({ id: 'basic-nnnnn', phase: 'Pending' });
      expect(applyToPage(list, changes([came]), active).stale).toBe(true);
    });
  });

  it('counts a row by the search and panel filters as the proxy does', () => {
    const fromPanel = makeJob({
      id: 'basic-sssss',
      source: { dashboardUid: 'ops', panelId: 2 },
      params: { m: 'Hello' },
    });
    const list = { items: [fromPanel], counts: { Pending: 1 } };
    const moved = changes([{ ...fromPanel, phase: 'Running' }]);
    expect(applyToPage(list, moved, { text: 'hell', dashboard: 'ops', panel: 2 }).value.counts).toEqual({
      Pending: 0,
      Running: 1,
    });
    // out of the filter (leaving the phase aside), it is in no count the proxy made, so it moves none
    expect(applyToPage(list, moved, { text: 'nope' }).value.counts).toEqual({ Pending: 1 });
    expect(applyToPage(list, moved, { text: '', dashboard: 'ops', panel: 3 }).value.counts).toEqual({ Pending: 1 });
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
