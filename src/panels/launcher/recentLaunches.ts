import { MAX_SOURCE_TITLE, isDashboardUid } from '@flowkube/backend-proxy/contract';
import type { Job, JobSource } from '../../api/types';
import type { JobChanges } from '../../services/liveJobs';

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

/** The panel's recent jobs as listed, and the ids of those the proxy has since reported gone (kept, marked). */
export interface Recent {
  jobs: Job[];
  gone: string[];
}

/** One batch of the live loop's changes applied: this panel's new or changed jobs in, gone ones marked. */
export function applyToRecent(recent: Recent, changes: JobChanges, source: JobSource, limit: number): Recent {
  const listed = new Set(recent.jobs.map((job) => job.id));
  const mine = changes.items.filter((job) => fromPanel(job, source));
  const gone = changes.removed.filter((id) => listed.has(id) && !recent.gone.includes(id));
  if (mine.length === 0 && gone.length === 0) {
    return recent;
  }
  return { jobs: recentJobs([...recent.jobs, ...mine], source, limit), gone: [...recent.gone, ...gone] };
}
