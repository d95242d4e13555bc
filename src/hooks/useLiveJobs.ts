import { useSyncExternalStore } from 'react';
import { type LiveJobsSnapshot, type LiveJobsStore, liveJobsStore } from '../services/liveJobs';

/** Every job, kept current by the one long-poll loop the whole app shares. */
export function useLiveJobs(
  store: LiveJobsStore = liveJobsStore
): Pick<LiveJobsSnapshot, 'jobs' | 'error' | 'loading'> {
  const { jobs, error, loading } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { jobs, error, loading };
}
