import { MAX_PANEL_ID, isDashboardUid, isJobPhase } from '@flowkube/backend-proxy/contract';
import type { Job, JobListQuery, JobPhase } from '../api/types';
import { sourceText } from './jobDisplay';

// The Jobs page's state as the URL carries it, the list query it asks the proxy, and how live changes meet a page.

export type SortField = NonNullable<JobListQuery['sort']>;
export type SortOrder = NonNullable<JobListQuery['order']>;

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
const SORT_FIELDS: readonly SortField[] = ['created', 'finished', 'duration', 'template', 'phase'];

export interface JobFilters {
  template?: string;
  phase?: JobPhase;
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
      phase: isJobPhase(phase) ? phase : undefined,
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
 * the title taken from a job of that panel (its `source`), else the panel id.
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

/** Jobs matching the filter: all phases, or the chosen one, from the proxy's per-phase counts. */
export function matchingTotal(counts: Record<string, number>, phase?: JobPhase): number {
  return phase ? (counts[phase] ?? 0) : Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * The page's rows, each in the live loop's state where that changed after the page was asked (`baseline` is what
 * the loop knew then; the loop replaces a job's object when it changes). Older live state never hides the page's.
 */
export function withLiveState(rows: Job[], baseline: readonly Job[], live: readonly Job[]): Job[] {
  const before = new Set(baseline);
  const changed = new Map(live.filter((job) => !before.has(job)).map((job) => [job.id, job]));
  return rows.map((job) => changed.get(job.id) ?? job);
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
 * The page's per-phase counts moved on by the live phase changes since the page was asked (`baseline`: what the live
 * loop knew then): a job of the filter leaves its old phase's count for its new one, so the counts follow a row at
 * once instead of after the page is asked again (which a phase change still causes, and which corrects them). A job
 * the page itself answered in its new phase was counted so already. Jobs that came or went wait for that answer: the
 * loop may learn of a job after the page counted it.
 */
export function liveCounts(
  counts: Record<string, number>,
  baseline: readonly Job[],
  live: readonly Job[],
  answered: readonly Job[],
  filters: JobFilters
): Record<string, number> {
  const before = new Map(baseline.map((job) => [job.id, job]));
  const onPage = new Map(answered.map((job) => [job.id, job.phase]));
  const out = { ...counts };
  for (const job of live) {
    const old = before.get(job.id);
    if (!old || old === job || old.phase === job.phase || onPage.get(job.id) === job.phase) {
      continue;
    }
    if (inFilter(old, filters)) {
      out[old.phase] = Math.max(0, (out[old.phase] ?? 0) - 1);
    }
    if (inFilter(job, filters)) {
      out[job.phase] = (out[job.phase] ?? 0) + 1;
    }
  }
  return out;
}

/**
 * Whether the page must be asked again: a job came or went, or one changed phase (the counts and a phase filter
 * move). Other changes (a start time, a cancel mark) are applied to the rows on screen without a request.
 */
export function pageIsStale(before: readonly Job[], after: readonly Job[]): boolean {
  if (before.length !== after.length) {
    return true;
  }
  const phases = new Map(before.map((job) => [job.id, job.phase]));
  return after.some((job) => phases.get(job.id) !== job.phase);
}

/** Template choices come from every job the live loop knows, so the filter never offers a template with none. */
export function templatesOf(jobs: Job[]): string[] {
  return [...new Set(jobs.map((job) => job.template))].sort();
}

/** Schedule choices, likewise: the schedules with a run. */
export function schedulesOf(jobs: Job[]): string[] {
  return [...new Set(jobs.flatMap((job) => (job.schedule ? [job.schedule] : [])))].sort();
}
