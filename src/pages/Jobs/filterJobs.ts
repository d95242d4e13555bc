import type { Job, JobPhase } from '../../api/types';

export interface JobFilters {
  template?: string;
  phase?: JobPhase;
  /** Case-insensitive; matches the id, the template, who launched it and the reason. */
  text: string;
}

export function filterJobs(jobs: Job[], filters: JobFilters): Job[] {
  const text = filters.text.trim().toLowerCase();
  return jobs.filter(
    (job) =>
      (!filters.template || job.template === filters.template) &&
      (!filters.phase || job.phase === filters.phase) &&
      (!text || [job.id, job.template, job.launchedBy, job.reason ?? ''].some((v) => v.toLowerCase().includes(text)))
  );
}

/** Template choices come from the jobs on screen, so the filter never offers a template with nothing to show. */
export function templatesOf(jobs: Job[]): string[] {
  return [...new Set(jobs.map((job) => job.template))].sort();
}
