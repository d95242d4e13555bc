import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeKube, type FakeKube } from '../../../tests/fake-kube/index.ts';
import { DEFAULT_CATALOG } from '../../src/config.ts';
import { keepAliveAgent, send } from './http.ts';
import { seedFlowKubePods, writeBenchCatalog } from './fixtures.ts';
import { benchLaunches, type LaunchFigures } from './launch.ts';
import { benchCachedList, benchNaiveList, type ListFigures } from './list.ts';
import { startProxyChild, type ProxyChild, type ProxyChildOptions } from './proxy-child.ts';
import { benchCachedSchedules, benchNaiveSchedules, seedSchedules, type ScheduleFigures } from './schedules.ts';
import { benchTemplates, type TemplateFigures } from './templates.ts';
import { benchScale, type ScaleFigures } from './scale.ts';

export interface BenchConfig {
  launches: number;
  warmup: number;
  concurrency: number;
  rounds: number;
  /** Launches per side sent one at a time, for the proxy's added latency without queueing. */
  serialLaunches: number;
  pods: number;
  lists: number;
  /** Each naive list moves every Pod over the wire, so it gets far fewer requests; its figures are per request. */
  naiveLists: number;
  /** The proxy's LOG_LEVEL: 'info' is what ships, so the default measures its logging too. */
  logLevel: string;
  /** Server file the proxy child runs; default dist/server.js when current, else src/server.ts. */
  proxyEntry?: string;
  proxyNodeArgs?: string[];
  /** Schedules (CronJobs) the Pod-cache proxy also holds; GET /api/v1/schedules requests, cached and naive. */
  schedules: number;
  scheduleLists: number;
  naiveScheduleLists: number;
  /** The live catalog: ConfigMaps × templates each, GETs per loop, changes during it and their interval. */
  catalogConfigMaps: number;
  templatesPerConfigMap: number;
  templateGets: number;
  catalogChanges: number;
  catalogChangeMs: number;
  /** The Jobs list at scale (bench/lib/scale.ts): jobs cached, one proxy per size, and requests per query mix. */
  scaleSizes: number[];
  scaleLists: number;
  /** Rounds of the jobs-at-scale proxies (one per size each); the figures are the medians. */
  scaleRepeats: number;
}

export const DEFAULT_CONFIG: BenchConfig = {
  launches: 2000,
  warmup: 200,
  concurrency: 32,
  rounds: 2,
  serialLaunches: 200,
  pods: 10_000,
  lists: 1000,
  naiveLists: 10,
  logLevel: 'info',
  schedules: 100,
  scheduleLists: 1000,
  naiveScheduleLists: 100,
  catalogConfigMaps: 50,
  templatesPerConfigMap: 4,
  templateGets: 1000,
  catalogChanges: 10,
  catalogChangeMs: 1000,
  scaleSizes: [10_000, 100_000],
  scaleLists: 300,
  scaleRepeats: 3,
};

/** What the Jobs-at-scale section takes from the config, for `npm run bench` and `npm run bench:scale` alike. */
export function scaleOptions(config: BenchConfig) {
  return {
    sizes: config.scaleSizes,
    requests: config.scaleLists,
    repeats: config.scaleRepeats,
    logLevel: config.logLevel,
    proxyEntry: config.proxyEntry,
    proxyNodeArgs: config.proxyNodeArgs,
  };
}

export interface MemoryFigures {
  /** VmRSS of the proxy with 0 Pods: ready, then after one list. */
  emptyReadyBytes: number;
  emptyAfterListBytes: number;
  /** VmRSS with `pods` Pods cached: ready, after one list, after the whole list loop. */
  fullReadyBytes: number;
  fullAfterListBytes: number;
  fullAfterLoopBytes: number;
  /** The highest of the three: the figure held against the target. */
  cachedBytes: number;
  /** cachedBytes − emptyAfterListBytes: what the cache itself costs. */
  deltaBytes: number;
  /** V8 heap in use as the proxy reports it on /metrics, with 0 Pods and with `pods` Pods (after the list loop). */
  emptyHeapUsedBytes: number;
  fullHeapUsedBytes: number;
}

