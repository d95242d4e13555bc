import { listJobPage } from '../api/client';
import { type LiveJobsStore, liveJobsStore } from '../services/liveJobs';
import { useLiveQuery } from './useLiveQuery';

const NONE: Record<string, number> = {};

/**
 * Jobs active now per template, as the proxy counts them for `maxConcurrent` (GET /jobs' `active`, asked with the
 * smallest page). A change says a job's new state but not whether it counted before, so any batch with jobs in it
 * reads the counts again. Undefined while unknown, and while the read or the live loop fails: a count that may be
 * old is not shown.
 */
export function useActiveJobs(store: LiveJobsStore = liveJobsStore): Record<string, number> | undefined {
  const live = useLiveQuery(
    'active',
    () => listJobPage({ limit: 1 }).then((list) => list.active ?? NONE),
    (active, changes) => ({ value: active, stale: changes.items.length > 0 || changes.removed.length > 0 }),
    store
  );
  return live.error ? undefined : live.value;
}
