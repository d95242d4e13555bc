import { from, lastValueFrom } from 'rxjs';
import type { DataFrame, DataQueryRequest, TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';
import { parseAuditLine } from '@flowkube/backend-proxy/contract';
import type { AuditEvent } from '../api/types';
import { PLUGIN_ID } from '../constants';

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
  const lines = logLines(response.data as DataFrame[]);
  const events = lines.flatMap((line) => parseAuditLine(line) ?? []);
  return { events, truncated: lines.length >= maxLines };
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
