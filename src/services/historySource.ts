import { from, lastValueFrom, Observable } from 'rxjs';
import { type DataFrame, type DataQueryRequest, dateTime, FieldType, type TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';
import { parseAuditLine } from '@flowkube/backend-proxy/contract';
import type { AuditEvent } from '../api/types';
import { PLUGIN_ID } from '../constants';
import { afterPage } from './historyPages';

export interface AuditQuery {
  datasourceUid: string;
  expr: string;
  range: TimeRange;
  maxLines: number;
}

export interface AuditQueryResult {
  events: AuditEvent[];
  /** Loki returned as many lines as asked for: older events in the range were left out. */
  truncated: boolean;
  /** The millisecond of the oldest line returned (Loki's timestamp of it), absent when none was. */
  oldestMs?: number;
}

export interface LokiQuery extends DataQuery {
  expr: string;
  queryType: 'range';
  maxLines: number;
}

let requests = 0;

/**
 * Audit events from the configured Loki data source, queried through Grafana as the detail page's logs panel is
 * (so Grafana's auth, caching and query splitting apply). Lines that are not audit events are skipped.
 */
export async function queryAuditEvents({
  datasourceUid,
  expr,
  range,
  maxLines,
}: AuditQuery): Promise<AuditQueryResult> {
  const datasource = { type: 'loki', uid: datasourceUid };
  const ds = await getDataSourceSrv().get(datasource);
  const target: LokiQuery = { refId: 'A', datasource, expr, queryType: 'range', maxLines };
  const request: DataQueryRequest<LokiQuery> = {
    requestId: `${PLUGIN_ID}-history-${++requests}`,
    app: PLUGIN_ID,
    targets: [target],
    range,
    interval: '1m',
    intervalMs: 60_000,
    scopedVars: {},
    timezone: 'utc',
    startTime: Date.now(),
  };
  // A split query answers once per part, each answer holding all parts so far; the last one is the whole result.
  const response = await lastValueFrom(from(ds.query(request)));
  const error = response.errors?.[0];
  if (error) {
    throw new Error(error.message ?? 'the Loki query failed');
  }
  const frames = response.data as DataFrame[];
  const lines = logLines(frames);
  const events = lines.flatMap((line) => parseAuditLine(line) ?? []);
  return { events, truncated: lines.length >= maxLines, oldestMs: oldestLineMs(frames) };
}

export interface AuditHistoryQuery extends AuditQuery {
  maxPages: number;
}

/** What a walk through a time range has read so far. */
export interface AuditHistory {
  /** The events of every page read, newest page first; lines read twice at a page boundary are in twice. */
  events: AuditEvent[];
  /** Older pages are still being read. */
  reading: boolean;
  /** The walk stopped at its page bound: events of the range older than `readBackTo` were not read. */
  cut: boolean;
  /** Epoch ms of the oldest line read, while older pages are read and when the walk was cut. */
  readBackTo?: number;
}

/**
 * Every audit event of the range, read backwards a page of `maxLines` at a time (see afterPage) until a page is not
 * full or `maxPages` were read. Emits after each page, so the history can show the newest jobs while older pages
 * load; unsubscribing (a new range) stops the walk, and the answer to a page still under way is dropped. A failed
 * page ends it with that error, after the pages before it were emitted.
 */
export function readAuditHistory({ maxPages, ...query }: AuditHistoryQuery): Observable<AuditHistory> {
  return new Observable<AuditHistory>((subscriber) => {
    let stopped = false;
    const walk = async () => {
      let events: AuditEvent[] = [];
      let range = query.range;
      for (let number = 1; !stopped; number++) {
        const page = await queryAuditEvents({ ...query, range });
        if (stopped) {
          return;
        }
        events = [...events, ...page.events];
        const { truncated, oldestMs } = page;
        const step = afterPage({ number, to: range.to.valueOf(), truncated, oldestMs }, maxPages);
        if ('nextTo' in step) {
          subscriber.next({ events, reading: true, cut: false, readBackTo: oldestMs });
          const { from } = query.range;
          const to = dateTime(step.nextTo);
          range = { from, to, raw: { from, to } };
        } else {
          const cut = step.end === 'bound';
          subscriber.next({ events, reading: false, cut, ...(cut && { readBackTo: step.oldestMs }) });
          subscriber.complete();
          return;
        }
      }
    };
    walk().catch((error: Error) => stopped || subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}

/**
 * The log lines of Loki's frames. Grafana's Loki backend (pkg/tsdb/loki/frame.go) names the line field `Line`
 * (fields labels, Time, Line, tsNs, id), or `body` when its logs-dataplane toggle marks the frame `log-lines`.
 */
export function logLines(frames: DataFrame[]): string[] {
  return frames.flatMap((frame) => {
    const name = frame.meta?.type === 'log-lines' ? 'body' : 'Line';
    const field = frame.fields.find((f) => f.name === name);
    return field ? field.values.map(String) : [];
  });
}

const NS_PER_MS = BigInt(1_000_000);

/**
 * The millisecond of the oldest line of Loki's frames. The legacy frame's `tsNs` holds Loki's nanoseconds (its `Time`
 * field, like the dataplane frame's `timestamp`, only milliseconds, the rest in the field's nanos); a page boundary
 * can be set in milliseconds only, so the millisecond is what the next page needs (afterPage).
 */
function oldestLineMs(frames: DataFrame[]): number | undefined {
  let oldest: number | undefined;
  for (const frame of frames) {
    const tsNs = frame.fields.find((f) => f.name === 'tsNs' && f.type === FieldType.string);
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const values: number[] = tsNs
      ? tsNs.values.map((ns: string) => Number(BigInt(ns) / NS_PER_MS))
      : (time?.values.map(Number) ?? []);
    for (const ms of values) {
      oldest = oldest === undefined || ms < oldest ? ms : oldest;
    }
  }
  return oldest;
}
