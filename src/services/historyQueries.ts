import { AUDIT_STREAM_SELECTOR } from '@flowkube/backend-proxy/contract';
import { dateTime, type TimeRange } from '@grafana/data';

/** The job transitions the history folds; schedule events share the stream but are not jobs. */
const JOB_EVENTS = ['launched', 'rejected', 'started', 'cancelled', 'finished', 'purged'];

/**
 * Loki's default `max_entries_limit_per_query` (limits_config): a query asking for more lines is refused, so this
 * is the most one history query can return.
 */
export const HISTORY_MAX_LINES = 5000;

/**
 * Loki's default `max_query_length` is 721h: a job looked up by id alone (its Pod is gone, so nothing says when it
 * ran) is searched over the 30 days before now, the longest range a default Loki accepts.
 */
export function jobLookupRange(): TimeRange {
  // One reading of the clock for both ends: two (as rangeUtil.convertRawToRange takes of 'now-30d' and 'now') can
  // lie a millisecond apart and make the range longer than 30 days.
  const to = dateTime();
  const from = dateTime(to).subtract(720, 'hours'); // hours, not days: a day across a DST change is not 24 h
  return { from, to, raw: { from: 'now-30d', to: 'now' } };
}

const quote = (value: string) => JSON.stringify(value);

/** Every job transition in the audit stream; only the `event` field is extracted, not the params of every job. */
export function historyExpr(): string {
  return `${AUDIT_STREAM_SELECTOR} | json event="event" | event=~${quote(JOB_EVENTS.join('|'))}`;
}

/**
 * One job's events. The line filter is the cheap pass Loki runs before parsing (the proxy writes compact JSON, so
 * the field reads exactly `"jobId":"<id>"`); the parsed-field match then keeps exactly that id.
 */
export function jobHistoryExpr(id: string): string {
  return `${AUDIT_STREAM_SELECTOR} |= ${quote(`"jobId":${quote(id)}`)} | json jobId="jobId" | jobId=${quote(id)}`;
}
