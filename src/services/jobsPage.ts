import { MAX_PANEL_ID, inPhaseFilter, isActive, isDashboardUid, isPhaseFilter } from '@flowkube/backend-proxy/contract';
import type { Job, JobList, JobListQuery, PhaseFilter } from '../api/types';
import { sourceText } from './jobDisplay';
import type { JobChanges } from './liveJobs';

// The Jobs page's state as the URL carries it, the list query it asks the proxy, and how live changes meet a page.

export type SortField = NonNullable<JobListQuery['sort']>;
export type SortOrder = NonNullable<JobListQuery['order']>;

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
const SORT_FIELDS: readonly SortField[] = ['created', 'finished', 'duration', 'template', 'phase'];

export interface JobFilters {
  template?: string;
  /** A phase, or `active`: what the launch limits count (the Launch cards link here with it). */
  phase?: PhaseFilter;
  /** Only the runs of this schedule (its id). */
  schedule?: string;
  /** Only the jobs launched from a launcher panel on this dashboard (its UID), and from this panel of it. */
  dashboard?: string;
  panel?: number;
  /** Case-insensitive; the proxy matches the id, the template, who launched it, the reason and parameter values. */
  text: string;
}

export interface JobsPageState {
  filters: JobFilters;
  sort: SortField;
  order: SortOrder;
  pageSize: number;
}

/**
 * State lives in the URL (`template`, `phase`, `schedule`, `dashboard`, `panel`, `q`, `sort`, `order`, `size`):
 * shareable, kept on Back. A launcher panel links here with its `dashboard` and `panel`.
 */
