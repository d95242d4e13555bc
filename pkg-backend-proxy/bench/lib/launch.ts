import { randomUUID } from 'node:crypto';
import type { FakeKube } from '../../../tests/fake-kube/index.ts';
import { renderPod } from '../../src/catalog/render-pod.ts';
import type { CatalogTemplate } from '../../src/catalog/schema.ts';
import { requestHash } from '../../src/jobs/names.ts';
import { keepAliveAgent, runLoad, send, unexpected, type LoadResult } from './http.ts';
import { summarize, throughput, type LatencySummary } from './stats.ts';

export interface LaunchOptions {
  fake: FakeKube;
  proxyUrl: string;
  /** CPU ms the proxy process has used so far (it runs elsewhere, so this process cannot count it). */
  proxyCpuMs: () => number;
  launchToken: string;
  namespace: string;
  template: CatalogTemplate;
  launches: number;
  warmup: number;
  concurrency: number;
  /** Direct and proxy runs alternate this many times, so a noisy neighbour hurts both sides alike. */
  rounds: number;
  /** Launches per side sent one at a time: the proxy's own added latency, without queueing. */
  serialLaunches: number;
}

export interface SideFigures {
  requests: number;
  throughputPerSecond: number;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  /** Pod-create calls the fake API received per request sent (1 unless something retried). */
  kubeCreatesPerRequest: number;
  /** Every call the fake API received per request sent, by verb (watch reconnects included; Lease calls as `leases:<verb>`). */
  kubeCallsPerRequest: Record<string, number>;
  /**
   * CPU ms per request of this process (load generator + fake API) and of the proxy process: where the time went,
   * and whether the proxy made the API server's work dearer (e.g. a new connection per create).
   */
  benchCpuMsPerRequest: number;
  proxyCpuMsPerRequest: number;
}

export interface LaunchFigures {
  direct: SideFigures;
  proxy: SideFigures;
  /** proxy throughput ÷ direct throughput. */
  ratio: number;
  /** proxy p99 − direct p99, in ms. */
  p99OverheadMs: number;
  /** One launch at a time: at concurrency 32 on a small machine the p99s are mostly queueing, this is not. */
  serial: { direct: LatencySummary; proxy: LatencySummary; p50OverheadMs: number; p99OverheadMs: number };
}

const PARAMS = { message: 'bench' };

interface Tally {
  load: LoadResult[];
  calls: Record<string, number>;
  benchCpuMs: number;
  proxyCpuMs: number;
}

function figures(t: Tally): SideFigures {
  const latencies = t.load.flatMap((l) => l.latencies);
  const failures = t.load.reduce((n, l) => n + l.failures, 0);
  const elapsed = t.load.reduce((n, l) => n + l.elapsedMs, 0);
  const requests = latencies.length + failures;
  return {
    requests,
    throughputPerSecond: throughput(latencies.length, elapsed),
    latencyMs: summarize(latencies),
    failures,
    failureSamples: t.load.flatMap((l) => l.failureSamples).slice(0, 5),
    kubeCreatesPerRequest: requests > 0 ? (t.calls.create ?? 0) / requests : Number.NaN,
    kubeCallsPerRequest: Object.fromEntries(Object.entries(t.calls).map(([verb, n]) => [verb, n / requests])),
    benchCpuMsPerRequest: requests > 0 ? t.benchCpuMs / requests : Number.NaN,
    proxyCpuMsPerRequest: requests > 0 ? t.proxyCpuMs / requests : Number.NaN,
  };
}

/** Splits n into `parts` near-equal whole parts. */
export function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/**
 * Launch throughput at a fixed concurrency: POST /api/v1/jobs through the proxy against the same Pod creates sent
 * straight to the API server, which is the floor the proxy cannot beat.
 */
export async function benchLaunches(o: LaunchOptions): Promise<LaunchFigures> {
  const agent = keepAliveAgent(o.concurrency);
  const podsUrl = `${o.fake.url}/api/v1/namespaces/${o.namespace}/pods`;
  const kubeHeaders = { authorization: `Bearer ${o.fake.token}`, 'content-type': 'application/json' };
  // Rendered ahead of time: the baseline is the API server's cost alone, not the benchmark's. Numbered names,
  // because thousands of random 5-letter suffixes collide now and then and a 409 is not what is measured.
  let podNumber = 0;
  const podBody = (): string =>
    JSON.stringify(
      renderPod({
        template: o.template,
        params: PARAMS,
        name: `${o.template.id}-direct-${podNumber++}`,
        namespace: o.namespace,
        launchedBy: 'bench',
        requestHash: requestHash(o.template.id, PARAMS),
        launchId: randomUUID(),
      })
    );
  const launchBody = JSON.stringify({ template: o.template.id, params: PARAMS });
  const proxyHeaders = {
    authorization: `Bearer ${o.launchToken}`,
    'content-type': 'application/json',
    'x-grafana-user': 'bench',
  };

  const render = (n: number): string[] => Array.from({ length: n }, podBody);
  const direct = (bodies: string[], concurrency = o.concurrency): Promise<LoadResult> =>
    runLoad(bodies.length, concurrency, async (i) =>
      unexpected(201, await send(agent, podsUrl, { method: 'POST', headers: kubeHeaders, body: bodies[i] }))
    );
  const viaProxy = (n: number, concurrency = o.concurrency): Promise<LoadResult> =>
    runLoad(n, concurrency, async () =>
      unexpected(
        201,
        await send(agent, `${o.proxyUrl}/api/v1/jobs`, { method: 'POST', headers: proxyHeaders, body: launchBody })
      )
    );
  const counted = async (tally: Tally, run: () => Promise<LoadResult>): Promise<void> => {
    const seen = o.fake.requests.length;
    const cpu = process.cpuUsage();
    const proxyCpu = o.proxyCpuMs();
    tally.load.push(await run());
    const used = process.cpuUsage(cpu);
    tally.benchCpuMs += (used.user + used.system) / 1000;
    tally.proxyCpuMs += o.proxyCpuMs() - proxyCpu;
    for (const r of o.fake.requests.slice(seen)) {
      // Pod calls by verb; the launch slots' Lease calls apart, as `leases:<verb>`
      const key = r.resource === 'leases' ? `leases:${r.verb}` : r.verb;
      tally.calls[key] = (tally.calls[key] ?? 0) + 1;
    }
  };

  try {
    // Warm-up: JIT, connection pools, the proxy's caches; not counted.
    await direct(render(o.warmup));
    await viaProxy(o.warmup);
    const d: Tally = { load: [], calls: {}, benchCpuMs: 0, proxyCpuMs: 0 };
    const p: Tally = { load: [], calls: {}, benchCpuMs: 0, proxyCpuMs: 0 };
    for (const n of split(o.launches, Math.max(1, o.rounds))) {
      const bodies = render(n);
      await counted(d, () => direct(bodies));
      await counted(p, () => viaProxy(n));
    }
    const serialDirect = summarize((await direct(render(o.serialLaunches), 1)).latencies);
    const serialProxy = summarize((await viaProxy(o.serialLaunches, 1)).latencies);
    const df = figures(d);
    const pf = figures(p);
    return {
      direct: df,
      proxy: pf,
      ratio: pf.throughputPerSecond / df.throughputPerSecond,
      p99OverheadMs: pf.latencyMs.p99 - df.latencyMs.p99,
      serial: {
        direct: serialDirect,
        proxy: serialProxy,
        p50OverheadMs: serialProxy.p50 - serialDirect.p50,
        p99OverheadMs: serialProxy.p99 - serialDirect.p99,
      },
    };
  } finally {
    agent.destroy();
  }
}
