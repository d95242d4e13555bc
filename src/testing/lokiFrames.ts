import { from, of } from 'rxjs';
import {
  type DataFrameJSON,
  DataFrameType,
  type DataQueryRequest,
  type DataQueryResponse,
  FieldType,
} from '@grafana/data';
import { type DataSourceSrv, setDataSourceSrv, toDataQueryResponse } from '@grafana/runtime';
import { AUDIT_STREAM_LABELS } from '@flowkube/backend-proxy/contract';
import type { AuditEvent } from '../api/types';
import type { LokiQuery } from '../services/historySource';

// Canned answers of Grafana's Loki data source to a log query, in the wire shape of `/api/ds/query`, as its backend
// builds them: grafana/grafana pkg/tsdb/loki/frame.go (adjustLegacyLogsFrame, adjustDataplaneLogsFrame,
// makeIdField) and its golden files pkg/tsdb/loki/testdata/streams_simple.golden.jsonc (fields labels, Time, Line,
// tsNs, id; meta.custom.frameType "LabeledTimeValues") and testdata_dataplane/streams_simple.golden.jsonc (fields
// attributes, timestamp, body, id; meta.type "log-lines", nanos of the time field). The browser side turns them into
// frames with toDataQueryResponse, as DataSourceWithBackend does.

export interface LokiLine {
  line: string;
  /** Nanoseconds since the epoch, as Loki gives them (a string: they do not fit a JS number). */
  tsNs: string;
  labels?: Record<string, string>;
}

/** Go's hash/fnv New32 (FNV-1, not 1a), which makeIdField uses for the row id. */
function fnv1(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash, 0x01000193) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash.toString(16);
}

function rowIds(lines: LokiLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map(({ line, tsNs, labels }) => {
    const sum = `${tsNs}_${fnv1(`${line}_${JSON.stringify(labels ?? {})}`)}`;
    const count = seen.get(sum) ?? 0;
    seen.set(sum, count + 1);
    return count > 0 ? `${sum}_${count}` : sum;
  });
}

const field = (name: string, type: FieldType, goType: string) => ({ name, type, typeInfo: { frame: goType } });

const NS_PER_MS = BigInt(1_000_000);

/** One stream's lines as the frame Grafana's Loki backend sends, legacy or (toggle lokiLogsDataplane) dataplane. */
export function lokiLogFrame(lines: LokiLine[], { dataplane = false, expr = '' } = {}): DataFrameJSON {
  const labels = lines.map((l) => l.labels ?? { ...AUDIT_STREAM_LABELS });
  const ms = lines.map((l) => Number(BigInt(l.tsNs) / NS_PER_MS));
  const text = lines.map((l) => l.line);
  const ids = rowIds(lines);
  const stats = [{ displayName: 'Summary: total lines processed', value: lines.length }];
  if (dataplane) {
    return {
      schema: {
        meta: { type: DataFrameType.LogLines, typeVersion: [0, 0], stats, executedQueryString: `Expr: ${expr}` },
        fields: [
          field('attributes', FieldType.other, 'json.RawMessage'),
          field('timestamp', FieldType.time, 'time.Time'),
          field('body', FieldType.string, 'string'),
          field('id', FieldType.string, 'string'),
        ],
      },
      data: {
        values: [labels, ms, text, ids],
        nanos: [null, lines.map((l) => Number(BigInt(l.tsNs) % NS_PER_MS)), null, null],
      },
    };
  }
  return {
    schema: {
      meta: { custom: { frameType: 'LabeledTimeValues' }, stats, executedQueryString: `Expr: ${expr}` },
      fields: [
        field('labels', FieldType.other, 'json.RawMessage'),
        field('Time', FieldType.time, 'time.Time'),
        field('Line', FieldType.string, 'string'),
        field('tsNs', FieldType.string, 'string'),
        field('id', FieldType.string, 'string'),
      ],
    },
    data: { values: [labels, ms, text, lines.map((l) => l.tsNs), ids] },
  };
}

/** Audit events as the lines the proxy writes (compact JSON), newest first as Loki's backward direction returns. */
export function auditLines(events: AuditEvent[]): LokiLine[] {
  return events
    .map((e, i) => ({ line: JSON.stringify(e), tsNs: `${BigInt(Date.parse(e.time)) * NS_PER_MS + BigInt(i)}` }))
    .sort((a, b) => (BigInt(b.tsNs) > BigInt(a.tsNs) ? 1 : -1));
}

export type LokiAnswer = { frames: DataFrameJSON[] } | { error: string; status: number };

/**
 * Answers like Loki's query_range over `lines`: those in [range.from, range.to) (end exclusive, in nanoseconds:
 * grafana/loki pkg/chunkenc/unordered.go), newest first, at most `maxLines` of them (Loki's `limit`).
 */
export function lokiQueryRange(lines: LokiLine[]): (request: DataQueryRequest<LokiQuery>) => LokiAnswer {
  return ({ range, targets }) => {
    const from = BigInt(range.from.valueOf()) * NS_PER_MS;
    const to = BigInt(range.to.valueOf()) * NS_PER_MS;
    const inRange = lines
      .filter((l) => BigInt(l.tsNs) >= from && BigInt(l.tsNs) < to)
      .sort((a, b) => (BigInt(b.tsNs) > BigInt(a.tsNs) ? 1 : BigInt(b.tsNs) < BigInt(a.tsNs) ? -1 : 0));
    const page = inRange.slice(0, targets[0].maxLines);
    return { frames: page.length > 0 ? [lokiLogFrame(page)] : [] };
  };
}

/**
 * A data source service with one Loki data source (`uid`) whose `query` answers each request through `answer`, as
 * an Observable of what toDataQueryResponse makes of the `/api/ds/query` body; an answer given as a promise arrives
 * when it settles (a query still under way). Returns the requests it received.
 */
export function installLoki(
  uid: string,
  answer: (request: DataQueryRequest<LokiQuery>) => LokiAnswer | Promise<LokiAnswer>
): { requests: Array<DataQueryRequest<LokiQuery>> } {
  const requests: Array<DataQueryRequest<LokiQuery>> = [];
  const datasource = {
    uid,
    type: 'loki',
    query(request: DataQueryRequest<LokiQuery>) {
      requests.push(request);
      const refId = request.targets[0].refId;
      const respond = (result: LokiAnswer): DataQueryResponse => {
        const body = 'error' in result ? { error: result.error, status: result.status } : { status: 200, ...result };
        return toDataQueryResponse({ data: { results: { [refId]: body } } }, request.targets);
      };
      const result = answer(request);
      return result instanceof Promise ? from(result.then(respond)) : of(respond(result));
    },
  };
  const srv: Partial<DataSourceSrv> = {
    get: async (ref) => {
      const wanted = typeof ref === 'string' ? ref : ref?.uid;
      if (wanted !== uid) {
        throw new Error(`Datasource ${wanted} was not found`);
      }
      return datasource as never;
    },
  };
  setDataSourceSrv(srv as DataSourceSrv);
  return { requests };
}
