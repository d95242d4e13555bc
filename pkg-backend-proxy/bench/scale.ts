// `npm run bench:scale`: only the Jobs list at scale (README.md, section 6), with the same BENCH_SCALE_* variables
// and the same figures and targets as that section of `npm run bench`, in a few minutes instead of all sections.
import { scaleOptions } from './lib/benchmark.ts';
import { configFromEnv, runMain } from './lib/cli.ts';
import { withVerdicts, table } from './lib/report.ts';
import { benchScale, scaleRows } from './lib/scale.ts';

async function main(): Promise<void> {
  const config = configFromEnv();
  const scale = await benchScale(scaleOptions(config), (line) => console.log(`… ${line}`));
  const rows = withVerdicts(scaleRows(scale));
  console.log(`\nFlowKube proxy benchmark, Jobs list at scale — node ${process.version}\n`);
  console.log(table(rows));
  const missed = rows.filter((f) => f.verdict === 'MISSED');
  console.log(missed.length === 0 ? '\nAll targets met.' : `\nMISSED: ${missed.map((f) => f.name).join('; ')}`);
}

runMain(main);
