import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { cronerPattern, DESCRIPTORS, type ParsedCron } from './cron.ts';

/**
 * The next `count` times a parsed schedule fires after `after`, in `timeZone` (UTC when none: without spec.timeZone
 * the controller uses its own zone, which is UTC on standard control planes). Empty when it never fires: croner,
 * like robfig's Next, gives up after a bounded search (e.g. `0 0 30 2 *`).
 */
export function nextRuns(parsed: ParsedCron, timeZone: string | undefined, after: Date, count: number): Date[] {
  const fields = [parsed.minute, parsed.hour, parsed.dayOfMonth, parsed.month, parsed.dayOfWeek];
  if (fields.some((f) => f.values.length === 0)) {
    return [];
  }
  const cron = new Cron(cronerPattern(parsed), { timezone: timeZone ?? 'UTC', paused: true, mode: '5-part' });
  return cron.nextRuns(count, after);
}

/** A person's reading of the schedule, e.g. "At 02:00 AM, only on Monday". */
export function describeSchedule(schedule: string): string {
  const expanded = DESCRIPTORS[schedule] ?? schedule;
  try {
    return cronstrue.toString(expanded, { verbose: false });
  } catch {
    return schedule;
  }
}
