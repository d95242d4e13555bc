import type { FieldError } from '../schemas/index.ts';
import { CronError, parseCron, type ParsedCron } from './cron.ts';
import { nextRuns } from './next-runs.ts';
import { timeZoneError } from './time-zone.ts';

export type ScheduleCheck = { ok: true; parsed: ParsedCron } | { ok: false; fields: FieldError[] };

/**
 * What Kubernetes would refuse in a CronJob's schedule and time zone (with its words), and what it would accept
 * but never run: a schedule with no next time, such as February 30th (`0 0 30 2 *`).
 */
export function checkSchedule(schedule: string, timeZone: string, now: Date): ScheduleCheck {
  const fields: FieldError[] = [];
  const zoneProblem = timeZoneError(timeZone);
  if (zoneProblem) {
    fields.push({ field: 'timeZone', message: `is not a time zone Kubernetes accepts: ${zoneProblem}` });
  }
  let parsed: ParsedCron | undefined;
  try {
    parsed = parseCron(schedule);
  } catch (err) {
    if (!(err instanceof CronError)) {
      throw err;
    }
    fields.push({ field: 'schedule', message: `is not a cron expression Kubernetes accepts: ${err.message}` });
  }
  if (parsed && !zoneProblem && nextRuns(parsed, timeZone, now, 1).length === 0) {
    fields.push({ field: 'schedule', message: 'never fires (no date matches it); check the day and month fields' });
  }
  return parsed && fields.length === 0 ? { ok: true, parsed } : { ok: false, fields };
}
