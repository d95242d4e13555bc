import type { Job } from '../api/types';

const MARGIN_MS = 60_000;

/**
 * The time range that shows the whole job and little else: from a minute before it was created to a minute after
 * it finished, or to `now` while it runs (metrics and logs then keep following it).
 */
export function jobTimeWindow(job: Job): { from: string; to: string } {
  const iso = (ms: number) => new Date(ms).toISOString();
  const from = iso(Date.parse(job.createdAt) - MARGIN_MS);
  const to = job.finishedAt ? iso(Date.parse(job.finishedAt) + MARGIN_MS) : 'now';
  return { from, to };
}
