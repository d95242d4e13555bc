// The benchmark's command line, shared by run.ts and scale.ts: sizes and options from BENCH_* variables
// (README.md), and how an entry runs.
import { DEFAULT_CONFIG, type BenchConfig } from './benchmark.ts';

function whole(name: string, raw: string): number {
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) {
    throw new Error(`${name} must be a whole number of at least 1, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : whole(name, raw);
}

/** Whole numbers separated by commas, e.g. BENCH_SCALE_JOBS=10000,100000. */
function positives(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : raw.split(',').map((part) => whole(name, part.trim()));
}

export function configFromEnv(): BenchConfig {
  return {
    launches: positive('BENCH_LAUNCHES', DEFAULT_CONFIG.launches),
    warmup: positive('BENCH_WARMUP', DEFAULT_CONFIG.warmup),
    concurrency: positive('BENCH_CONCURRENCY', DEFAULT_CONFIG.concurrency),
    rounds: positive('BENCH_ROUNDS', DEFAULT_CONFIG.rounds),
    serialLaunches: positive('BENCH_SERIAL_LAUNCHES', DEFAULT_CONFIG.serialLaunches),
    pods: positive('BENCH_PODS', DEFAULT_CONFIG.pods),
    lists: positive('BENCH_LISTS', DEFAULT_CONFIG.lists),
    naiveLists: positive('BENCH_NAIVE_LISTS', DEFAULT_CONFIG.naiveLists),
    logLevel: process.env.BENCH_LOG_LEVEL || DEFAULT_CONFIG.logLevel,
    proxyEntry: process.env.BENCH_PROXY_ENTRY || undefined,
    proxyNodeArgs: process.env.BENCH_PROXY_NODE_ARGS?.split(/\s+/).filter(Boolean),
    schedules: positive('BENCH_SCHEDULES', DEFAULT_CONFIG.schedules),
    scheduleLists: positive('BENCH_SCHEDULE_LISTS', DEFAULT_CONFIG.scheduleLists),
    naiveScheduleLists: positive('BENCH_NAIVE_SCHEDULE_LISTS', DEFAULT_CONFIG.naiveScheduleLists),
    catalogConfigMaps: positive('BENCH_CATALOG_CONFIGMAPS', DEFAULT_CONFIG.catalogConfigMaps),
    templatesPerConfigMap: positive('BENCH_TEMPLATES_PER_CONFIGMAP', DEFAULT_CONFIG.templatesPerConfigMap),
    templateGets: positive('BENCH_TEMPLATE_GETS', DEFAULT_CONFIG.templateGets),
    catalogChanges: positive('BENCH_CATALOG_CHANGES', DEFAULT_CONFIG.catalogChanges),
    catalogChangeMs: positive('BENCH_CATALOG_CHANGE_MS', DEFAULT_CONFIG.catalogChangeMs),
    scaleSizes: positives('BENCH_SCALE_JOBS', DEFAULT_CONFIG.scaleSizes),
    scaleLists: positive('BENCH_SCALE_LISTS', DEFAULT_CONFIG.scaleLists),
    scaleRepeats: positive('BENCH_SCALE_REPEATS', DEFAULT_CONFIG.scaleRepeats),
  };
}

/**
 * Runs an entry's main. Exiting through process.exit runs the 'exit' hook that kills the proxy children; dying of
 * the signal would not. Exits 0 unless the run itself broke: a missed target is a finding, not a failure.
 */
export function runMain(main: () => Promise<void>): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  main().catch((err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  });
}
