// `npm run bench`: the proxy's speed and memory targets (issue 2, section 5), measured against baselines in the
// same run. Sizes come from BENCH_* variables (see README.md). Always exits 0 unless the run itself broke:
// a missed target is a finding, printed as MISSED, not a failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmark } from './lib/benchmark.ts';
import { configFromEnv, runMain } from './lib/cli.ts';
import { figures, table } from './lib/report.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

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

runMain(main);
