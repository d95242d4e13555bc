import { useMemo, useState } from 'react';
import { type ApiError, listJobs } from '../api/client';
import type { Job, JobSource } from '../api/types';
import { applyToRecent, type Recent, recentJobs } from '../panels/launcher/recentLaunches';
import type { LiveJobsStore } from '../services/liveJobs';
import { useLiveQuery } from './useLiveQuery';

const NOTHING: Recent = { jobs: [], gone: [] };

/**
 * The jobs launched from this panel, from the proxy (GET /jobs?dashboard=&panel=, so from any browser), kept current
 * by the shared live loop's changes, which also bring launches made meanwhile in other browsers; `remember` adds one
 * just launched here before the loop reports it.
 */
export function useRecentLaunches(
  source: JobSource | undefined,
  limit: number,
  store?: LiveJobsStore
): { jobs: Job[]; gone: ReadonlySet<string>; error?: ApiError; remember: (job: Job) => void } {
  const [launched, setLaunched] = useState<Job[]>([]);
  const dashboard = source?.dashboardUid;
  const panel = source?.panelId;
  const live = useLiveQuery<Recent>(
    JSON.stringify([dashboard, panel, limit]),
    () =>
      dashboard === undefined || panel === undefined || limit <= 0
        ? Promise.resolve(NOTHING)
        : listJobs({ dashboard, panel, limit }).then((jobs) => ({ jobs, gone: [] })),
    (recent, changes) => ({ value: source ? applyToRecent(recent, changes, source, Math.max(0, limit)) : recent }),
    store
  );
  const recent = live.value ?? NOTHING;
  // the proxy's copy is the newest, so it goes last and wins
  const jobs = useMemo(
    () => (source ? recentJobs([...launched, ...recent.jobs], source, limit) : []),
    [source, launched, recent.jobs, limit]
  );
  const gone = useMemo(() => new Set(recent.gone), [recent.gone]);
  // the loop's own error is the panel's to show elsewhere: only a failed list is said here
  return {
    jobs,
    gone,
    error: live.value ? undefined : live.error,
    remember: (job) => setLaunched((before) => [job, ...before]),
  };
}
