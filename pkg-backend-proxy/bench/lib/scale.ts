// Issue 12 §5: the Jobs list at 10,000 and 100,000 jobs — pages of a few query mixes through HTTP, the cache's RSS
// and the time from start to ready, beside the same proxy with 0 Pods in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { ANN_AUDIT_WATERMARK } from '../../src/labels.ts';
import { AUDIT_WATERMARK_LEASE } from '../../src/plugins/audit-watermark.ts';
import { SEED_PHASES, writeBenchCatalog } from './fixtures.ts';
import { keepAliveAgent, runLoad, send } from './http.ts';
import { startProxyChild, type ProxyChild } from './proxy-child.ts';
import type { Row } from './report.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface ScaleConfig {
  /** Jobs cached, one proxy per size. */
  sizes: number[];
  /** Requests per query mix and size. */
  requests: number;
  /** Proxies started per size, in rounds of every size; each figure is the median over them. */
  repeats: number;
  logLevel: string;
  proxyEntry?: string;
  proxyNodeArgs?: string[];
}

export interface MixFigures {
  name: string;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  /** Jobs on one page (100 unless the filter matches fewer). */
  items: number;
}

interface ChangesFigures {
  ms: number;
  cpuMs: number;
  bytes: number;
  items: number;
}

export interface ScaleRun {
  pods: number;
  /** Process start to /readyz 200: the first list, in chunks of 500, and the watch running. */
  readyMs: number;
  /** CPU time the proxy used until then: the same work, less what the other processes on the machine cost it. */
  readyCpuMs: number;
  /** VmRSS, the highest of: ready, after every mix (the sync's and the answers' garbage included). */
  rssBytes: number;
  /** V8 heap in use and reserved after the mixes, from the proxy's /metrics: the cache itself versus the slack. */
  heapUsedBytes: number;
  heapTotalBytes: number;
  /**
   * VmRSS and V8 heap in use after a full GC that followed the mixes: what the proxy holds, without garbage. The
   * heap V8 still reserves then tells its slack from native memory (glibc's) in the RSS.
   */
  settledRssBytes: number;
  settledRssAnonBytes: number;
  settledHeapUsedBytes: number;
  settledHeapTotalBytes: number;
  mixes: MixFigures[];
  /**
   * The live loop's first request, `GET /api/v1/changes?since=now` (the cursor alone, as every page opens), and
   * beside it the same request without `since` (the cursor and every job, as the plugin asked before 2026-12-02 and
   * an API caller still may), measured last so their garbage touches no other figure: wall time, the proxy's CPU,
   * the body's size and its job count.
   */
  loopStart: ChangesFigures;
  everyJob: ChangesFigures;
}

export interface ScaleFigures {
  /** The same proxy with 0 Pods: the baseline of every figure. Each figure is the median of the repeats'. */
  empty: ScaleRun;
  runs: ScaleRun[];
  /** Every proxy measured, per size (0 Pods first), in the order started: what the medians were taken of. */
  samples: ScaleRun[][];
}

const NS = 'flowkube-jobs';
const READ_TOKEN = 'bench-read-token-0123456789';
const TEMPLATES = ['basic', 'cpu-load', 'log-gen'] as const;
/** Batches of Pods, created a minute apart, each with its own `message` parameter (what `q` finds). */
const BATCHES = 100;

