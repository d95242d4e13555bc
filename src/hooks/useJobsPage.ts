import { useCallback, useState } from 'react';
import { type ApiError, listJobPage } from '../api/client';
import type { Job } from '../api/types';
import { applyToPage, type JobsPageState, listQuery } from '../services/jobsPage';
import { type LiveJobsStore, liveJobsStore } from '../services/liveJobs';
import { useLiveQuery } from './useLiveQuery';

export { REFRESH_DELAY_MS } from './useLiveQuery';

export interface JobsPage {
  /** The page's jobs, each in its newest live state. */
  rows: Job[];
  counts: Record<string, number>;
  /** Of the jobs `counts` counts, the active ones (what the launch limits count); undefined when not answered. */
  activeCount?: number;
  /** No page has answered yet for this state. */
  loading: boolean;
  error?: ApiError;
  /** 0 for the first page. */
  pageIndex: number;
  hasNext: boolean;
  next(): void;
  previous(): void;
  /** The filter's choices: every template and schedule with a job in the proxy's cache (the list answers them). */
  templates: string[];
  schedules: string[];
}

interface Walk {
  state: JobsPageState;
  /** The `continue` each page of the walk was asked with, up to the one on screen. */
  cursors: Array<string | undefined>;
}

/**
 * One page of the jobs list from the proxy, walked with its `continue` cursors, kept current by the shared live loop:
 * rows on screen take each change at once, and the page is asked again when its membership may have moved.
 * `state` must keep its identity while it is the same (memoize it on the URL).
 */
export function useJobsPage(state: JobsPageState, store: LiveJobsStore = liveJobsStore): JobsPage {
  const [walk, setWalk] = useState<Walk>({ state, cursors: [undefined] });
  const current = walk.state === state ? walk : { state, cursors: [undefined] };
  const cursor = current.cursors[current.cursors.length - 1];
  const query = listQuery(state, cursor);
  const key = JSON.stringify(query);
  const page = useLiveQuery(
    key,
    () => listJobPage(query),
    (list, changes) => applyToPage(list, changes, state.filters),
    store
  );

  const nextCursor = page.valueKey === key ? page.value?.continue : undefined;
  const next = useCallback(() => {
    if (nextCursor) {
      setWalk({ state, cursors: [...current.cursors, nextCursor] });
    }
  }, [state, current.cursors, nextCursor]);
  const previous = useCallback(() => {
    if (current.cursors.length > 1) {
      setWalk({ state, cursors: current.cursors.slice(0, -1) });
    }
  }, [state, current.cursors]);

  return {
    rows: page.value?.items ?? NONE,
    counts: page.value?.counts ?? NO_COUNTS,
    activeCount: page.value?.activeCount,
    loading: page.loading,
    error: page.error,
    pageIndex: current.cursors.length - 1,
    hasNext: Boolean(nextCursor),
    next,
    previous,
    templates: page.value?.templates ?? NO_CHOICES,
    schedules: page.value?.schedules ?? NO_CHOICES,
  };
}

// kept identities, so memos on them hold while nothing has answered
const NONE: Job[] = [];
const NO_COUNTS: Record<string, number> = {};
const NO_CHOICES: string[] = [];
