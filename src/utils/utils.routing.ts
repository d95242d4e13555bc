import type { JobSource, ParamValues, PhaseFilter } from '../api/types';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';

// Prefixes the route with the base URL of the plugin
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

export const jobUrl = (id: string) => prefixRoute(`${ROUTES.Jobs}/${encodeURIComponent(id)}`);

/** A schedule's own view: its settings and its runs. */
export const scheduleUrl = (id: string) => prefixRoute(`${ROUTES.Schedules}/${encodeURIComponent(id)}`);

/** The Jobs page showing only the runs of one schedule. */
export const scheduleRunsUrl = (id: string) => `${prefixRoute(ROUTES.Jobs)}?${new URLSearchParams({ schedule: id })}`;

/**
 * The Jobs page with only the active jobs, of one template or of all: the Active filter keeps the jobs the launch
 * limits count, so the rows behind "2 of 3 running" are those 2.
 */
export function activeJobsUrl(template?: string): string {
  const query = new URLSearchParams(template ? { template } : {});
  query.set('phase', 'active' satisfies PhaseFilter);
  return `${prefixRoute(ROUTES.Jobs)}?${query}`;
}

/** The Jobs page showing only the jobs launched from one launcher panel (`dashboard` and `panel`, as the proxy's list takes). */
export const panelJobsUrl = (source: JobSource) =>
  `${prefixRoute(ROUTES.Jobs)}?${new URLSearchParams({ dashboard: source.dashboardUid, panel: String(source.panelId) })}`;

/** The Launch page, optionally with a template chosen and its form pre-filled (used by "Re-run"). */
export function launchUrl(template?: string, params?: ParamValues): string {
  const query = new URLSearchParams();
  if (template) {
    query.set('template', template);
  }
  if (params && Object.keys(params).length > 0) {
    query.set('params', JSON.stringify(params));
  }
  const search = query.toString();
  return prefixRoute(ROUTES.Launch) + (search ? `?${search}` : '');
}
