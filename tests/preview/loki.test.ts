// The preview's Loki stand-in against what it cites: Grafana's logs frame (pkg/tsdb/loki/frame.go and its golden
// file), Grafana's /api/ds/query answers, and Loki's evaluation of the queries FlowKube sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterPage, HISTORY_MAX_PAGES } from '../../src/services/historyPages.ts';
import { HISTORY_MAX_LINES, historyExpr, jobHistoryExpr } from '../../src/services/historyQueries.ts';
import { jobLogsExpr } from '../../src/services/jobQueries.ts';
import { LokiError, LokiStore } from './loki.ts';
import { answerDsQuery, type DataResponseJson, fnv32, type FrameJson, isoToNs, logsFrame } from './lokiQuery.ts';
import { shipAuditLine, shipWorkerLine } from './lokiShipper.ts';

const AUDIT = { app: 'flowkube-proxy', stream: 'audit' };
const s = (seconds: number) => BigInt(seconds) * 1_000_000_000n;
const audit = (event: string, jobId: string, seconds: number, extra: object = {}) =>
  JSON.stringify({
    audit: true,
    eventId: `${jobId}:${event}`,
    event,
    time: new Date(seconds * 1000).toISOString(),
    jobId,
    ...extra,
  });

function storeWith(lines: Array<[number, string]>): LokiStore {
  const store = new LokiStore();
  for (const [seconds, line] of lines) {
    store.push(AUDIT, { tsNs: s(seconds), line });
  }
  return store;
}

const lines = (
  store: LokiStore,
  expr: string,
  range: [number, number] = [0, 1000],
  limit = 0,
  direction = 'backward'
) =>
  store
    .queryRange({ expr, startNs: s(range[0]), endNs: s(range[1]), limit, direction: direction as 'backward' })
    .flatMap((stream) => stream.entries.map((e) => e.line));

describe('the logs frame, as pkg/tsdb/loki/frame.go builds it', () => {
  it('hashes like Go fnv.New32: the id of a row of testdata/streams_simple.golden.jsonc', () => {
    // row 1 of the golden file: line "log line error 1", labels {"code":"one\",","location":"moon🌙"}, id
    // 1645030244810757120_1d8c2178_ (that version appended the refId, "" there, after another "_")
    const labels = JSON.stringify({ code: 'one",', location: 'moon🌙' });
    assert.equal(fnv32(`log line error 1_${labels}`).toString(16), '1d8c2178');
  });

  it('is one frame of fields labels, Time, Line, tsNs, id with the legacy meta; no frame for no lines', () => {
    const [frame, ...more] = logsFrame(
      [
        {
          labels: { location: 'moon', code: 'x' },
          entries: [
            { tsNs: 1645030244810757120n, line: 'a' },
            { tsNs: 1645030244810757120n, line: 'a' },
          ],
        },
        { labels: { code: 'y' }, entries: [{ tsNs: 1645030245000000000n, line: 'b' }] },
      ],
      '{code=~".+"}'
    ) as FrameJson[];
    assert.equal(more.length, 0);
    assert.deepEqual(
      frame.schema.fields.map((f) => [f.name, f.type, f.typeInfo.frame]),
      [
        ['labels', 'other', 'json.RawMessage'],
        ['Time', 'time', 'time.Time'],
        ['Line', 'string', 'string'],
        ['tsNs', 'string', 'string'],
        ['id', 'string', 'string'],
      ]
    );
    assert.deepEqual(frame.schema.meta, {
      custom: { frameType: 'LabeledTimeValues' },
      executedQueryString: 'Expr: {code=~".+"}',
    });
    const [labels, time, line, tsNs, id] = frame.data.values;
    assert.deepEqual(labels, [{ code: 'x', location: 'moon' }, { code: 'x', location: 'moon' }, { code: 'y' }]);
    assert.deepEqual(time, [1645030244810, 1645030244810, 1645030245000]);
    assert.deepEqual(line, ['a', 'a', 'b']);
    assert.deepEqual(tsNs, ['1645030244810757120', '1645030244810757120', '1645030245000000000']);
    const hash = fnv32(`a_${JSON.stringify({ code: 'x', location: 'moon' })}`).toString(16);
    assert.deepEqual(id.slice(0, 2), [`1645030244810757120_${hash}`, `1645030244810757120_${hash}_1`]);
    assert.deepEqual(logsFrame([], '{a="b"}'), []);
  });
});

