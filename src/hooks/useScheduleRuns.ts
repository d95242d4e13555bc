import { listJobs } from '../api/client';
import type { Job } from '../api/types';
import { type JobChanges, type LiveJobsStore, liveJobsStore } from '../services/liveJobs';
import { useLiveQuery } from './useLiveQuery';

/** A schedule page lists its newest runs; the rest are one click away on the Jobs page, filtered to it. */
export const SCHEDULE_RUNS_SHOWN = 50;

function newestFirst(a: Job, b: Job): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/** One batch of the live loop's changes applied to a schedule's runs: its new and changed runs in, gone ones out. */
export function applyToRuns(runs: Job[], changes: JobChanges, schedule: string): Job[] {
  const mine = changes.items.filter((job) => job.schedule === schedule);
  const gone = new Set([...changes.removed, ...mine.map((job) => job.id)]);
  if (mine.length === 0 && !runs.some((job) => gone.has(job.id))) {
    return runs;
  }
  return [...runs.filter((job) => !gone.has(job.id)), ...mine].sort(newestFirst).slice(0, SCHEDULE_RUNS_SHOWN);
}

const NONE: Job[] = [];

/** A schedule's newest runs, from the proxy (GET /jobs?schedule=), kept current by the shared live loop. */
export function useScheduleRuns(schedule: string, store: LiveJobsStore = liveJobsStore): Job[] {
  const runs = useLiveQuery(
    schedule,
    () => listJobs({ schedule, limit: SCHEDULE_RUNS_SHOWN }).then((jobs) => [...jobs].sort(newestFirst)),
    (shown, changes) => ({ value: applyToRuns(shown, changes, schedule) }),
    store
  );
  return runs.valueKey === schedule ? (runs.value ?? NONE) : NONE;
}
