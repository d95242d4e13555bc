// The benchmark's measuring code at a tiny size: every figure gets computed and the API-call counts are exact.
// Timings are not asserted (speed lives in `npm run bench`); only that the numbers exist and add up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenchmark } from '../bench/lib/benchmark.ts';
import { split } from '../bench/lib/launch.ts';
import { figures, table, verdict } from '../bench/lib/report.ts';
import { median, medianRun, type ScaleRun } from '../bench/lib/scale.ts';
import { per1000, percentile, summarize } from '../bench/lib/stats.ts';

const positive = (what: string, n: number): void => assert.ok(Number.isFinite(n) && n > 0, `${what} = ${n}`);

test('latency summaries use nearest-rank percentiles', () => {
  const ms = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(summarize(ms), { count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.equal(per1000(3, 3), 1000);
  assert.equal(per1000(0, 10), 0);
  assert.deepEqual(split(5, 2), [3, 2]);
});

test('the jobs-at-scale figures are the medians of the rounds', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const changes = (ms: number, items: number) => ({ ms, cpuMs: ms / 2, bytes: 100 * ms, items });
  const run = (mb: number, p50: number, failures: number): ScaleRun => ({
    pods: 10,
    readyMs: mb * 10,
    readyCpuMs: mb * 5,
    rssBytes: mb * 2,
    heapUsedBytes: mb,
    heapTotalBytes: mb + 1,
    settledRssBytes: mb,
    settledRssAnonBytes: mb - 1,
    settledHeapUsedBytes: mb / 2,
    settledHeapTotalBytes: mb / 2 + 1,
    mixes: [
      {
        name: 'default sort',
        latencyMs: { count: 5, p50, p90: p50 + 1, p99: p50 + 2, max: p50 + 3, mean: p50 },
        failures,
        failureSamples: failures ? [`failed at ${mb}`] : [],
        items: 10,
      },
    ],
    loopStart: changes(mb, 0),
    everyJob: changes(mb * 3, 10),
  });
  // an outlier round (RSS 150, p50 9) does not reach the median; its failure is still counted and shown
  assert.deepEqual(medianRun([run(130, 1, 0), run(150, 9, 1), run(131, 2, 0)]), {
    ...run(131, 2, 0),
    mixes: [
      {
        name: 'default sort',
        latencyMs: { count: 15, p50: 2, p90: 3, p99: 4, max: 5, mean: 2 },
        failures: 1,
        failureSamples: ['failed at 150'],
        items: 10,
      },
    ],
  });
  assert.throws(() => medianRun([]), /one or more runs/);
  assert.throws(() => medianRun([run(1, 1, 0), { ...run(1, 1, 0), pods: 20 }]), /same size/);
});

test('a figure that was not measured is never a pass', () => {
  assert.equal(verdict(Number.NaN, { op: '<=', value: 15 }), 'MISSED');
  assert.equal(verdict(0, { op: '=', value: 0 }), 'pass');
  assert.equal(verdict(0.69, { op: '>=', value: 0.7 }), 'MISSED');
  assert.equal(verdict(16, { op: '<=', value: 15 }), 'MISSED');
  assert.equal(verdict(3, undefined), 'info');
});

test('a tiny benchmark run computes every figure', { timeout: 540_000 }, async () => {
  const r = await runBenchmark({
    launches: 20,
    warmup: 5,
    concurrency: 4,
    rounds: 2,
    serialLaunches: 5,
    pods: 150,
    lists: 10,
    naiveLists: 3,
    logLevel: 'warn',
    schedules: 4,
    scheduleLists: 10,
    naiveScheduleLists: 3,
    catalogConfigMaps: 3,
    templatesPerConfigMap: 2,
    templateGets: 10,
    catalogChanges: 2,
    catalogChangeMs: 50,
    scaleSizes: [120, 300],
    scaleLists: 5,
    scaleRepeats: 2,
  });

  for (const [side, f] of [
    ['direct', r.launch.direct],
    ['proxy', r.launch.proxy],
  ] as const) {
    assert.equal(f.failures, 0, `${side} launch failures: ${f.failureSamples.join('; ')}`);
    assert.equal(f.requests, 20);
    assert.equal(f.latencyMs.count, 20);
    positive(`${side} throughput`, f.throughputPerSecond);
    positive(`${side} p50`, f.latencyMs.p50);
    assert.ok(f.latencyMs.p99 >= f.latencyMs.p50);
  }
  // Every launch reached the API server exactly once, on both sides.
  assert.equal(r.launch.direct.kubeCreatesPerRequest, 1);
  assert.equal(r.launch.proxy.kubeCreatesPerRequest, 1);
  positive('ratio', r.launch.ratio);
  assert.equal(r.launch.serial.direct.count, 5);
  assert.equal(r.launch.serial.proxy.count, 5);
  assert.ok(Number.isFinite(r.launch.serial.p99OverheadMs));
  assert.ok(Number.isFinite(r.launch.p99OverheadMs));

  assert.equal(r.list.podsCached, 150);
  assert.equal(r.list.cached.failures, 0, r.list.cached.failureSamples.join('; '));
  assert.equal(r.list.cached.requests, 10);
  positive('cached list p50', r.list.cached.latencyMs.p50);
  assert.equal(r.list.cached.kubeCalls, 0);
  assert.equal(r.list.cached.kubeCallsPer1000, 0);
  // One default page out of 150 Pods, from both paths.
  assert.equal(r.list.cached.itemsPerAnswer, 100);
  assert.equal(r.list.naive.itemsPerAnswer, 100);
  assert.equal(r.list.naive.requests, 3);
  assert.equal(r.list.naive.kubeCalls, 3);
  assert.equal(r.list.naive.kubeCallsPer1000, 1000);
  positive('naive list p50', r.list.naive.latencyMs.p50);

  const m = r.memory;
  for (const [k, v] of Object.entries(m)) {
    if (k !== 'deltaBytes') {
      positive(k, v);
    }
  }
  assert.equal(m.cachedBytes, Math.max(m.fullReadyBytes, m.fullAfterListBytes, m.fullAfterLoopBytes));
  assert.equal(m.deltaBytes, m.cachedBytes - m.emptyAfterListBytes);

  const s = r.schedules;
  for (const [side, f] of [
    ['cached', s.cached],
    ['naive', s.naive],
  ] as const) {
    assert.equal(f.failures, 0, `${side} schedule list failures: ${f.failureSamples.join('; ')}`);
    assert.equal(f.itemsPerAnswer, 4, `${side} schedule lists answer every schedule`);
    positive(`${side} schedule p50`, f.latencyMs.p50);
  }
  assert.equal(s.cached.requests, 10);
  assert.deepEqual(s.cached.kubeCallsByVerb, {}, 'the schedule cache answers without any Kubernetes call');
  assert.equal(s.cached.kubeCallsPer1000, 0);
  assert.deepEqual(s.naive.kubeCallsByVerb, { 'list cronjobs': 3 });
  assert.equal(s.naive.kubeCallsPer1000, 1000);

  const c = r.templates;
  assert.equal(c.fileTemplates, 3);
  assert.equal(c.configMapTemplates, 6);
  assert.equal(c.fileOnly.itemsPerAnswer, 3);
  for (const [side, f] of [
    ['file only', c.fileOnly],
    ['live', c.live],
    ['live without gzip', c.liveIdentity],
  ] as const) {
    assert.equal(f.failures, 0, `${side} template GET failures: ${f.failureSamples.join('; ')}`);
    assert.ok(f.requests >= 10, `${side}: ${f.requests} requests`);
    positive(`${side} template p50`, f.latencyMs.p50);
    assert.equal(
      f.kubeCalls,
      0,
      `${side}: GET /api/v1/templates called Kubernetes: ${JSON.stringify(f.kubeCallsByVerb)}`
    );
  }
  assert.equal(c.live.itemsPerAnswer, 9);
  // the proxy's own timings cover exactly the live loop's requests
  assert.equal(c.liveServer.answers, c.live.requests);
  assert.ok(c.liveServer.within1ms >= 0 && c.liveServer.within1ms <= c.liveServer.answers);
  assert.ok(c.changes >= 2, `${c.changes} ConfigMap changes during the loop`);
  assert.ok(c.lastChangeSeen, 'the last ConfigMap change reached GET /api/v1/templates');
  // the timer's own writes are in the calls by verb, and are not held against the route
  assert.ok((c.live.kubeCallsByVerb['update configmaps'] ?? 0) >= 1, JSON.stringify(c.live.kubeCallsByVerb));
  positive('dry runs per change', c.dryRunsPerChange);

  const rows = figures(r);
  // the jobs list at scale: every mix answers a page at every size, the deep page is a real continue page
  assert.equal(r.scale.runs.length, 2);
  // two rounds of the three proxies (0, 120 and 300 Pods), and each figure printed is their median
  assert.deepEqual(
    r.scale.samples.map((runs) => runs.map((run) => run.pods)),
    [
      [0, 0],
      [120, 120],
      [300, 300],
    ]
  );
  assert.deepEqual([r.scale.empty, ...r.scale.runs], r.scale.samples.map(medianRun));
  for (const run of [...r.scale.samples.flat(), r.scale.empty, ...r.scale.runs]) {
    assert.deepEqual(
      run.mixes.map((m) => [m.failures, m.latencyMs.count]),
      // a median run counts the pages of both rounds
      run.mixes.map(() => [0, r.scale.samples.some((s) => s.includes(run)) ? 5 : 10]),
      JSON.stringify(run.mixes.flatMap((m) => m.failureSamples))
    );
    positive('ready ms', run.readyMs);
    positive('rss', run.rssBytes);
    // the full GC through the child's inspector ran and the figures after it were read
    positive('rss after a full GC', run.settledRssBytes);
    positive('heap used after a full GC', run.settledHeapUsedBytes);
    assert.ok(run.settledHeapTotalBytes >= run.settledHeapUsedBytes, 'V8 reserves at least the heap it uses');
    // the anonymous part was read from the same process: above 0 and within VmRSS
    assert.ok(run.settledRssAnonBytes > 0 && run.settledRssAnonBytes <= run.settledRssBytes, 'RssAnon within VmRSS');
    // the live loop's start carried the cursor alone; without since, every job of its proxy came too
    assert.equal(run.loopStart.items, 0);
    assert.equal(run.everyJob.items, run.pods);
    positive('loop start ms', run.loopStart.ms);
    // the same cursor and revisions, and (with jobs in the cache) the jobs on top
    assert.equal(
      run.loopStart.bytes < run.everyJob.bytes,
      run.pods > 0,
      `${run.loopStart.bytes}, ${run.everyJob.bytes}`
    );
  }
  assert.deepEqual(
    r.scale.runs.map((run) => run.mixes.map((m) => m.items)),
    [
      [100, 40, 0, 60],
      [100, 99, 3, 100],
    ]
  );
  // 4 mixes × 2 sizes, and sync (wall and CPU) and RSS growth at the largest size
  assert.equal(rows.filter((f) => f.target).length, 9 + 4 * 2 + 3);
  for (const f of rows) {
    assert.ok(Number.isFinite(f.measured), `${f.name} was not measured`);
    assert.equal(f.verdict, verdict(f.measured, f.target));
  }
  const printed = table(rows);
  for (const f of rows) {
    assert.ok(printed.includes(f.name), `table lacks ${f.name}`);
  }
  assert.equal(r.meta.config.pods, 150);
  positive('cpus', r.meta.cpus);
});
