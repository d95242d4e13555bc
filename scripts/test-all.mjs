// Runs every suite FlowKube has and ends non-zero if any failed; the closing lines sum up the tests they counted and
// each stage's wall and CPU time.
// - Stages run in tracks, side by side; a track runs its stages in order. The browser stage has a track of its own: it
//   mostly waits (on pages, workers, phases) and would leave a core idle for minutes, so the CPU-bound stages run
//   meanwhile. FLOWKUBE_TEST_ONE_TRACK=1 runs everything in one track, one stage after another.
// - Within a track, consecutive stages with the same `together` run side by side (the static checks: each is one
//   single-threaded process, and these machines have 2 cores).
// - The first track's lone stages show their output as it comes; every other stage shows it, whole, when it ends.
import { spawn } from 'node:child_process';

const allStages = [
  { name: 'formatting', cmd: 'npm run --silent format:check', together: 'static' },
  { name: 'lint', cmd: 'npm run --silent lint', together: 'static' },
  { name: 'typecheck', cmd: 'npm run --silent typecheck', together: 'static' },
  { name: 'python workers', cmd: 'npm run --silent test:python', together: 'static' },
  { name: 'proxy', cmd: 'npm run --silent test:proxy' },
  // its own stage: a tiny `npm run bench` starts real proxy processes and takes minutes on a busy machine, past the
  // 120 s per-file cap that keeps the proxy's unit tests from hanging
  { name: 'benchmark smoke', cmd: 'npm run --silent test:bench-smoke' },
  { name: 'plugin', cmd: 'npm run --silent test:plugin' },
  { name: 'checks (config, dashboards, manifests)', cmd: 'npm run --silent test:checks' },
  { name: 'browser (preview harness)', cmd: 'npm run --silent test:preview', track: 'browser' },
];

