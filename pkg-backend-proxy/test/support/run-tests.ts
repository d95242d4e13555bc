// `npm test` of the proxy: runs every test file (but the benchmark smoke test, which has its own script) in a few
// worker processes (test-worker.ts) that take files from one queue, instead of a process per file. Start-up (type
// stripping and importing fastify, client-node and typebox: about 3 CPU-seconds) was most of the suite's CPU time on
// 2 cores. Files run one after another within a worker, side by side across workers, the slowest of the last run
// first. Each file's output is shown whole as it ends; the end shows the failures and one total in the spec
// reporter's words ("ℹ pass N"), which scripts/test-all.mjs counts.
//
//   node test/support/run-tests.ts [--workers=N] [file or folder ...]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export interface WorkerPlan {
  /** Test files, relative to the package, in the order workers take them. */
  files: string[];
  /** A folder where a worker claims file number `i` by creating the file `i` with its pid in it. */
  claims: string;
  /** Per test file, as `--test-timeout` was when each file had a process. */
  timeoutMs: number;
  /** How long a worker may stay up after its last file before it ends itself as leaking handles. */
  exitGraceMs: number;
}

const packageDir = resolve(import.meta.dirname, '../..');
const durationsFile = join(packageDir, 'node_modules/.cache/flowkube/proxy-test-durations.json');
const SUMMARY_KEYS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'] as const;
// a test file's own result line, at the start of a line (its tests are indented under it)
const FILE_RESULT = /^\S+ (test\/\S+\.test\.ts) \(([\d.]+)ms\)$/;

