import { useEffect, useSyncExternalStore } from 'react';
import { type FollowedJob, type LiveJobsStore, liveJobsStore } from '../services/liveJobs';

/**
 * One job, read from the proxy (GET /jobs/:id) once the shared loop has its cursor and kept current by the loop's
 * changes: no page holds more than the jobs it shows. `removed` once the proxy answers 404 or reports it gone.
 */
export function useLiveJob(id: string, store: LiveJobsStore = liveJobsStore): FollowedJob {
  useEffect(() => store.follow(id), [id, store]);
  const followed = useSyncExternalStore(store.subscribe, () => store.followed(id));
  const loop = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { ...followed, error: followed.error ?? loop.error };
}
