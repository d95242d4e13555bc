import { isJobPhase } from '@flowkube/backend-proxy/contract';
import type { Job, JobPhase } from '../../api/types';

export interface JobFilters {
  template?: string;
  phase?: JobPhase;
  /** Only the runs of this schedule (its id). */
  schedule?: string;
  /** Case-insensitive; matches the id, the template, who launched it and the reason. */
  text: string;
}

export function filterJobs(jobs: Job[], filters: JobFilters): Job[] {
  const text = filters.text.trim().toLowerCase();
  return jobs.filter(
    (job) =>
      (!filters.template || job.template === filters.template) &&
      (!filters.phase || job.phase === filters.phase) &&
      (!filters.schedule || job.schedule === filters.schedule) &&
      (!text || [job.id, job.template, job.launchedBy, job.reason ?? ''].some((v) => v.toLowerCase().includes(text)))
  );
}

/** Template choices come from the jobs on screen, so the filter never offers a template with nothing to show. */
export function templatesOf(jobs: Job[]): string[] {
  return [...new Set(jobs.map((job) => job.template))].sort();
}

/** Schedule choices, likewise: the schedules with a run on screen. */
export function schedulesOf(jobs: Job[]): string[] {
  return [...new Set(jobs.flatMap((job) => (job.schedule ? [job.schedule] : [])))].sort();
}

/** Filters live in the URL (`template`, `phase`, `schedule`, `q`) so a filtered list can be shared and survives Back. */
export function filtersFromQuery(query: URLSearchParams): JobFilters {
  const phase = query.get('phase') ?? '';
  return {
    template: query.get('template') || undefined,
    phase: isJobPhase(phase) ? phase : undefined,
    schedule: query.get('schedule') || undefined,
    text: query.get('q') ?? '',
  };
}

/** The same query with the filters written into it; other keys (time range, …) are kept. */
export function queryWithFilters(query: URLSearchParams, filters: JobFilters): URLSearchParams {
  const next = new URLSearchParams(query);
  const set = (key: string, value: string | undefined) => (value ? next.set(key, value) : next.delete(key));
  set('template', filters.template);
  set('phase', filters.phase);
  set('schedule', filters.schedule);
  set('q', filters.text);
  return next;
}
