// Grafana's POST /api/ds/query for the preview's Loki data source: what Grafana's server does with the body that
// DataSourceWithBackend.query() sends (@grafana/runtime utils/DataSourceWithBackend.ts: `{queries, from, to}`, each
// query with its datasource ref, refId, expr, queryType, maxLines, direction) before and after asking Loki.
// Facts from grafana/grafana:
// - pkg/tsdb/loki/parse_query.go: queryType range (default) or instant; direction backward (default, also for
//   `scan`) or forward; maxLines 0 when absent;
// - pkg/tsdb/loki/api.go: `limit` is sent only when maxLines > 0; a non-2xx answer becomes the query's error, with
//   Loki's text (or its JSON `message`) as the message;
// - pkg/tsdb/loki/frame.go (adjustLegacyLogsFrame) and testdata/streams_simple.golden.jsonc: ONE frame per log
//   query, fields labels (json, one label object per row), Time (time, epoch ms), Line (string), tsNs (string,
//   nanoseconds) and id (`<tsNs>_<fnv32 of line + "_" + labels JSON>`, `_<n>` for repeats); meta.custom.frameType
//   "LabeledTimeValues" and executedQueryString "Expr: <expr>"; no frame for an empty result (empty.golden.jsonc);
// - pkg/api/metrics.go (toJsonStreamingResponse): HTTP 400 when any query has an error, else 200; the body is
//   `{results: {<refId>: {status, frames} | {status, error, errorSource}}}` (grafana-plugin-sdk-go's DataResponse
//   JSON); an unknown data source is a 404 "Data source not found".
import { LokiError, type LokiStore, type LokiStream } from './loki.ts';

export interface DsQueryTarget {
  refId?: string;
  datasource?: { type?: string; uid?: string };
  expr?: string;
  queryType?: string;
  direction?: string;
  maxLines?: number;
}

export interface DsQueryBody {
  queries?: DsQueryTarget[];
  from?: string;
  to?: string;
}

/** A data frame as Grafana's server writes it to JSON (grafana-plugin-sdk-go data/frame_json.go). */
export interface FrameJson {
  schema: {
    meta: { custom: { frameType: 'LabeledTimeValues' }; executedQueryString: string };
    fields: Array<{ name: string; type: string; typeInfo: { frame: string } }>;
  };
  data: { values: unknown[][] };
}

export type DataResponseJson =
  { status: 200; frames: FrameJson[] } | { status: number; error: string; errorSource: 'downstream' | 'plugin' };

export interface DsQueryAnswer {
  status: number;
  body: { results: Record<string, DataResponseJson> } | { message: string };
}

/** Go's hash/fnv New32 (FNV-1, not 1a) over the UTF-8 bytes. */
export function fnv32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash = Math.imul(hash, 0x01000193) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash >>> 0;
}

/** Go's json.Marshal of a map: keys sorted. */
const labelsJson = (labels: Record<string, string>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]])
    )
  );

/** The legacy (non-dataplane) logs frame of pkg/tsdb/loki/frame.go for Loki's streams. */
export function logsFrame(streams: LokiStream[], expr: string): FrameJson[] {
  const labels: unknown[] = [];
  const time: number[] = [];
  const line: string[] = [];
  const tsNs: string[] = [];
  const id: string[] = [];
  const seen = new Map<string, number>();
  for (const stream of streams) {
    const text = labelsJson(stream.labels);
    for (const entry of stream.entries) {
      const ns = entry.tsNs.toString();
      const sum = `${ns}_${fnv32(`${entry.line}_${text}`).toString(16)}`;
      const repeats = seen.get(sum) ?? 0;
      seen.set(sum, repeats + 1);
      labels.push(JSON.parse(text));
      time.push(Number(entry.tsNs / 1_000_000n));
      line.push(entry.line);
      tsNs.push(ns);
      id.push(repeats > 0 ? `${sum}_${repeats}` : sum);
    }
  }
  if (time.length === 0) {
    return [];
  }
  const field = (name: string, type: string, frame: string) => ({ name, type, typeInfo: { frame } });
  return [
    {
      schema: {
        meta: { custom: { frameType: 'LabeledTimeValues' }, executedQueryString: `Expr: ${expr}` },
        fields: [
          field('labels', 'other', 'json.RawMessage'),
          field('Time', 'time', 'time.Time'),
          field('Line', 'string', 'string'),
          field('tsNs', 'string', 'string'),
          field('id', 'string', 'string'),
        ],
      },
      data: { values: [labels, time, line, tsNs, id] },
    },
  ];
}

/** Grafana's time range of the request: DataSourceWithBackend sends epoch milliseconds as strings. */
function epochNs(value: string | undefined, name: string): bigint {
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new RangeError(`${name} must be epoch milliseconds, as DataSourceWithBackend sends it (got ${value})`);
  }
  return BigInt(value) * 1_000_000n;
}

function answerOne(store: LokiStore, target: DsQueryTarget, startNs: bigint, endNs: bigint): DataResponseJson {
  const queryType = target.queryType ?? 'range';
  const direction = target.direction ?? 'backward';
  if (queryType !== 'range' && queryType !== 'instant') {
    return { status: 500, error: `invalid queryType: ${queryType}`, errorSource: 'plugin' };
  }
  if (!['backward', 'forward', 'scan'].includes(direction)) {
    return { status: 500, error: `invalid queryDirection: ${direction}`, errorSource: 'plugin' };
  }
  const expr = target.expr ?? '';
  try {
    if (queryType === 'instant') {
      throw new LokiError(`the preview's Loki stand-in answers range queries only (got an instant query: ${expr})`);
    }
    const streams = store.queryRange({
      expr,
      startNs,
      endNs,
      limit: target.maxLines && target.maxLines > 0 ? target.maxLines : 0,
      direction: direction === 'forward' ? 'forward' : 'backward',
    });
    return { status: 200, frames: logsFrame(streams, expr) };
  } catch (err) {
    if (err instanceof LokiError) {
      return { status: err.status, error: err.message, errorSource: 'downstream' };
    }
    throw err;
  }
}

/** Answers /api/ds/query for the data sources the preview has (uid → its store). */
export function answerDsQuery(stores: ReadonlyMap<string, LokiStore>, body: DsQueryBody): DsQueryAnswer {
  const queries = body.queries ?? [];
  if (queries.length === 0) {
    return { status: 400, body: { message: 'No queries found' } };
  }
  let startNs: bigint;
  let endNs: bigint;
  try {
    startNs = epochNs(body.from, 'from');
    endNs = epochNs(body.to, 'to');
  } catch (err) {
    return { status: 400, body: { message: (err as Error).message } };
  }
  const results: Record<string, DataResponseJson> = {};
  for (const target of queries) {
    const store = stores.get(target.datasource?.uid ?? '');
    if (!store) {
      return { status: 404, body: { message: 'Data source not found' } };
    }
    results[target.refId ?? 'A'] = answerOne(store, target, startNs, endNs);
  }
  const failed = Object.values(results).some((r) => 'error' in r);
  return { status: failed ? 400 : 200, body: { results } };
}

/** What Fluent Bit's `Time_Format %Y-%m-%dT%H:%M:%S.%LZ` and the kubelet's RFC 3339 nano stamps give Loki. */
export function isoToNs(iso: string): bigint {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!match) {
    throw new RangeError(`not an RFC 3339 UTC time: ${iso}`);
  }
  const seconds = BigInt(Date.parse(`${match[1]}Z`)) / 1000n;
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
