import { lastValueFrom, toArray } from 'rxjs';
import { dateTime } from '@grafana/data';
import type { AuditEvent } from '../api/types';
import { jobEvents } from '../testing/auditEvents';
import {
  auditLines,
  installLoki,
  type LokiAnswer,
  type LokiLine,
  lokiLogFrame,
  lokiQueryRange,
} from '../testing/lokiFrames';
import { historyEntries } from './history';
import { type AuditHistory, type AuditHistoryQuery, queryAuditEvents, readAuditHistory } from './historySource';

const range = {
  from: dateTime('2026-11-26T00:00:00Z'),
  to: dateTime('2026-11-27T00:00:00Z'),
  raw: { from: 'now-24h', to: 'now' },
};
const e = jobEvents();
const events = [e.launched, e.started(), e.finished({ phase: 'Succeeded', exitCode: 0 })];

describe('queryAuditEvents', () => {
  it.each([false, true])('reads the audit events out of Loki’s log frames (dataplane %s)', async (dataplane) => {
    const access = { line: 'incoming request GET /api/v1/jobs', tsNs: '1764194400000000000' };
    const { requests } = installLoki('loki-uid', () => ({
      frames: [lokiLogFrame([...auditLines(events), access], { dataplane })],
    }));
    const result = await queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 100 });
    expect(result.events.map((x) => x.eventId).sort()).toEqual(events.map((x) => x.eventId).sort());
    expect(result.truncated).toBe(false);
    // Loki's time of the oldest line, audit event or not, to the millisecond (tsNs, or the dataplane timestamp)
    expect(result.oldestMs).toBe(1764194400000);
    expect(requests).toHaveLength(1);
    expect(requests[0].targets).toEqual([
      {
        refId: 'A',
        datasource: { type: 'loki', uid: 'loki-uid' },
        expr: '{app="x"}',
        queryType: 'range',
        maxLines: 100,
      },
    ]);
    expect(requests[0].range).toBe(range);
  });

  it('says the answer was cut when Loki returned as many lines as asked for', async () => {
    installLoki('loki-uid', () => ({ frames: [lokiLogFrame(auditLines(events))] }));
    const result = await queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 3 });
    expect(result.truncated).toBe(true);
  });

  it('rejects with Loki’s own message when the query fails', async () => {
    installLoki('loki-uid', () => ({ status: 400, error: 'parse error at line 1, col 5: syntax error' }));
    await expect(queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{', range, maxLines: 100 })).rejects.toThrow(
      'parse error at line 1, col 5: syntax error'
    );
  });

  it('rejects when the configured data source does not exist', async () => {
    installLoki('other', () => ({ frames: [] }));
    await expect(
      queryAuditEvents({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 100 })
    ).rejects.toThrow(/loki-uid was not found/);
  });
});

const NS = BigInt(1_000_000);
/** An event's line at `ms` plus `ns` nanoseconds (Loki's timestamp; several lines may share a millisecond). */
const at = (event: AuditEvent, ms: number, ns = 0): LokiLine => ({
  line: JSON.stringify(event),
  tsNs: String(BigInt(ms) * NS + BigInt(ns)),
});
const T = range.from.valueOf();
const walk = (query: Partial<AuditHistoryQuery> = {}) =>
  readAuditHistory({ datasourceUid: 'loki-uid', expr: '{app="x"}', range, maxLines: 4, maxPages: 20, ...query });

