import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ApiError, listJobPage } from '../api/client';
import type { Job, JobList } from '../api/types';
import { type JobsPageState, listQuery, liveCounts, pageIsStale, withLiveState } from '../services/jobsPage';
import { type LiveJobsStore, liveJobsStore } from '../services/liveJobs';
import { useLiveJobs } from './useLiveJobs';

/**
 * Jobs coming, going or changing phase arrive in bursts (a schedule firing, a bulk cancel): one re-read of the page
 * after the first change of a burst, not one per change.
 */
export const REFRESH_DELAY_MS = 500;

export interface JobsPage {
  /** The page's jobs, each in its newest live state. */
  rows: Job[];
  counts: Record<string, number>;
  /** No page has answered yet for this state. */
  loading: boolean;
  error?: ApiError;
  /** 0 for the first page. */
  pageIndex: number;
  hasNext: boolean;
  next(): void;
  previous(): void;
  /** Every job the live loop knows: the filter's choices come from them. */
  liveJobs: Job[];
}

/** A page as answered, with what it answers (a cursor is never sent with a state it does not belong to). */
interface Answer {
  list: JobList;
  state: JobsPageState;
  cursor?: string;
  /** The live jobs when it was asked; undefined when the live loop had not listed yet. */
  baseline?: Job[];
}

/** The live loop's jobs once it has listed them. */
function listedJobs(store: LiveJobsStore): Job[] | undefined {
  const snapshot = store.getSnapshot();
  return snapshot.loading ? undefined : snapshot.jobs;
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
  const [revision, setRevision] = useState(0);
  const [page, setPage] = useState<Answer>();
  const [error, setError] = useState<ApiError>();
  const live = useLiveJobs(store);

  useEffect(() => {
    let wanted = true;
    let stopWaiting = () => {};
    // what the live loop knew when the page was asked: only its later changes are newer than the page
    const sentWith = listedJobs(store);
    listJobPage(listQuery(state, cursor)).then(
      (list) => {
        if (!wanted) {
          return;
        }
        const answer: Answer = { list, state, cursor, baseline: sentWith ?? listedJobs(store) };
        setPage(answer);
        setError(undefined);
        if (!answer.baseline) {
          // asked before the loop's first list: that list is what the page was read against
          stopWaiting = store.subscribe(() => {
            const baseline = listedJobs(store);
            if (baseline) {
              stopWaiting();
              setPage((shown) => (shown === answer ? { ...answer, baseline } : shown));
            }
          });
        }
      },
      (err: ApiError) => wanted && setError(err)
    );
    return () => {
      wanted = false;
      stopWaiting();
    };
  }, [state, cursor, revision, store]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (page?.baseline && timer.current === undefined && pageIsStale(page.baseline, live.jobs)) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        setRevision((r) => r + 1);
      }, REFRESH_DELAY_MS);
    }
  }, [page, live.jobs]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const rows = useMemo(
    () => (page ? withLiveState(page.list.items, page.baseline ?? [], live.jobs) : []),
    [page, live.jobs]
  );
  const counts = useMemo(
    () =>
      page
        ? liveCounts(page.list.counts ?? {}, page.baseline ?? live.jobs, live.jobs, page.list.items, page.state.filters)
        : {},
    [page, live.jobs]
  );
  const nextCursor = page?.state === state && page.cursor === cursor ? page.list.continue : undefined;
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
    rows,
    counts,
    loading: page === undefined && !error,
    error: error ?? live.error,
    pageIndex: current.cursors.length - 1,
    hasNext: Boolean(nextCursor),
    next,
    previous,
    liveJobs: live.jobs,
  };
}
