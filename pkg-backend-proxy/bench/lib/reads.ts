import { performance } from 'node:perf_hooks';
import type { FakeKube, RecordedRequest } from '../../../tests/fake-kube/index.ts';
import { keepAliveAgent, type LoadResult, send } from './http.ts';
import { per1000, summarize, type LatencySummary } from './stats.ts';

/** A read route asked over and over, with what the Kubernetes API received meanwhile. */
export interface ReadFigures {
  requests: number;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  /** Calls the API received during the loop, as `<verb> <resource>`; watches are the caches' steady cost, left out. */
  kubeCallsByVerb: Record<string, number>;
  /** The calls the requests could have caused (see each section), and the same per 1,000 requests. */
  kubeCalls: number;
  kubeCallsPer1000: number;
  itemsPerAnswer: number;
  /** Size of one answer's body, decoded. */
  bodyBytes: number;
}

/** `<verb> <resource>` → count, watches left out. */
export function callsByVerb(requests: readonly RecordedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    if (r.verb !== 'watch') {
      const key = `${r.verb} ${r.resource}`;
      out[key] = (out[key] ?? 0) + 1;
    }
  }
  return out;
}

/**
 * The figures of one loop from its latencies and the calls the API received meanwhile; `counts` picks the calls
 * held against the route (default: all but watches).
 */
export function readFigures(
  load: Pick<LoadResult, 'latencies' | 'failures' | 'failureSamples'>,
  during: readonly RecordedRequest[],
  answer: { items: number; bodyBytes: number },
  counts: (r: RecordedRequest) => boolean = () => true
): ReadFigures {
  const counted = during.filter((r) => r.verb !== 'watch' && counts(r));
  const requests = load.latencies.length + load.failures;
  return {
    requests,
    latencyMs: summarize(load.latencies),
    failures: load.failures,
    failureSamples: load.failureSamples,
    kubeCallsByVerb: callsByVerb(during),
    kubeCalls: counted.length,
    kubeCallsPer1000: per1000(counted.length, requests),
    itemsPerAnswer: answer.items,
    bodyBytes: answer.bodyBytes,
  };
}

export interface ReadLoopOptions {
  fake: FakeKube;
  url: string;
  token: string;
  /** At least this many requests… */
  minRequests: number;
  /** …and until this resolves true (checked between requests), e.g. until enough catalog changes went through. */
  until?: () => boolean;
  /** Gives up after this long even if `until` is not yet true (a wedged writer must not hang the run). */
  maxMs?: number;
  /** Which of the calls received during the loop count against the route (default: all but watches). */
  counts?: (r: RecordedRequest) => boolean;
  /** Ask for gzip, as a browser behind Grafana does (its proxy passes Accept-Encoding on). */
  gzip?: boolean;
}

/**
 * Sequential GETs on one keep-alive connection, as a dashboard refresh sends them; each latency is the request's
 * until its body has been read. The first answer's items are counted, outside the timing.
 */
export async function readLoop(o: ReadLoopOptions): Promise<ReadFigures> {
  const agent = keepAliveAgent(1);
  const headers: Record<string, string> = { authorization: `Bearer ${o.token}` };
  if (o.gzip) {
    headers['accept-encoding'] = 'gzip';
  }
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let items = Number.NaN;
  let bodyBytes = Number.NaN;
  const deadline = Date.now() + (o.maxMs ?? 600_000);
  const mark = o.fake.requests.length;
  try {
    while (latencies.length + failures < o.minRequests || (o.until && !o.until() && Date.now() < deadline)) {
      const start = performance.now();
      const res = await send(agent, o.url, { headers });
      const ms = performance.now() - start;
      if (res.status !== 200) {
        failures += 1;
        if (failureSamples.length < 5) {
          failureSamples.push(`200 expected, got ${res.status}: ${res.body.slice(0, 200)}`);
        }
        continue;
      }
      latencies.push(ms);
      if (Number.isNaN(items)) {
        items = (JSON.parse(res.body) as { items: unknown[] }).items.length;
        bodyBytes = Buffer.byteLength(res.body);
      }
    }
  } finally {
    agent.destroy();
  }
  return readFigures(
    { latencies, failures, failureSamples },
    o.fake.requests.slice(mark),
    { items, bodyBytes },
    o.counts
  );
}