export interface BenchResults {
  meta: {
    date: string;
    node: string;
    os: string;
    cpus: number;
    cpuModel: string;
    totalMemBytes: number;
    proxyEntry: string;
    config: BenchConfig;
    durationSeconds: number;
  };
  launch: LaunchFigures;
  list: { cached: ListFigures; naive: ListFigures; podsCached: number };
  memory: MemoryFigures;
  schedules: ScheduleFigures;
  templates: TemplateFigures;
  scale: ScaleFigures;
}

const NS_LAUNCH = 'bench-launch';
const NS_LIST = 'flowkube-jobs';
const NS_CATALOG = 'bench-catalog';
const READ_TOKEN = 'bench-read-token-0123456789';
const LAUNCH_TOKEN = 'bench-launch-token-0123456789';

/**
 * The proxy's own view of its V8 heap (prom-client's default metric): RSS also counts code, libraries and freed
 * heap not yet returned to the OS, so the two together tell the cache's cost from the runtime's.
 */
async function heapUsed(child: ProxyChild): Promise<number> {
  const agent = keepAliveAgent(1);
  try {
    const res = await send(agent, `${child.url}/metrics`);
    const line = /^nodejs_heap_size_used_bytes\s+(\S+)$/m.exec(res.body);
    return res.status === 200 && line ? Number(line[1]) : Number.NaN;
  } finally {
    agent.destroy();
  }
}

