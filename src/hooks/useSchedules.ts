import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { type ApiError, listSchedules } from '../api/client';
import type { Schedule } from '../api/types';
import { type LiveJobsStore, liveJobsStore } from '../services/liveJobs';

export interface SchedulesState {
  schedules: Schedule[];
  error?: ApiError;
  loading: boolean;
  /** Re-reads the list at once (after this page changed a schedule itself). */
  refresh: () => void;
}

/**
 * Every schedule, re-read whenever the shared long-poll reports that the proxy's schedulesRevision moved, so a
 * schedule created, fired or suspended elsewhere shows up without a reload. The list itself comes from the proxy's
 * watch-fed cache, so a re-read costs no Kubernetes call.
 */
export function useSchedules(store: LiveJobsStore = liveJobsStore): SchedulesState {
  const revision = useSyncExternalStore(store.subscribe, () => store.getSnapshot().schedulesRevision);
  const [refreshes, setRefreshes] = useState(0);
  const [state, setState] = useState<Omit<SchedulesState, 'refresh'>>({ schedules: [], loading: true });
  useEffect(() => {
    let current = true;
    listSchedules().then(
      (schedules) => current && setState({ schedules, loading: false }),
      (error: ApiError) => current && setState((prev) => ({ ...prev, loading: false, error }))
    );
    return () => {
      current = false;
    };
  }, [revision, refreshes]);
  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);
  return { ...state, refresh };
}
