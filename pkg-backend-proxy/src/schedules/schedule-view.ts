import type { V1CronJob } from '@kubernetes/client-node';
import { isActive } from '../contract/phases.ts';
import { ANN_CREATED_BY, ANN_PARAMS, LABEL_TEMPLATE } from '../labels.ts';
import type { ConcurrencyPolicy, Job, ParamValues, Schedule } from '../schemas/index.ts';
import { CONCURRENCY_POLICIES } from '../schemas/schedule.ts';
import { parseCron } from './cron.ts';
import { describeSchedule, nextRuns } from './next-runs.ts';

/** Timestamps are Dates from the typed client and strings off the watch; both become ISO strings. */
function iso(value: unknown): string | undefined {
  if (value instanceof Date || typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

function params(text: string | undefined): ParamValues {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return {};
    }
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    ) as ParamValues;
  } catch {
    return {};
  }
}

const policy = (value: string | undefined): ConcurrencyPolicy =>
  (CONCURRENCY_POLICIES as readonly string[]).includes(value ?? '') ? (value as ConcurrencyPolicy) : 'Allow';

/**
 * A CronJob as the API shows the schedule. `runs` are its jobs (Pods labelled with the schedule), newest first:
 * they give `active` and `lastRun` in the ids /api/v1/jobs uses, which are Pod names, not Job names.
 */
export function scheduleFromCronJob(cronJob: V1CronJob, runs: Job[], now: Date): Schedule {
  const meta = cronJob.metadata ?? {};
  const spec = cronJob.spec;
  const timeZone = spec?.timeZone ?? 'UTC';
  const schedule: Schedule = {
    id: meta.name ?? '',
    template: meta.labels?.[LABEL_TEMPLATE] ?? 'unknown',
    params: params(meta.annotations?.[ANN_PARAMS]),
    schedule: spec?.schedule ?? '',
    timeZone,
    description: describeSchedule(spec?.schedule ?? ''),
    suspend: spec?.suspend === true,
    concurrencyPolicy: policy(spec?.concurrencyPolicy),
    createdBy: meta.annotations?.[ANN_CREATED_BY] ?? 'unknown',
    createdAt: iso(meta.creationTimestamp) ?? new Date(0).toISOString(),
    active: runs.filter((j) => isActive(j)).map((j) => j.id),
  };
  const lastSchedule = iso(cronJob.status?.lastScheduleTime);
  if (lastSchedule) {
    schedule.lastScheduleTime = lastSchedule;
  }
  const lastSuccessful = iso(cronJob.status?.lastSuccessfulTime);
  if (lastSuccessful) {
    schedule.lastSuccessfulTime = lastSuccessful;
  }
  if (!schedule.suspend) {
    try {
      const next = nextRuns(parseCron(schedule.schedule), timeZone, now, 1)[0];
      if (next) {
        schedule.nextRunAt = next.toISOString();
      }
    } catch {
      // a CronJob someone else edited to a schedule this parser refuses has no next run to show
    }
  }
  const last = runs[0];
  if (last) {
    schedule.lastRun = { id: last.id, phase: last.phase };
  }
  return schedule;
}
