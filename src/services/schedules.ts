import { checkSchedule, describeSchedule, nextRuns } from '@flowkube/backend-proxy/contract';
import type { ConcurrencyPolicy, Schedule } from '../api/types';

// What the schedule form and the Schedules page show, computed with the proxy's own cron and time zone checks
// (exported by the contract), so the form refuses exactly what POST /api/v1/schedules would refuse.

export const CONCURRENCY_POLICIES: ConcurrencyPolicy[] = ['Forbid', 'Replace', 'Allow'];

/** What each policy means for a run that is due while the previous one still runs (CronJob spec.concurrencyPolicy). */
export const CONCURRENCY_HELP: Record<ConcurrencyPolicy, string> = {
  Forbid: 'Skip a run while the previous one is still running (one run at a time)',
  Replace: 'Cancel the running one and start the new run',
  Allow: 'Start the new run alongside the running one',
};

export interface CronPreview {
  /** The cron in words, when it is one Kubernetes accepts. */
  description?: string;
  /** The next runs, as the CronJob controller would start them. */
  next: Date[];
  /** Keyed `schedule` / `timeZone`, in the proxy's words. */
  errors: Partial<Record<'schedule' | 'timeZone', string>>;
}

/** The live reading of the cron field: its description and next `count` runs, or why Kubernetes would refuse it. */
export function previewCron(schedule: string, timeZone: string, now: Date, count = 3): CronPreview {
  const check = checkSchedule(schedule.trim(), timeZone, now);
  if (!check.ok) {
    const errors: CronPreview['errors'] = {};
    for (const { field, message } of check.fields) {
      if (field === 'schedule' || field === 'timeZone') {
        errors[field] ??= `${field === 'schedule' ? 'Cron' : 'Time zone'} ${message}`;
      }
    }
    return { next: [], errors };
  }
  return {
    description: describeSchedule(schedule.trim()),
    next: nextRuns(check.parsed, timeZone, now, count),
    errors: {},
  };
}

/** The browser's IANA zone: the form's default, so "0 2 * * *" means 02:00 where the person is. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A time in a named zone, with the zone's abbreviation ("Tue, Dec 1, 02:00 CET"). */
export function formatInZone(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

export interface NextRunDisplay {
  /** In the viewer's own zone. */
  local: string;
  /** In the schedule's zone, or undefined when that is the viewer's zone too (no need to say it twice). */
  inZone?: string;
}

/** The next run for a row, or why there is none. */
export function nextRunDisplay(schedule: Schedule, viewerZone: string): NextRunDisplay {
  if (schedule.suspend) {
    return { local: 'Suspended' };
  }
  if (!schedule.nextRunAt) {
    return { local: 'Never' };
  }
  const at = new Date(schedule.nextRunAt);
  const local = formatInZone(at, viewerZone);
  return schedule.timeZone === viewerZone ? { local } : { local, inZone: formatInZone(at, schedule.timeZone) };
}