export function pageStateFromQuery(query: URLSearchParams): JobsPageState {
  const phase = query.get('phase') ?? '';
  const dashboard = query.get('dashboard') ?? '';
  const panel = Number(query.get('panel') || NaN);
  const fromDashboard = isDashboardUid(dashboard) ? dashboard : undefined;
  const sort = query.get('sort') as SortField;
  const size = Number(query.get('size'));
  return {
    filters: {
      template: query.get('template') || undefined,
      phase: isPhaseFilter(phase) ? phase : undefined,
      schedule: query.get('schedule') || undefined,
      dashboard: fromDashboard,
      // the proxy refuses a panel without its dashboard
      panel: fromDashboard && Number.isInteger(panel) && panel >= 0 && panel <= MAX_PANEL_ID ? panel : undefined,
      text: query.get('q') ?? '',
    },
    sort: SORT_FIELDS.includes(sort) ? sort : 'created',
    order: query.get('order') === 'asc' ? 'asc' : 'desc',
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** The same query with the state written into it; defaults are left out and other keys (time range, …) kept. */
export function queryWithPageState(query: URLSearchParams, state: JobsPageState): URLSearchParams {
  const next = new URLSearchParams(query);
  const set = (key: string, value: string | undefined) => (value ? next.set(key, value) : next.delete(key));
  set('template', state.filters.template);
  set('phase', state.filters.phase);
  set('schedule', state.filters.schedule);
  set('dashboard', state.filters.dashboard);
  set('panel', state.filters.panel?.toString());
  set('q', state.filters.text);
  set('sort', state.sort === 'created' ? undefined : state.sort);
  set('order', state.order === 'desc' ? undefined : state.order);
  set('size', state.pageSize === DEFAULT_PAGE_SIZE ? undefined : String(state.pageSize));
  return next;
}

/**
 * The dashboard/panel filter as a person reads it, or undefined without one: "From panel <title> on dashboard <uid>",
 * the title taken from a job of that panel (its `source`: the page's rows are that panel's), else the panel id.
 */
export function sourceFilterLabel(filters: JobFilters, jobs: readonly Job[]): string | undefined {
  const { dashboard, panel } = filters;
  if (!dashboard) {
    return undefined;
  }
  const title =
    panel === undefined
      ? undefined
      : jobs.find((j) => j.source?.dashboardUid === dashboard && j.source.panelId === panel)?.source?.title;
  return `From ${sourceText({ dashboardUid: dashboard, panelId: panel, title })}`;
}

/** The filters without the dashboard/panel one, every other filter kept. */
export function withoutSourceFilter(filters: JobFilters): JobFilters {
  return { ...filters, dashboard: undefined, panel: undefined };
}

export function hasFilters(filters: JobFilters): boolean {
  return Boolean(filters.template || filters.phase || filters.schedule || filters.dashboard || filters.text.trim());
}

/** What GET /api/v1/jobs is asked for one page; `cursor` is the `continue` the previous page answered. */
export function listQuery(state: JobsPageState, cursor?: string): JobListQuery {
  const q = state.filters.text.trim();
  return {
    template: state.filters.template,
    phase: state.filters.phase,
    schedule: state.filters.schedule,
    dashboard: state.filters.dashboard,
    panel: state.filters.panel,
    q: q || undefined,
    sort: state.sort,
    order: state.order,
    limit: state.pageSize,
    continue: cursor,
  };
}

/** The proxy's counts for the filter without its phase: per phase, and how many of those are active. */
export type FilterCounts = Pick<JobList, 'activeCount'> & { counts: Record<string, number> };

/**
 * Jobs matching the filter, from the proxy's counts: all phases, one, or the active ones. Undefined when the answer
 * has no active count: per-phase counts cannot give it (a cancelled job is still Running until its Pod stops).
 */
export function matchingTotal({ counts, activeCount }: FilterCounts, phase?: PhaseFilter): number | undefined {
  if (phase === 'active') {
    return activeCount;
  }
  return phase ? (counts[phase] ?? 0) : Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Whether `job` is in `filters` leaving the phase aside (what the counts count), as the proxy's list query decides. */
function inFilter(job: Job, filters: JobFilters): boolean {
  const q = filters.text.trim().toLowerCase();
  const { source } = job;
  return (
    (!filters.template || job.template === filters.template) &&
    (!filters.schedule || job.schedule === filters.schedule) &&
    (!filters.dashboard ||
      (source?.dashboardUid === filters.dashboard && (filters.panel ?? source.panelId) === source.panelId)) &&
    (!q ||
      [job.id, job.template, job.launchedBy, job.reason ?? '', ...Object.values(job.params).map(String)].some((v) =>
        v.toLowerCase().includes(q)
      ))
  );
}

/**
 * One batch of the live loop's changes applied to a page as answered: a row on the page takes its new state at once,
 * and when its phase moved, its count moves with it, and the active count when it started or stopped being active
 * (if the job is still in the filter leaving the phase aside, as the proxy counts). The page is `stale` (ask again)
 * when its membership or counts may have moved beyond that: a job of the filter not on the page changed or came (the
 * loop says which changed, not how), one went, a row changed phase, or a row left or joined the phase filter (a
 * cancel takes a Running job out of Active before its phase moves). Other jobs' changes cost no request.
 */
export function applyToPage(
  list: JobList,
  changes: JobChanges,
  filters: JobFilters
): { value: JobList; stale: boolean } {
  const changed = new Map(changes.items.map((job) => [job.id, job]));
  // template, schedule and panel never change on a job, but the text a search finds may (its reason)
  const searching = filters.text.trim() !== '';
  let stale = changes.removed.length > 0;
  let counts = list.counts;
  let activeCount = list.activeCount;
  let onPage = 0;
  const items = list.items.map((row) => {
    const job = changed.get(row.id);
    if (!job) {
      return row;
    }
    onPage++;
    if (job.phase !== row.phase) {
      stale = true;
      counts = { ...counts };
      if (inFilter(row, filters)) {
        counts[row.phase] = Math.max(0, (counts[row.phase] ?? 0) - 1);
      }
      if (inFilter(job, filters)) {
        counts[job.phase] = (counts[job.phase] ?? 0) + 1;
      }
    }
    if (isActive(job) !== isActive(row) && activeCount !== undefined) {
      activeCount +=
        (inFilter(job, filters) && isActive(job) ? 1 : 0) - (inFilter(row, filters) && isActive(row) ? 1 : 0);
      activeCount = Math.max(0, activeCount);
    }
    if (filters.phase && inPhaseFilter(job, filters.phase) !== inPhaseFilter(row, filters.phase)) {
      stale = true;
    }
    return job;
  });
  stale ||= changes.items.some(
    (job) => !list.items.some((row) => row.id === job.id) && (searching || inFilter(job, filters))
  );
  return { value: onPage > 0 ? { ...list, items, counts, activeCount } : list, stale };
}