/** n FlowKube Pods in `namespace`: three templates, a mix of phases and durations, 100 distinct parameter values. */
export function seedJobs(fake: FakeKube, n: number, namespace: string): number {
  const now = Date.now();
  let stored = 0;
  let done = 0;
  for (let b = 0; b < BATCHES; b++) {
    const size = Math.floor(n / BATCHES) + (b < n % BATCHES ? 1 : 0);
    const createdAt = new Date(now - (BATCHES - b) * 60_000);
    let left = size;
    for (const [i, { phase, share }] of SEED_PHASES.entries()) {
      // shares rounded over all batches so far, so that small runs get every phase too
      const due = Math.round((stored + size) * share) - Math.round(stored * share);
      const count = i === SEED_PHASES.length - 1 ? left : Math.min(left, due);
      left -= count;
      if (count <= 0) {
        continue;
      }
      const template = TEMPLATES[b % TEMPLATES.length]!;
      done += fake.seedPodCount(count, {
        namespace,
        phase,
        createdAt,
        finishedAt: phase === 'Running' ? undefined : new Date(createdAt.getTime() + 1000 * (1 + (b % 17))),
        namePrefix: `${template}-${b}-`,
        labels: { 'app.kubernetes.io/managed-by': 'flowkube', 'flowkube.io/template': template, job_type: template },
        annotations: { 'flowkube.io/launched-by': `user${b % 7}`, 'flowkube.io/params': `{"message":"run-${b}"}` },
      });
    }
    stored += size;
  }
  return done;
}

/** The query mixes of the issue; the deep page's token is walked to first (half-way through the jobs). */
const MIXES: Array<{ name: string; query: string }> = [
  { name: 'default sort', query: '' },
  { name: 'sort=duration, template filter', query: 'sort=duration&template=cpu-load' },
  { name: 'q=<substring>, phase filter', query: 'q=run-4&phase=Failed' },
  { name: 'deep continue page', query: 'continue' },
];