// `node scripts/test-all.mjs lint proxy` runs only the stages whose names contain one of the words given.
const wanted = process.argv.slice(2);
const stages = allStages.filter((stage) => wanted.length === 0 || wanted.some((word) => stage.name.includes(word)));
if (stages.length === 0) {
  console.error(`no stage matches ${wanted.join(', ')}; the stages are: ${allStages.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

// How each runner reports its totals: [passed, failed].
const counters = [
  // node --test (spec reporter): "ℹ pass 12" / "ℹ fail 0" / "ℹ cancelled 1". A file cut by --test-timeout is
  // "cancelled", not "fail", so it counts as failed here.
  (out) => {
    const last = (word) => [...out.matchAll(new RegExp(`^ℹ ${word} (\\d+)$`, 'gm'))].at(-1)?.[1];
    const [pass, fail, cancelled] = ['pass', 'fail', 'cancelled'].map(last);
    return pass && fail ? [Number(pass), Number(fail) + Number(cancelled ?? 0)] : null;
  },
  // jest: "Tests:       1 failed, 40 passed, 41 total"
  (out) => {
    const line = out.match(/^Tests:\s+(.*)$/m);
    if (!line) {
      return null;
    }
    const num = (word) => Number(line[1].match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
    return [num('passed'), num('failed')];
  },
  // python unittest: "Ran 14 tests in 3.2s" then "OK" or "FAILED (failures=1, errors=2)"
  (out) => {
    const ran = out.match(/^Ran (\d+) tests? in/m);
    if (!ran) {
      return null;
    }
    const bad = [...out.matchAll(/(?:failures|errors)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    return [Number(ran[1]) - bad, bad];
  },
];

/**
 * Runs one stage; `live` streams its output as it comes, otherwise the caller prints `out` when it ends. The stage
 * runs under bash, whose `times` (written to fd 3) gives the CPU time of every process it waited for: the stage's
 * CPU-seconds, which say more than its wall time on a shared 2-core machine.
 */
function run(stage, live) {
  return new Promise((resolve) => {
    const script = `${stage.cmd}\ncode=$?\ntimes >&3\nexit $code`;
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let times = '';
    const keep = (chunk, stream) => {
      out += chunk;
      if (live) {
        stream.write(chunk);
      }
    };
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.stdio[3].on('data', (c) => (times += c));
    child.on('close', (code) => resolve({ code, out: out.replace(/\x1b\[[0-9;]*m/g, ''), cpu: cpuSeconds(times) }));
  });
}

/** The children's user + system time from bash's `times` (its second line, e.g. "1m2.500s 0m3.250s"). */
function cpuSeconds(times) {
  const line = times.trim().split('\n').at(-1) ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return parts.length === 2 ? parts[0] + parts[1] : undefined;
}

/**
 * The failed tests in a stage's output (jest's "● suite › test" headers, node --test's "✖" lines), each with the first
 * line of its error where the output has one, so the end of the log says which tests failed, and why, even when only
 * the end of a long log is kept.
 */
function failureTitles(out) {
  const lines = out.split('\n');
  const reasons = new Map();
  lines.forEach((line, i) => {
    const match = /^ {2}● (.+ › .+)$/.exec(line) ?? /^\s*✖ (.+?)(?: \([\d.]+m?s\))?$/.exec(line);
    if (!match || match[1] === 'failing tests:') {
      return;
    }
    const next = lines.slice(i + 1, i + 4).find((l) => l.trim() !== '');
    // node's spec reporter puts the error under the title; a nested title or a stack line is not a reason
    const reason = next && !/^\s*(✖|✔|▶|●|at )/.test(next) ? next.trim().slice(0, 300) : undefined;
    // a title seen twice (the run, then the closing list of failures) keeps the reason it was given
    if (reason || !reasons.has(match[1])) {
      reasons.set(match[1], reason);
    }
  });
  return [...reasons].map(([title, reason]) => (reason ? `${title}\n      ${reason}` : title));
}

let passed = 0;
let failed = 0;
const failedStages = [];
const durations = [];
let cpuTotal = 0;
const failures = [];
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);
const startedAll = performance.now();
/**
 * The stages of one track, grouped: consecutive stages that share a `together` key form one batch; every other stage
 * is a batch of its own.
 */
function batchesOf(trackStages) {
  const batches = [];
  for (const stage of trackStages) {
    const last = batches.at(-1);
    if (stage.together && last?.[0].together === stage.together) {
      last.push(stage);
    } else {
      batches.push([stage]);
    }
  }
  return batches;
}
const oneTrack = process.env.FLOWKUBE_TEST_ONE_TRACK === '1';
const trackOf = (stage) => (oneTrack ? 'main' : (stage.track ?? 'main'));
const tracks = [...new Set(stages.map(trackOf))].map((track) => stages.filter((stage) => trackOf(stage) === track));

function record(stage, { code, out, cpu }, took) {
  durations.push(`${stage.name} ${took} s${cpu === undefined ? '' : ` (${cpu.toFixed(0)} CPU-s)`}`);
  cpuTotal += cpu ?? 0;
  const counts = counters.map((count) => count(out)).find(Boolean);
  if (counts) {
    passed += counts[0];
    failed += counts[1];
  }
  if (code !== 0) {
    failedStages.push(stage.name);
    failures.push(...failureTitles(out).map((title) => `${stage.name}: ${title}`));
    if (!counts || counts[1] === 0) {
      failed += 1; // a stage that failed without counting a failed test (lint, typecheck, crash) still counts
    }
  }
}

async function runTrack(trackStages, first) {
  for (const batch of batchesOf(trackStages)) {
    const live = first && batch.length === 1;
    if (batch.length > 1) {
      console.log(`\n=== side by side: ${batch.map((stage) => stage.name).join(', ')}`);
    } else if (!first) {
      console.log(`\n=== ${batch[0].name} started (its own track; its output follows when it ends)`);
    }
    const started = performance.now();
    const results = await Promise.all(
      batch.map(async (stage) => {
        if (live) {
          console.log(`\n=== ${stage.name}: ${stage.cmd}`);
        }
        const result = await run(stage, live);
        // each its own time: the batch's wall clock is that of its slowest stage
        return { stage, result, took: seconds(started) };
      })
    );
    for (const { stage, result, took } of results) {
      if (!live) {
        console.log(`\n=== ${stage.name}: ${stage.cmd}`);
        process.stdout.write(result.out);
      }
      record(stage, result, took);
    }
  }
}

await Promise.all(tracks.map((trackStages, i) => runTrack(trackStages, i === 0)));

// wall-clock time per stage, so a slow stage shows up in every CI log (issue 9 asks for the figures)
console.log(`\nStage times: ${durations.join(', ')}; all ${seconds(startedAll)} s, ${cpuTotal.toFixed(0)} CPU-s`);
if (failedStages.length > 0) {
  console.log(`\nFailed stages: ${failedStages.join(', ')}`);
  for (const title of failures.slice(0, 50)) {
    console.log(`  ✖ ${title}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedStages.length > 0 ? 1 : 0);
