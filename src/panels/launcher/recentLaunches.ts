import { useEffect, useState } from 'react';
import { MAX_SOURCE_TITLE, isDashboardUid } from '@flowkube/backend-proxy/contract';
import { type ApiError, listJobs } from '../../api/client';
import type { Job, JobSource } from '../../api/types';
import { useLiveJobs } from '../../hooks/useLiveJobs';

/**
 * This panel as the proxy records it on the jobs it launches: the dashboard's UID from Grafana's `${__dashboard.uid}`
 * (its DashboardMacro), else from a `/d/<uid>` address where that macro is not interpolated. Undefined for a
 * dashboard not saved yet, which has no UID: its launches carry no source and it lists none.
 */
export function panelSource(
  panelId: number,
  panelTitle: string | undefined,
  replaceVariables: (text: string) => string,
  pathname: string
): JobSource | undefined {
  const macro = replaceVariables('${__dashboard.uid}');
  const dashboardUid = isDashboardUid(macro) ? macro : /^\/d\/([^/]+)/.exec(pathname)?.[1];
  if (!dashboardUid || !isDashboardUid(dashboardUid) || !Number.isInteger(panelId) || panelId < 0) {
    return undefined;
  }
  const dashboardTitle = replaceVariables('${__dashboard}');
  const title = [
    dashboardTitle === '${__dashboard}' ? '' : dashboardTitle,
    panelTitle ? replaceVariables(panelTitle) : '',
  ]
    .filter(Boolean)
    .join(' / ')
    // display only: a long dashboard title loses its end rather than the launch failing
    .slice(0, MAX_SOURCE_TITLE);
  return { dashboardUid, panelId, ...(title ? { title } : {}) };
}

function fromPanel(job: Job, source: JobSource): boolean {
  return job.source?.dashboardUid === source.dashboardUid && job.source.panelId === source.panelId;
}

/** Newest first, each job once, at most `limit`, of those launched from `source`. */
export function recentJobs(jobs: Job[], source: JobSource, limit: number): Job[] {
  const byId = new Map(jobs.filter((job) => fromPanel(job, source)).map((job) => [job.id, job]));
  return [...byId.values()]
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)))
    .slice(0, Math.max(0, limit));
}

/**
 * The jobs launched from this panel, from the proxy (GET /jobs?dashboard=&panel=, so from any browser), kept current
 * by the shared live loop, which also brings launches made meanwhile in other browsers; `remember` adds one just
 * launched here before the loop reports it.
 */
export function useRecentLaunches(
  source: JobSource | undefined,
  limit: number
): { jobs: Job[]; error?: ApiError; remember: (job: Job) => void } {
  const [listed, setListed] = useState<Job[]>([]);
  const [launched, setLaunched] = useState<Job[]>([]);
  const [error, setError] = useState<ApiError>();
  const { jobs: live } = useLiveJobs();
  const dashboard = source?.dashboardUid;
  const panel = source?.panelId;

  useEffect(() => {
    if (dashboard === undefined || panel === undefined || limit <= 0) {
      return;
    }
    let current = true;
    listJobs({ dashboard, panel, limit }).then(
      (items) => {
        if (current) {
          setListed(items);
          setError(undefined);
        }
      },
      (err: ApiError) => current && setError(err)
    );
    return () => {
      current = false;
    };
  }, [dashboard, panel, limit]);

  // the live loop's copy is the newest, so it goes last and wins
  const jobs = source ? recentJobs([...launched, ...listed, ...live], source, limit) : [];
  return { jobs, error, remember: (job) => setLaunched((before) => [job, ...before]) };
}