/** One GET /api/v1/jobs, so that the RSS includes what answering a list allocates, not only the idle cache. */
async function forceList(child: ProxyChild): Promise<void> {
  const agent = keepAliveAgent(1);
  try {
    const res = await send(agent, `${child.url}/api/v1/jobs`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    if (res.status !== 200) {
      throw new Error(`GET /api/v1/jobs answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
  } finally {
    agent.destroy();
  }
}

/** Polls a list route until it holds `n` items: the proxy's watch has seen what the bench just created. */
async function waitForItems(child: ProxyChild, path: string, n: number, ms = 30_000): Promise<void> {
  const agent = keepAliveAgent(1);
  const deadline = Date.now() + ms;
  try {
    for (;;) {
      const res = await send(agent, `${child.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      if (res.status === 200 && (JSON.parse(res.body) as { items: unknown[] }).items.length === n) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`GET ${path} did not list ${n} items within ${ms} ms: ${res.status} ${res.body.slice(0, 200)}`);
      }
      await sleep(50);
    }
  } finally {
    agent.destroy();
  }
}

/**
 * The whole benchmark in one process against one fake API server: launches (proxy vs direct), lists and schedules
 * (cache vs list-per-request), the proxy's memory, and templates from a live ConfigMap catalog (vs the file alone). The proxy runs as a child process so that its RSS is its own and its
 * figures are those of a real server; the fake and the load generator share this process.
 */
export async function runBenchmark(config: BenchConfig, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'flowkube-bench-'));
  // An interrupted run (Ctrl-C exits through process.exit) leaves no temporary files behind.
  const removeWorkDir = (): void => rmSync(workDir, { recursive: true, force: true });
  process.once('exit', removeWorkDir);
  let fake: FakeKube | undefined;
  const children: ProxyChild[] = [];
  let failed = false;
  try {
    fake = await startFakeKube({ namespaces: [NS_LIST, NS_LAUNCH, NS_CATALOG] });
    const catalogPath = join(workDir, 'catalog.yaml');
    const template = writeBenchCatalog(catalogPath);
    const base: Omit<ProxyChildOptions, 'namespace' | 'label'> = {
      kubeUrl: fake.url,
      kubeToken: fake.token,
      catalogPath,
      readToken: READ_TOKEN,
      launchToken: LAUNCH_TOKEN,
      workDir,
      maxActive: 100_000,
      // Seeded Pods finished minutes ago; retention must not delete them mid-run.
      retentionSeconds: 86_400,
      logLevel: config.logLevel,
      entry: config.proxyEntry,
      nodeArgs: config.proxyNodeArgs,
    };
    const start = async (namespace: string, label: string): Promise<ProxyChild> => {
      const child = await startProxyChild({ ...base, namespace, label });
      children.push(child);
      return child;
    };

    log(`proxy with 0 Pods (namespace ${NS_LAUNCH})…`);
    const empty = await start(NS_LAUNCH, 'empty');
    const emptyReadyBytes = empty.rssBytes();
    await forceList(empty);
    const emptyAfterListBytes = empty.rssBytes();
    const emptyHeapUsedBytes = await heapUsed(empty);

    log(`launches: ${config.warmup} warm-up + ${config.launches} per side at concurrency ${config.concurrency}…`);
    const launch = await benchLaunches({
      fake,
      proxyUrl: empty.url,
      proxyCpuMs: () => empty.cpuMs(),
      launchToken: LAUNCH_TOKEN,
      namespace: NS_LAUNCH,
      template,
      launches: config.launches,
      warmup: config.warmup,
      concurrency: config.concurrency,
      rounds: config.rounds,
      serialLaunches: config.serialLaunches,
    });
    await empty.stop();

    log(`seeding ${config.pods} FlowKube Pods, proxy syncing its cache…`);
    const podsCached = seedFlowKubePods(fake, config.pods, NS_LIST);
    const full = await start(NS_LIST, 'full');
    const fullReadyBytes = full.rssBytes();
    await forceList(full);
    const fullAfterListBytes = full.rssBytes();

    log(`${config.lists} cached lists…`);
    const cached = await benchCachedList(fake, full.url, READ_TOKEN, config.lists);
    const fullAfterLoopBytes = full.rssBytes();
    const fullHeapUsedBytes = await heapUsed(full);

    log(`${config.schedules} schedules next to the ${podsCached} Pods, ${config.scheduleLists} cached schedule lists…`);
    await seedSchedules(fake, NS_LIST, config.schedules, template);
    await waitForItems(full, '/api/v1/schedules', config.schedules);
    const schedulesCached = await benchCachedSchedules(fake, full.url, READ_TOKEN, config.scheduleLists);
    await full.stop();
    log(`${config.naiveScheduleLists} naive schedule lists…`);
    const schedulesNaive = await benchNaiveSchedules(fake, NS_LIST, config.naiveScheduleLists);

    log(`${config.naiveLists} naive lists (each moves all ${podsCached} Pods)…`);
    const naive = await benchNaiveList(fake, NS_LIST, config.naiveLists);

    log(
      `templates: file only, then ${config.catalogConfigMaps} ConfigMaps × ${config.templatesPerConfigMap}, ` +
        `one changed every ${config.catalogChangeMs} ms…`
    );
    const catalogProxy = await startProxyChild({
      ...base,
      namespace: NS_CATALOG,
      label: 'catalog',
      catalogPath: DEFAULT_CATALOG,
    });
    children.push(catalogProxy);
    const templates = await benchTemplates({
      fake,
      proxyUrl: catalogProxy.url,
      readToken: READ_TOKEN,
      namespace: NS_CATALOG,
      configMaps: config.catalogConfigMaps,
      perConfigMap: config.templatesPerConfigMap,
      requests: config.templateGets,
      changes: config.catalogChanges,
      changeIntervalMs: config.catalogChangeMs,
    });
    await catalogProxy.stop();

    log(
      `jobs list at ${config.scaleSizes.join(' and ')} jobs, ${config.scaleLists} pages per query mix, ${config.scaleRepeats} rounds…`
    );
    const scale = await benchScale(scaleOptions(config), log);

    const cachedBytes = Math.max(fullReadyBytes, fullAfterListBytes, fullAfterLoopBytes);
    return {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        os: `${platform()} ${release()}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        totalMemBytes: totalmem(),
        proxyEntry: full.entry,
        config,
        durationSeconds: (Date.now() - started) / 1000,
      },
      launch,
      list: { cached, naive, podsCached },
      memory: {
        emptyReadyBytes,
        emptyAfterListBytes,
        fullReadyBytes,
        fullAfterListBytes,
        fullAfterLoopBytes,
        cachedBytes,
        deltaBytes: cachedBytes - emptyAfterListBytes,
        emptyHeapUsedBytes,
        fullHeapUsedBytes,
      },
      schedules: { schedules: config.schedules, pods: podsCached, cached: schedulesCached, naive: schedulesNaive },
      templates,
      scale,
    };
  } catch (err) {
    failed = true;
    throw new Error(`${(err as Error).message}\n(proxy logs kept in ${workDir})`, { cause: err });
  } finally {
    await Promise.allSettled(children.map((c) => c.stop()));
    await fake?.stop();
    process.removeListener('exit', removeWorkDir);
    if (!failed) {
      removeWorkDir();
    }
  }
}