describe('readAuditHistory', () => {
  // job a: launched and started on the oldest page, finished on the newest; b and c share a millisecond with a's
  // start, across the boundary of the first page
  const a = jobEvents({ id: 'basic-a', createdAt: new Date(T + 1000).toISOString() });
  const b = jobEvents({ id: 'basic-b', createdAt: new Date(T + 2000).toISOString() });
  const c = jobEvents({ id: 'basic-c', createdAt: new Date(T + 2000).toISOString() });
  const lines = [
    at(a.launched, T + 1000),
    at(a.started(new Date(T + 2000).toISOString()), T + 2000, 1),
    at(b.launched, T + 2000, 2),
    at(c.launched, T + 2000, 3),
    at(b.finished({ phase: 'Succeeded', exitCode: 0 }, new Date(T + 3000).toISOString()), T + 3000),
    at(c.finished({ phase: 'Failed', exitCode: 1 }, new Date(T + 4000).toISOString()), T + 4000),
    at(a.finished({ phase: 'Succeeded', exitCode: 0 }, new Date(T + 5000).toISOString()), T + 5000),
  ];

  it('reads the range backwards until a page is not full, each page ending 1 ms after the last one’s oldest line', async () => {
    const { requests } = installLoki('loki-uid', lokiQueryRange(lines));
    const progress = await lastValueFrom(walk().pipe(toArray()));
    expect(requests.map((r) => [r.range.from.valueOf(), r.range.to.valueOf()])).toEqual([
      [T, range.to.valueOf()],
      // page 1 ended with c's launch at T+2000 ms (and 3 ns): that millisecond is read again whole, so b's launch
      // and a's start, which share it, are not lost
      [T, T + 2001],
      [T, T + 1001],
    ]);
    expect(progress.map(({ reading, cut, readBackTo }) => ({ reading, cut, readBackTo }))).toEqual([
      { reading: true, cut: false, readBackTo: T + 2000 },
      { reading: true, cut: false, readBackTo: T + 1000 },
      { reading: false, cut: false },
    ]);
    const entries = historyEntries(progress[2].events);
    expect(entries.map((x) => [x.key, x.outcome, x.job?.startedAt])).toEqual([
      ['basic-b', 'Succeeded', undefined],
      ['basic-c', 'Failed', undefined],
      ['basic-a', 'Succeeded', new Date(T + 2000).toISOString()],
    ]);
  });

  it('stops at its page bound and says how far back it read', async () => {
    const { requests } = installLoki('loki-uid', lokiQueryRange(lines));
    const last = await lastValueFrom(walk({ maxLines: 2, maxPages: 2 }));
    expect(requests).toHaveLength(2);
    expect(last).toMatchObject({ reading: false, cut: true, readBackTo: T + 3000 });
    expect(historyEntries(last.events).map((x) => x.key)).toEqual(['basic-b', 'basic-c', 'basic-a']);
  });

  it('stops (as at the bound) when one millisecond holds a whole page, instead of asking for it again', async () => {
    const { requests } = installLoki('loki-uid', lokiQueryRange(lines));
    const last = await lastValueFrom(walk({ maxLines: 3, range: { ...range, to: dateTime(T + 2001) } }));
    expect(requests).toHaveLength(1);
    expect(last).toMatchObject({ cut: true, readBackTo: T + 2000 });
  });

  it('fails with Loki’s message when a later page fails, after emitting the pages before it', async () => {
    installLoki('loki-uid', (request) =>
      request.range.to.valueOf() === range.to.valueOf()
        ? lokiQueryRange(lines)(request)
        : { status: 500, error: 'too many outstanding requests' }
    );
    const seen: AuditHistory[] = [];
    const failure = await new Promise<Error>((resolve) =>
      walk().subscribe({ next: (h) => seen.push(h), error: resolve })
    );
    expect(failure.message).toBe('too many outstanding requests');
    expect(seen.map((h) => [h.reading, h.events.length])).toEqual([[true, 4]]);
  });

  it('asks for no further page once unsubscribed, and drops the answer still under way', async () => {
    let answer: (value: LokiAnswer) => void = () => undefined;
    let asked: () => void = () => undefined;
    const pageTwoAsked = new Promise<void>((resolve) => (asked = resolve));
    const { requests } = installLoki('loki-uid', (request) =>
      requests.length === 1
        ? lokiQueryRange(lines)(request)
        : new Promise<LokiAnswer>((resolve) => {
            answer = resolve;
            asked();
          })
    );
    const emitted: number[] = [];
    const subscription = walk().subscribe({ next: (h) => emitted.push(h.events.length) });
    await pageTwoAsked;
    subscription.unsubscribe();
    answer(lokiQueryRange(lines)(requests[1]));
    // one macrotask: every microtask of the dropped answer has run
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(emitted).toEqual([4]);
    expect(requests).toHaveLength(2);
  });
});
