import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ApiError, getJob } from '../api/client';
import type { Job } from '../api/types';
import { type LiveJobsStore, liveJobsStore } from '../services/liveJobs';

/** One job from the shared loop; one older than the list's cap is fetched once and then followed by the loop. */
export function useLiveJob(
  id: string,
  store: LiveJobsStore = liveJobsStore
): { job?: Job; removed: boolean; error?: ApiError; loading: boolean } {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const job = snapshot.jobs.find((j) => j.id === id);
  const removed = snapshot.removed.has(id);
  const missing = !snapshot.loading && !snapshot.error && !job && !removed;
  const [fetchError, setFetchError] = useState<ApiError>();

  useEffect(() => {
    if (!missing) {
      return;
    }
    let current = true;
    getJob(id).then(
      (found) => current && store.upsert(found),
      (error: ApiError) => {
        if (current && error.status === 404) {
          store.markRemoved(id);
        } else if (current) {
          setFetchError(error);
        }
      }
    );
    return () => {
      current = false;
    };
  }, [id, missing, store]);

  const error = snapshot.error ?? (missing ? fetchError : undefined);
  return { job, removed, error, loading: snapshot.loading || (missing && !fetchError) };
}
