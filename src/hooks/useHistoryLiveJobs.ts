import { useMemo } from 'react';
import { type ApiError, getJob } from '../api/client';
import type { AuditEvent, Job } from '../api/types';
import { type JobChanges, type LiveJobsStore, liveJobsStore } from '../services/liveJobs';
import { useLiveQuery } from './useLiveQuery';

/** At most this many jobs are read one by one; beyond it, the rest show as recorded until the loop reports them. */
export const HISTORY_LIVE_READS = 100;

/** The job ids among the events, and those with no recorded end: only those can differ from what was recorded. */
export function jobsToRead(events: readonly AuditEvent[]): { all: Set<string>; open: string[] } {
  const all = new Set<string>();
  const ended = new Set<string>();
  for (const e of events) {
    if (e.jobId) {
      all.add(e.jobId);
      if (e.event === 'finished' || e.event === 'purged') {
        ended.add(e.jobId);
      }
    }
  }
  return { all, open: [...all].filter((id) => !ended.has(id)).sort() };
}

/** One batch of the live loop's changes applied to the live copies of the history's jobs. */
export function applyToLive(live: Job[], changes: JobChanges, ids: ReadonlySet<string>): Job[] {
  const mine = changes.items.filter((job) => ids.has(job.id));
  const gone = new Set([...changes.removed, ...mine.map((job) => job.id)]);
  if (mine.length === 0 && !live.some((job) => gone.has(job.id))) {
    return live;
  }
  return [...live.filter((job) => !gone.has(job.id)), ...mine];
}

const NONE: Job[] = [];

/**
 * The live state of the history's jobs that the proxy still has: each job whose end is not recorded is read with
 * GET /jobs/:id (a 404 is a job the proxy no longer has), and every job of the events takes the live loop's changes.
 * A job whose end is recorded shows that end: its state can no longer change, so it costs no request.
 */
export function useHistoryLiveJobs(events: readonly AuditEvent[], store: LiveJobsStore = liveJobsStore): Job[] {
  const { all, open } = useMemo(() => jobsToRead(events), [events]);
  const key = open.join(' ');
  const live = useLiveQuery(
    key,
    async () => {
      const read = await Promise.all(
        open
          .slice(0, HISTORY_LIVE_READS)
          .map((id) =>
            getJob(id).catch((error: ApiError) => (error.status === 404 ? undefined : Promise.reject(error)))
          )
      );
      return read.filter((job): job is Job => job !== undefined);
    },
    (jobs, changes) => ({ value: applyToLive(jobs, changes, all) }),
    store
  );
  return live.value ?? NONE;
}
