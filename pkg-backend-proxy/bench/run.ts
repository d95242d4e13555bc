// `npm run bench`: the proxy's speed and memory targets (issue 2, section 5), measured against baselines in the
// same run. Sizes come from BENCH_* variables (see README.md). Always exits 0 unless the run itself broke:
// a missed target is a finding, printed as MISSED, not a failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, runBenchmark, type BenchConfig } from './lib/benchmark.ts';
import { figures, table } from './lib/report.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

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

function configFromEnv(): BenchConfig {
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
  };
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const results = await runBenchmark(config, (line) => console.log(`… ${line}`));
  const rows = figures(results);
  const file = join(RESULTS_DIR, `${results.meta.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...results, figures: rows }, null, 2)}\n`);

  const { meta, launch, list, schedules, templates } = results;
  console.log(
    `\nFlowKube proxy benchmark — node ${meta.node}, ${meta.cpus} CPUs, ${(meta.totalMemBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `proxy ${meta.proxyEntry.replace(/.*pkg-backend-proxy\//, '')}, ${meta.durationSeconds.toFixed(0)} s\n`
  );
  console.log(table(rows));
  const failures = [
    ['direct launches', launch.direct],
    ['proxy launches', launch.proxy],
    ['cached lists', list.cached],
    ['naive lists', list.naive],
    ['cached schedule lists', schedules.cached],
    ['naive schedule lists', schedules.naive],
    ['template GETs, file only', templates.fileOnly],
    ['template GETs, live catalog', templates.live],
    ['template GETs, live catalog without gzip', templates.liveIdentity],
    ...[results.scale.empty, ...results.scale.runs].flatMap((run) =>
      run.mixes.map((m) => [`jobs pages (${m.name}, ${run.pods} jobs)`, m] as const)
    ),
  ] as const;
  for (const [what, side] of failures) {
    if (side.failures > 0) {
      console.log(`\n${side.failures} ${what} failed, e.g. ${side.failureSamples[0]}`);
    }
  }
  const missed = rows.filter((f) => f.verdict === 'MISSED');
  console.log(
    missed.length === 0
      ? '\nAll targets met.'
      : `\nMISSED ${missed.length} target(s): ${missed.map((f) => f.name).join('; ')}`
  );
  console.log(`Results: ${file}`);
}

// Exiting through process.exit runs the 'exit' hook that kills the proxy children; dying of the signal would not.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((err: unknown) => {
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