describe("Grafana's /api/ds/query for the Loki data source", () => {
  const store = storeWith([
    [10, audit('launched', 'basic-a', 10)],
    [20, audit('finished', 'basic-a', 20, { phase: 'Succeeded' })],
  ]);
  const stores = new Map([['loki-uid', store]]);
  const body = (expr: string, extra: object = {}) => ({
    queries: [{ refId: 'A', datasource: { type: 'loki', uid: 'loki-uid' }, expr, queryType: 'range', ...extra }],
    from: '0',
    to: '100000',
  });

  it('answers 200 with the frames of each refId', () => {
    const answer = answerDsQuery(stores, body(historyExpr(), { maxLines: 5000 }));
    assert.equal(answer.status, 200);
    const result = (answer.body as { results: Record<string, DataResponseJson> }).results.A;
    assert.ok('frames' in result);
    assert.equal(result.status, 200);
    assert.deepEqual(result.frames[0].data.values[2], [
      audit('finished', 'basic-a', 20, { phase: 'Succeeded' }),
      audit('launched', 'basic-a', 10),
    ]);
  });

  it("answers 400 with Loki's parse error as the query's error, and refuses what the stand-in does not evaluate", () => {
    for (const [expr, message] of [
      ['{app="flowkube-proxy"', /^parse error at line 1, col \d+: syntax error/],
      ['sum(rate({app="flowkube-proxy"}[1m]))', /does not evaluate MetricExpr/],
      ['{app="flowkube-proxy"} | logfmt', /does not evaluate LogfmtParser/],
      ['{app="flowkube-proxy"} |= "a" or "b"', /does not evaluate LineFilter/],
      ['{app=~".*"}', /at least one regexp or equality matcher that does not have an empty-compatible value/],
    ] as const) {
      const answer = answerDsQuery(stores, body(expr));
      assert.equal(answer.status, 400, expr);
      const result = (answer.body as { results: Record<string, DataResponseJson> }).results.A;
      assert.ok('error' in result, expr);
      assert.equal(result.status, 400);
      assert.equal(result.errorSource, 'downstream');
      assert.match(result.error, message);
    }
  });

  it('refuses a limit above max_entries_limit_per_query and a range above max_query_length, as Loki does', () => {
    const tooMany = answerDsQuery(stores, body(historyExpr(), { maxLines: 5001 }));
    assert.match(JSON.stringify(tooMany.body), /max_entries_limit_per_query \(5001 > 5000\)/);
    const long = answerDsQuery(stores, { ...body(historyExpr()), to: String(722 * 3600 * 1000) });
    assert.match(JSON.stringify(long.body), /the query time range exceeds the limit \(query length: 722h0m0s/);
  });

  it('answers 404 for a data source it does not have, and 400 for a body without queries', () => {
    assert.equal(answerDsQuery(new Map(), body(historyExpr())).status, 404);
    assert.equal(answerDsQuery(stores, { from: '0', to: '1' }).status, 400);
  });
});

describe("Loki's evaluation of FlowKube's queries", () => {
  it('keeps the job transitions for the history, drops schedule events and other streams', () => {
    const store = storeWith([
      [1, audit('launched', 'a', 1)],
      [2, JSON.stringify({ audit: true, eventId: 's:schedule_created', event: 'schedule_created', time: 'x' })],
      [3, audit('purged', 'a', 3)],
    ]);
    store.push({ app: 'flowkube-proxy', stream: 'access' }, { tsNs: s(4), line: audit('launched', 'b', 4) });
    assert.deepEqual(lines(store, historyExpr()), [audit('purged', 'a', 3), audit('launched', 'a', 1)]);
  });

  it('finds one job by id: the line filter and the parsed jobId, not a job whose id starts the same', () => {
    const store = storeWith([
      [1, audit('launched', 'basic-a', 1)],
      [2, audit('launched', 'basic-ab', 2)],
      [3, audit('finished', 'basic-a', 3)],
    ]);
    assert.deepEqual(lines(store, jobHistoryExpr('basic-a'), undefined, 0, 'forward'), [
      audit('launched', 'basic-a', 1),
      audit('finished', 'basic-a', 3),
    ]);
  });

  it("selects a job's log lines by its Pod (structured metadata) and the level regex", () => {
    const store = new LokiStore();
    const stream = { namespace: 'flowkube-jobs', job_type: 'log-gen', container: 'worker' };
    const push = (seconds: number, pod: string, level: string) =>
      store.push(stream, { tsNs: s(seconds), line: JSON.stringify({ level, pod, seed: 1 }), metadata: { pod, level } });
    push(1, 'log-gen-a', 'INFO');
    push(2, 'log-gen-a', 'WARN');
    push(3, 'log-gen-b', 'INFO');
    assert.equal(lines(store, jobLogsExpr('log-gen', 'log-gen-a', '.+')).length, 2);
    assert.equal(lines(store, jobLogsExpr('log-gen', 'log-gen-a', '(WARN|ERROR)')).length, 1);
    assert.equal(lines(store, jobLogsExpr('basic', 'log-gen-a', '.+')).length, 0);
  });

  it('returns the newest (backward) or oldest (forward) `limit` lines of [start, end)', () => {
    const store = storeWith([1, 2, 3, 4, 5].map((n) => [n, `{"n":${n}}`]));
    const expr = '{app="flowkube-proxy"}';
    assert.deepEqual(lines(store, expr, [2, 5]), ['{"n":4}', '{"n":3}', '{"n":2}'], 'start inclusive, end exclusive');
    assert.deepEqual(lines(store, expr, [0, 10], 2), ['{"n":5}', '{"n":4}']);
    assert.deepEqual(lines(store, expr, [0, 10], 2, 'forward'), ['{"n":1}', '{"n":2}']);
    const many = storeWith(Array.from({ length: 150 }, (_, n) => [n, `{"n":${n}}`] as [number, string]));
    assert.equal(lines(many, expr).length, 100, "Loki's default limit");
  });

  it('returns entries of one nanosecond in write order forward and in reverse backward', () => {
    const store = storeWith([
      [1, '{"n":"a"}'],
      [1, '{"n":"b"}'],
      [2, '{"n":"c"}'],
    ]);
    const expr = '{app="flowkube-proxy"}';
    assert.deepEqual(lines(store, expr, [0, 10], 0, 'forward'), ['{"n":"a"}', '{"n":"b"}', '{"n":"c"}']);
    assert.deepEqual(lines(store, expr, [0, 10], 2), ['{"n":"c"}', '{"n":"b"}']);
  });

  it('gives | json labels as Loki does: raw numbers, nested keys joined, a clash renamed, invalid JSON marked', () => {
    const store = new LokiStore();
    store.push({ app: 'x' }, { tsNs: s(1), line: '{"seed":12345678901234567891,"a":{"b-c":true},"app":"y"}' });
    store.push({ app: 'x' }, { tsNs: s(2), line: 'not json' });
    const streams = store.queryRange({
      expr: '{app="x"} | json',
      startNs: 0n,
      endNs: s(10),
      limit: 0,
      direction: 'forward',
    });
    assert.deepEqual(
      streams.map((st) => st.labels),
      [
        { app: 'x', seed: '12345678901234567891', a_b_c: 'true', app_extracted: 'y' },
        { app: 'x', __error__: 'JSONParserErr', __error_details__: streams[1].labels.__error_details__ },
      ]
    );
  });

  it('stores an identical entry once (two replicas writing the same event)', () => {
    const store = new LokiStore();
    assert.equal(store.push(AUDIT, { tsNs: s(1), line: 'x' }), true);
    assert.equal(store.push(AUDIT, { tsNs: s(1), line: 'x' }), false);
    assert.equal(store.push(AUDIT, { tsNs: s(2), line: 'x' }), true);
    assert.equal(store.count(AUDIT), 2);
  });

  it('throws LokiError (a 400) for the queries it refuses', () => {
    assert.throws(
      () => new LokiStore().queryRange({ expr: '{', startNs: 0n, endNs: 1n, limit: 0, direction: 'backward' }),
      LokiError
    );
  });
});

describe('the shipping of lines, as the Fluent Bit values set them', () => {
  it('puts an audit line at its own time in the audit stream, without the newline', () => {
    const store = new LokiStore();
    shipAuditLine(store, `${audit('launched', 'a', 7)}\n`);
    shipAuditLine(store, 'not an event\n');
    const [stream] = store.queryRange({
      expr: historyExpr(),
      startNs: 0n,
      endNs: s(10),
      limit: 0,
      direction: 'forward',
    });
    assert.deepEqual(stream.entries, [{ tsNs: s(7), line: audit('launched', 'a', 7) }]);
    assert.deepEqual(stream.labels, { ...AUDIT, event: 'launched' });
  });

  it("labels a worker line with the Pod's namespace, job_type and container, and pod and level as metadata", () => {
    const store = new LokiStore();
    const pod = { metadata: { name: 'log-gen-x', namespace: 'flowkube-jobs', labels: { job_type: 'log-gen' } } };
    shipWorkerLine(store, pod, 'worker', '2026-12-02T06:00:00.123456789Z {"level":"WARN","msg":"m"}');
    const [stream] = store.queryRange({
      expr: jobLogsExpr('log-gen', 'log-gen-x', 'WARN'),
      startNs: isoToNs('2026-12-02T00:00:00Z'),
      endNs: isoToNs('2026-12-03T00:00:00Z'),
      limit: 0,
      direction: 'forward',
    });
    assert.deepEqual(stream.entries, [
      { tsNs: isoToNs('2026-12-02T06:00:00.123456789Z'), line: '{"level":"WARN","msg":"m"}' },
    ]);
    assert.equal(isoToNs('2026-12-02T06:00:00.123456789Z') % 1_000_000_000n, 123456789n);
    assert.deepEqual(stream.labels, {
      namespace: 'flowkube-jobs',
      job_type: 'log-gen',
      container: 'worker',
      pod: 'log-gen-x',
      level: 'WARN',
      level_extracted: 'WARN',
      msg: 'm',
    });
  });
});

describe("History's backward paging (src/services/historyPages.ts) through Grafana's /api/ds/query", () => {
  // 12,000 job transitions, three in each millisecond (so pages of 5,000 end inside one), 1 µs apart
  const base = Date.parse('2026-12-01T00:00:00Z');
  const store = new LokiStore();
  for (let n = 0; n < 12_000; n++) {
    const ms = base + Math.floor(n / 3);
    store.push(AUDIT, { tsNs: BigInt(ms) * 1_000_000n + BigInt((n % 3) * 1000), line: audit('launched', `j${n}`, 0) });
  }
  const stores = new Map([['loki-uid', store]]);
  /** One page of [from, to) (epoch ms, as DataSourceWithBackend sends the range). */
  const ask = (from: number, to: number) => {
    const answer = answerDsQuery(stores, {
      queries: [
        {
          refId: 'A',
          datasource: { type: 'loki', uid: 'loki-uid' },
          expr: historyExpr(),
          queryType: 'range',
          maxLines: HISTORY_MAX_LINES,
        },
      ],
      from: String(from),
      to: String(to),
    });
    const result = (answer.body as { results: Record<string, DataResponseJson> }).results.A;
    assert.ok('frames' in result);
    const [labels, time, line] = result.frames[0]?.data.values ?? [[], [], []];
    return { time: time as number[], line: line as string[], count: labels.length };
  };

  it('reads every line once its millisecond is read again at each page boundary', () => {
    const read = new Set<string>();
    const ends: number[] = [];
    let to = base + 4000;
    let reads = 0;
    for (let number = 1; ; number++) {
      const page = ask(base, to);
      ends.push(to - base);
      reads += page.count;
      page.line.forEach((l) => read.add(JSON.parse(l).eventId));
      const truncated = page.count >= HISTORY_MAX_LINES;
      const step = afterPage({ number, to, truncated, oldestMs: Math.min(...page.time) }, HISTORY_MAX_PAGES);
      if (!('nextTo' in step)) {
        assert.deepEqual(step, { end: 'whole' });
        break;
      }
      to = step.nextTo;
    }
    // page 1 is lines 11999…7000: its oldest, 7000, shares ms 2333 with 6999 (not on the page) and 7001, so page 2
    // ends at 2334 and is 7001…2002; page 3 ends at 668 (ms 667: 2001, 2002, 2003) and is not full
    assert.deepEqual(ends, [4000, 2334, 668]);
    assert.equal(read.size, 12_000);
    assert.equal(reads, 12_000 + 2 + 2, 'the lines of each boundary millisecond read a second time');
  });

  it("ends a page before the line of its `to` millisecond's first nanosecond (Loki's end is exclusive)", () => {
    // ms base+1 holds lines 3, 4, 5 (at +0, +1 and +2 µs): an end of base+1 leaves all of them out
    assert.equal(ask(base, base + 1).count, 3);
    assert.equal(ask(base, base + 2).count, 6);
  });
});
