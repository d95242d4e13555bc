import { PHASE_FILTERS, inPhaseFilter, isActive, isPhaseFilter } from '@flowkube/backend-proxy/contract';
import type { Job, JobList } from '../api/types';
import { proxyError } from './fakeBackendSrv';
import type { FakeProxy } from './fakeProxy';

/**
 * GET /api/v1/jobs the way the proxy answers it (pkg-backend-proxy/src/jobs/list-query.ts), for the jobs `source`
 * returns at the time of the request: filtered by template, schedule, launcher panel (dashboard, panel) and q,
 * counted per phase (and active) before the phase filter (a phase or `active`), then one page of `limit`, with every template and schedule of all jobs
 * (the filter's choices) and the active jobs of each template (what the launch limits count). Jobs keep the order
 * they are given in (the tests check what is asked; the proxy's own tests check its sorting), and `continue` is the
 * offset of the next page.
 */
export function serveJobList(proxy: FakeProxy, source: () => Job[]): FakeProxy {
  return proxy.on('GET', 'api/v1/jobs', (request) => {
    const p = request.params ?? {};
    const q = String(p.q ?? '').toLowerCase();
    const matching = source().filter(
      (job) =>
        (!p.template || job.template === p.template) &&
        (!p.schedule || job.schedule === p.schedule) &&
        (!p.dashboard || job.source?.dashboardUid === p.dashboard) &&
        (p.panel === undefined || job.source?.panelId === Number(p.panel)) &&
        (!q || [job.id, job.template, job.launchedBy].some((v) => v.toLowerCase().includes(q)))
    );
    const counts: Record<string, number> = {};
    matching.forEach((job) => (counts[job.phase] = (counts[job.phase] ?? 0) + 1));
    const asked = String(p.phase ?? '');
    const phase = isPhaseFilter(asked) ? asked : undefined;
    if (asked && !phase) {
      return proxyError(400, 'bad_request', `phase must be one of ${PHASE_FILTERS.join(', ')}`);
    }
    const rows = matching.filter((job) => !phase || inPhaseFilter(job, phase));
    const from = p.continue ? Number(p.continue) : 0;
    const limit = Number(p.limit ?? 100);
    const all = source();
    const active: Record<string, number> = {};
    all.filter(isActive).forEach((job) => (active[job.template] = (active[job.template] ?? 0) + 1));
    const data: JobList = {
      items: rows.slice(from, from + limit),
      counts,
      activeCount: matching.filter(isActive).length,
      active,
      templates: [...new Set(all.map((job) => job.template))].sort(),
      schedules: [...new Set(all.flatMap((job) => (job.schedule ? [job.schedule] : [])))].sort(),
    };
    if (from + limit < rows.length) {
      data.continue = String(from + limit);
    }
    return { status: 200, data };
  });
}
