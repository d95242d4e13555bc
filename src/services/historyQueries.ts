// No runtime import of @grafana/data here (jobLookupRange.ts has the time range): the preview's Loki stand-in tests
// evaluate these queries under node --test, where @grafana/data's ESM build does not load (moment-timezone).
import { AUDIT_STREAM_SELECTOR } from '@flowkube/backend-proxy/contract';

/** The job transitions the history folds; schedule events share the stream but are not jobs. */
const JOB_EVENTS = ['launched', 'rejected', 'started', 'cancelled', 'finished', 'purged'];

/**
 * Loki's default `max_entries_limit_per_query` (limits_config): a query asking for more lines is refused, so this
 * is the most one history query can return.
 */
export const HISTORY_MAX_LINES = 5000;

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