async function deepToken(child: ProxyChild, pods: number): Promise<string | undefined> {
  const agent = keepAliveAgent(1);
  const headers = { authorization: `Bearer ${READ_TOKEN}` };
  const limit = Math.max(1, Math.min(1000, Math.floor(pods / 2)));
  let token: string | undefined;
  try {
    for (let walked = 0; walked < pods / 2; walked += limit) {
      const res = await send(
        agent,
        `${child.url}/api/v1/jobs?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
        { headers }
      );
      const next = (JSON.parse(res.body) as { continue?: string }).continue;
      if (!next) {
        break;
      }
      token = next;
    }
    return token;
  } finally {
    agent.destroy();
  }
}

async function measure(child: ProxyChild, pods: number, requests: number, readyMs: number): Promise<ScaleRun> {
  const readyCpuMs = child.cpuMs();
  let rssBytes = child.rssBytes();
  const mixes: MixFigures[] = [];
  const headers = { authorization: `Bearer ${READ_TOKEN}` };
  const token = await deepToken(child, pods);
  for (const mix of MIXES) {
    const query = mix.query === 'continue' ? (token ? `continue=${encodeURIComponent(token)}` : '') : mix.query;
    const agent = keepAliveAgent(1);
    let items = Number.NaN;
    try {
      const load = await runLoad(requests, 1, async () => {
        const res = await send(agent, `${child.url}/api/v1/jobs${query ? `?${query}` : ''}`, { headers });
        if (res.status !== 200) {
          return `200 expected, got ${res.status}: ${res.body.slice(0, 200)}`;
        }
        items = (JSON.parse(res.body) as { items: unknown[] }).items.length;
        return undefined;
      });
      mixes.push({
        name: mix.name,
        latencyMs: summarize(load.latencies),
        failures: load.failures,
        failureSamples: load.failureSamples,
        items,
      });
    } finally {
      agent.destroy();
    }
    rssBytes = Math.max(rssBytes, child.rssBytes());
  }
  const heap = await heapGauges(child);
  // V8 hands freed pages back to the OS from a background task: a second collection a moment later reads the RSS
  // once that has run (a single one read 15 MB more or less from run to run)
  await child.collectGarbage();
  await sleep(1000);
  await child.collectGarbage();
  const settled = await heapGauges(child);
  const settledRssBytes = child.rssBytes();
  const settledRssAnonBytes = child.rssAnonBytes();
  const loopStart = await measureChanges(child, '?since=now');
  const everyJob = await measureChanges(child, '');
  return {
    pods,
    readyMs,
    readyCpuMs,
    rssBytes,
    heapUsedBytes: heap.used,
    heapTotalBytes: heap.total,
    settledRssBytes,
    settledRssAnonBytes,
    settledHeapUsedBytes: settled.used,
    settledHeapTotalBytes: settled.total,
    mixes,
    loopStart,
    everyJob,
  };
}

async function measureChanges(child: ProxyChild, query: string): Promise<ChangesFigures> {
  const agent = keepAliveAgent(1);
  try {
    const cpuBefore = child.cpuMs();
    const t0 = performance.now();
    const res = await send(agent, `${child.url}/api/v1/changes${query}`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    const ms = performance.now() - t0;
    if (res.status !== 200) {
      throw new Error(`GET /api/v1/changes${query} answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
    const items = (JSON.parse(res.body) as { items: unknown[] }).items.length;
    return { ms, cpuMs: child.cpuMs() - cpuBefore, bytes: Buffer.byteLength(res.body), items };
  } finally {
    agent.destroy();
  }
}

async function heapGauges(child: ProxyChild): Promise<{ used: number; total: number }> {
  const agent = keepAliveAgent(1);
  const metrics = await send(agent, `${child.url}/metrics`).finally(() => agent.destroy());
  const gauge = (name: string) => Number(new RegExp(`^${name}\\s+(\\S+)$`, 'm').exec(metrics.body)?.[1] ?? Number.NaN);
  return { used: gauge('nodejs_heap_size_used_bytes'), total: gauge('nodejs_heap_size_total_bytes') };
}

/**
 * The audit watermark a replica that ran until now leaves (src/plugins/audit-watermark.ts): the proxy measured is a
 * restart, which writes only the last minutes' transitions again. A first start ever, with no such Lease, writes
 * all three events of every job as well.
 */
async function seedWatermark(fake: FakeKube, namespace: string): Promise<void> {
  const res = await fetch(`${fake.url}/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      metadata: { name: AUDIT_WATERMARK_LEASE, annotations: { [ANN_AUDIT_WATERMARK]: new Date().toISOString() } },
    }),
  });
  if (res.status !== 201) {
    throw new Error(`creating the audit watermark Lease answered ${res.status}: ${await res.text()}`);
  }
}

/** The middle value, or the mean of the two middle ones; NaN for none, so a missing figure cannot pass. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianOf<T, K extends keyof T>(runs: readonly T[], fields: readonly K[]): Record<K, number> {
  return Object.fromEntries(fields.map((f) => [f, median(runs.map((run) => run[f] as number))])) as Record<K, number>;
}

/**
 * The repeats of one size as one run: each figure the median of the proxies'. Two proxies that hold the same can
 * differ by 20 MB of RSS (glibc's native memory, bench/README.md §6), and one such proxy moves a median of three
 * less than it moves a single reading. Failures add up, and a page's job count is the same in every repeat.
 */
export function medianRun(runs: readonly ScaleRun[]): ScaleRun {
  const first = runs[0];
  if (!first || runs.some((run) => run.pods !== first.pods)) {
    throw new Error('medianRun takes one or more runs of the same size');
  }
  const changes = (pick: (run: ScaleRun) => ChangesFigures): ChangesFigures => ({
    ...medianOf(runs.map(pick), ['ms', 'cpuMs', 'bytes']),
    items: pick(first).items,
  });
  return {
    pods: first.pods,
    ...medianOf(runs, [
      'readyMs',
      'readyCpuMs',
      'rssBytes',
      'heapUsedBytes',
      'heapTotalBytes',
      'settledRssBytes',
      'settledRssAnonBytes',
      'settledHeapUsedBytes',
      'settledHeapTotalBytes',
    ]),
    mixes: first.mixes.map((mix, i) => {
      const all = runs.map((run) => run.mixes[i]!);
      return {
        name: mix.name,
        latencyMs: {
          ...medianOf(
            all.map((m) => m.latencyMs),
            ['p50', 'p90', 'p99', 'max', 'mean']
          ),
          count: all.reduce((sum, m) => sum + m.latencyMs.count, 0),
        },
        failures: all.reduce((sum, m) => sum + m.failures, 0),
        failureSamples: all.flatMap((m) => m.failureSamples),
        items: mix.items,
      };
    }),
    loopStart: changes((run) => run.loopStart),
    everyJob: changes((run) => run.everyJob),
  };
}

/**
 * One fake API holding every size's Pods (a namespace each) and one proxy child per size, started after its Pods
 * exist so that its start-to-ready time is the sync of all of them. The 0-Pod proxy comes first, as the baseline.
 * That is one round; `repeats` rounds run, so that a slow moment of the machine falls on every size alike.
 */
export async function benchScale(config: ScaleConfig, log: (line: string) => void = () => {}): Promise<ScaleFigures> {
  const workDir = mkdtempSync(join(tmpdir(), 'flowkube-scale-'));
  let fake: FakeKube | undefined;
  try {
    const sizes = [0, ...config.sizes];
    fake = await startFakeKube({ namespaces: sizes.map((n) => `${NS}-${n}`) });
    const catalogPath = join(workDir, 'catalog.yaml');
    writeBenchCatalog(catalogPath);
    const seeded: number[] = [];
    for (const size of sizes) {
      const namespace = `${NS}-${size}`;
      const seededAt = performance.now();
      const pods = seedJobs(fake, size, namespace);
      seeded.push(pods);
      await seedWatermark(fake, namespace);
      log(`scale: ${pods} Pods seeded in ${Math.round(performance.now() - seededAt)} ms`);
    }
    const samples: ScaleRun[][] = sizes.map(() => []);
    for (let round = 1; round <= config.repeats; round++) {
      for (const [i, size] of sizes.entries()) {
        const namespace = `${NS}-${size}`;
        log(`scale: round ${round} of ${config.repeats}, proxy syncing ${seeded[i]} Pods…`);
        const startedAt = performance.now();
        const child = await startProxyChild({
          kubeUrl: fake.url,
          kubeToken: fake.token,
          namespace,
          catalogPath,
          readToken: READ_TOKEN,
          launchToken: 'bench-launch-token-0123456789',
          workDir,
          label: `scale-${size}-${round}`,
          maxActive: 100_000,
          retentionSeconds: 86_400,
          logLevel: config.logLevel,
          entry: config.proxyEntry,
          nodeArgs: config.proxyNodeArgs,
          readyTimeoutMs: 300_000,
          inspect: true,
        });
        try {
          const readyMs = performance.now() - startedAt;
          samples[i]!.push(await measure(child, seeded[i]!, config.requests, readyMs));
        } finally {
          await child.stop();
        }
      }
    }
    const runs = samples.map(medianRun);
    return { empty: runs[0]!, runs: runs.slice(1), samples };
  } finally {
    await fake?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;

/** The figures with the issue's targets (a page ≤ 5 ms at every size; sync ≤ 10 s and RSS growth ≤ 60 MB at the
 * largest), each beside the 0-Pod proxy's, each the median of the rounds. */
export function scaleRows(scale: ScaleFigures): Row[] {
  const rows: Row[] = [];
  const largest = scale.runs.at(-1);
  const n = (pods: number) => pods.toLocaleString('en-US');
  for (const [i, mix] of scale.empty.mixes.entries()) {
    rows.push({ name: `jobs page p50, ${mix.name}, 0 jobs`, measured: mix.latencyMs.p50, unit: 'ms' });
    for (const run of scale.runs) {
      const m = run.mixes[i]!;
      rows.push({
        name: `jobs page p50, ${m.name}, ${n(run.pods)} jobs`,
        measured: m.latencyMs.p50,
        unit: 'ms',
        target: { op: '<=', value: 5 },
      });
      rows.push({ name: `jobs page p99, ${m.name}, ${n(run.pods)} jobs`, measured: m.latencyMs.p99, unit: 'ms' });
    }
  }
  rows.push({ name: 'start to ready, 0 jobs', measured: scale.empty.readyMs / 1000, unit: 's' });
  rows.push({ name: 'proxy CPU to ready, 0 jobs', measured: scale.empty.readyCpuMs / 1000, unit: 's' });
  rows.push({ name: 'proxy RSS after a full GC, 0 jobs', measured: scale.empty.settledRssBytes / MB, unit: 'MB' });
  rows.push({
    name: 'proxy anonymous RSS after a full GC, 0 jobs',
    measured: scale.empty.settledRssAnonBytes / MB,
    unit: 'MB',
  });
  rows.push({ name: 'proxy RSS, highest, 0 jobs', measured: scale.empty.rssBytes / MB, unit: 'MB' });
  rows.push({
    name: 'proxy V8 heap used after a full GC, 0 jobs',
    measured: scale.empty.settledHeapUsedBytes / MB,
    unit: 'MB',
  });
  rows.push({
    name: 'proxy V8 heap reserved after a full GC, 0 jobs',
    measured: scale.empty.settledHeapTotalBytes / MB,
    unit: 'MB',
  });
  for (const [i, run] of scale.runs.entries()) {
    const last = run === largest;
    rows.push({
      name: `start to ready, ${n(run.pods)} jobs`,
      measured: run.readyMs / 1000,
      unit: 's',
      ...(last && { target: { op: '<=', value: 10 } }),
    });
    rows.push({
      name: `proxy CPU to ready, ${n(run.pods)} jobs`,
      measured: run.readyCpuMs / 1000,
      unit: 's',
      ...(last && { target: { op: '<=', value: 10 } }),
    });
    rows.push({
      name: `proxy RSS growth after a full GC, ${n(run.pods)} jobs`,
      measured: (run.settledRssBytes - scale.empty.settledRssBytes) / MB,
      unit: 'MB',
      ...(last && { target: { op: '<=', value: 60 } }),
    });
    // each round's own growth (its proxy with the jobs against its 0-Pod proxy): how far one pair alone might read
    const pairs = scale.samples[i + 1]!.map(
      (sample, r) => (sample.settledRssBytes - scale.samples[0]![r]!.settledRssBytes) / MB
    );
    rows.push({
      name: `proxy RSS growth after a full GC, lowest of ${pairs.length} rounds, ${n(run.pods)} jobs`,
      measured: Math.min(...pairs),
      unit: 'MB',
    });
    rows.push({
      name: `proxy RSS growth after a full GC, highest of ${pairs.length} rounds, ${n(run.pods)} jobs`,
      measured: Math.max(...pairs),
      unit: 'MB',
    });
    rows.push({
      name: `proxy anonymous RSS growth after a full GC, ${n(run.pods)} jobs`,
      measured: (run.settledRssAnonBytes - scale.empty.settledRssAnonBytes) / MB,
      unit: 'MB',
    });
    rows.push({
      name: `proxy RSS growth, highest before GC, ${n(run.pods)} jobs`,
      measured: (run.rssBytes - scale.empty.rssBytes) / MB,
      unit: 'MB',
    });
    rows.push({
      name: `proxy V8 heap used after a full GC, ${n(run.pods)} jobs`,
      measured: run.settledHeapUsedBytes / MB,
      unit: 'MB',
    });
    rows.push({
      name: `proxy V8 heap reserved after a full GC, ${n(run.pods)} jobs`,
      measured: run.settledHeapTotalBytes / MB,
      unit: 'MB',
    });
    rows.push({ name: `proxy V8 heap used, ${n(run.pods)} jobs`, measured: run.heapUsedBytes / MB, unit: 'MB' });
    rows.push({ name: `proxy V8 heap reserved, ${n(run.pods)} jobs`, measured: run.heapTotalBytes / MB, unit: 'MB' });
    for (const [what, figures] of [
      ['live loop start (/changes?since=now)', run.loopStart],
      ['/changes with every job (no since)', run.everyJob],
    ] as const) {
      rows.push({ name: `${what}, ${n(run.pods)} jobs`, measured: figures.ms, unit: 'ms' });
      rows.push({ name: `${what}, proxy CPU, ${n(run.pods)} jobs`, measured: figures.cpuMs, unit: 'ms' });
      rows.push({ name: `${what}, body, ${n(run.pods)} jobs`, measured: figures.bytes / 1024, unit: 'KiB' });
    }
  }
  return rows;
}