function parseArgs(argv: string[]) {
  let workers = 3;
  const filters: string[] = [];
  for (const arg of argv) {
    const match = /^--workers=(\d+)$/.exec(arg);
    if (match) {
      workers = Math.max(1, Number(match[1]));
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}: run-tests.ts takes --workers=N and test files or folders`);
    } else {
      filters.push(relative(packageDir, resolve(arg)));
    }
  }
  return { workers, filters };
}

// the runner's own test's cases (test/support/run-tests.test.ts): some of them crash their worker on purpose
const FIXTURES = 'test/support/runner-fixtures';

function testFiles(filters: string[]): string[] {
  const all = readdirSync(join(packageDir, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.ts') && path !== 'bench-smoke.test.ts')
    .map((path) => `test/${path}`)
    .sort();
  const named = (file: string, f: string) => file === f || file.startsWith(`${f}/`);
  const chosen = all.filter((file) =>
    named(file, FIXTURES)
      ? filters.some((f) => named(f, FIXTURES) && named(file, f))
      : filters.length === 0 || filters.some((f) => named(file, f))
  );
  if (chosen.length === 0) {
    throw new Error(`no test file matches ${filters.join(' ')}`);
  }
  return chosen;
}

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

/** The slowest files of the last run first, so that no worker starts a long file when the others are done. */
function byLastDuration(files: string[], durations: Record<string, number>): string[] {
  // a file not timed yet goes first: it may be slow
  const cost = (file: string) => durations[file] ?? Infinity;
  return [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
}

interface Worker {
  id: number;
  pid: number;
  code: number | null;
  /** Output lines not yet shown: they are shown a test file at a time, and what follows the summary at the end. */
  pending: string[];
  summary: Partial<Record<(typeof SUMMARY_KEYS)[number], number>>;
  summarised: boolean;
  done: Set<string>;
}

const { workers: workerCount, filters } = parseArgs(process.argv.slice(2));
const previous = readDurations();
const files = byLastDuration(testFiles(filters), previous);
const scratch = mkdtempSync(join(tmpdir(), 'flowkube-proxy-tests-'));
const plan: WorkerPlan = { files, claims: join(scratch, 'claims'), timeoutMs: 120_000, exitGraceMs: 10_000 };
mkdirSync(plan.claims);
const planFile = join(scratch, 'plan.json');
writeFileSync(planFile, JSON.stringify(plan));

const started = performance.now();
const durations: Record<string, number> = {};
const ended: Worker[] = [];
let nextId = 1;

function claimedBy(pid: number): string[] {
  return readdirSync(plan.claims)
    .filter((name) => readFileSync(join(plan.claims, name), 'utf8') === String(pid))
    .map((name) => files[Number(name)]!);
}

/** Shows each test file's output once its result line comes, so that workers' outputs never interleave. */
function take(worker: Worker, lines: string[]) {
  for (const line of lines) {
    worker.pending.push(line);
    const match = FILE_RESULT.exec(line);
    if (line.startsWith('ℹ tests ')) {
      worker.summarised = true;
    } else if (match && !worker.summarised) {
      durations[match[1]!] = Number(match[2]);
      worker.done.add(match[1]!);
      process.stdout.write(`${worker.pending.join('\n')}\n`);
      worker.pending = [];
    }
  }
}

/** Calls `onLines` with whole lines only (colours removed), whatever the chunks a stream delivers. */
function byLine(stream: NodeJS.ReadableStream, onLines: (lines: string[]) => void) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const lines = (partial + text.replace(/\x1b\[[0-9;]*m/g, '')).split('\n');
    partial = lines.pop()!;
    onLines(lines);
  });
  stream.on('end', () => {
    if (partial) {
      onLines([partial]);
    }
  });
}

function startWorker(): Promise<void> {
  // without NODE_TEST_CONTEXT, which a runner started under `node --test` inherits: with it node:test would report
  // in its binary child protocol instead of the spec text read here
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['--test-reporter=spec', 'test/support/test-worker.ts', planFile], {
    cwd: packageDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: Worker = {
    id: nextId++,
    pid: child.pid!,
    code: null,
    pending: [],
    summary: {},
    summarised: false,
    done: new Set(),
  };
  byLine(child.stdout, (lines) => take(worker, lines));
  byLine(child.stderr, (lines) => take(worker, lines));
  return new Promise((resolveExit) => {
    child.on('close', (code, signal) => {
      worker.code = code ?? (signal ? 128 : 1);
      for (const key of SUMMARY_KEYS) {
        const value = worker.pending.map((line) => new RegExp(`^ℹ ${key} (\\d+)$`).exec(line)?.[1]).findLast(Boolean);
        if (value !== undefined) {
          worker.summary[key] = Number(value);
        }
      }
      ended.push(worker);
      const lost = claimedBy(worker.pid).filter((file) => !worker.done.has(file));
      const unclaimed = readdirSync(plan.claims).length < files.length;
      // a worker that ended within a file (crashed, was killed, or a test called process.exit, even with 0): the
      // others go on, and a new one takes its place if it had got somewhere
      if (lost.length > 0 && unclaimed) {
        resolveExit(startWorker());
      } else {
        resolveExit();
      }
    });
  });
}

await Promise.all(Array.from({ length: Math.min(workerCount, files.length) }, () => startWorker()));

const total = Object.fromEntries(SUMMARY_KEYS.map((key) => [key, 0])) as Record<(typeof SUMMARY_KEYS)[number], number>;
const problems: string[] = [];
// a file counts as run once its suite's result line came, failed or not; every other file is a failure below
const finished = new Set(ended.flatMap((worker) => [...worker.done]));
const lostFiles = new Set<string>();
for (const worker of ended) {
  for (const key of SUMMARY_KEYS) {
    total[key] += worker.summary[key] ?? 0;
  }
  // what followed the worker's summary: its failures in full (its partial totals give way to the one below)
  const rest = worker.pending
    .filter((line) => !/^ℹ \w+ [\d.]+$/.test(line))
    .join('\n')
    .trim();
  if (rest) {
    process.stdout.write(`\n${rest}\n`);
  }
  const lost = claimedBy(worker.pid).filter((file) => !finished.has(file));
  lost.forEach((file) => lostFiles.add(file));
  if (lost.length > 0) {
    problems.push(`worker ${worker.id} (pid ${worker.pid}) ended with code ${worker.code} within ${lost.join(', ')}`);
  } else if (worker.code !== 0 && worker.summary.tests === undefined) {
    problems.push(`worker ${worker.id} (pid ${worker.pid}) ended with code ${worker.code} without a summary`);
  } else if (worker.code !== 0 && (worker.summary.fail ?? 0) + (worker.summary.cancelled ?? 0) === 0) {
    // e.g. a file that threw while loading, before it declared a test: a failed suite that no test counts
    problems.push(`worker ${worker.id} (pid ${worker.pid}) failed outside any test: see its output above`);
  }
}
// never claimed (every worker having died), or claimed by a worker that died before it wrote its pid
const notRun = files.filter((file) => !finished.has(file) && !lostFiles.has(file));
if (notRun.length > 0) {
  problems.push(`not run: ${notRun.join(', ')}`);
}
for (const problem of problems) {
  process.stdout.write(`✖ ${problem}\n`);
}
total.fail += problems.length;
for (const key of SUMMARY_KEYS) {
  process.stdout.write(`ℹ ${key} ${total[key]}\n`);
}
process.stdout.write(`ℹ duration_ms ${(performance.now() - started).toFixed(0)}\n`);

if (Object.keys(durations).length > 0) {
  mkdirSync(resolve(durationsFile, '..'), { recursive: true });
  writeFileSync(durationsFile, `${JSON.stringify({ ...previous, ...durations }, null, 2)}\n`);
}
rmSync(scratch, { recursive: true, force: true });
process.exitCode = ended.some((worker) => worker.code !== 0) || total.fail + total.cancelled > 0 ? 1 : 0;
