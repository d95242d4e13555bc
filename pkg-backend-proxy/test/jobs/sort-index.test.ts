import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listPage } from '../../src/jobs/list-query.ts';
import { JobStore } from '../../src/jobs/job-store.ts';
import { CachedPod } from '../../src/jobs/cached-pod.ts';
import { compare, keyOf, type SortField } from '../../src/jobs/sort-index.ts';
import type { Job } from '../../src/schemas/index.ts';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const SORTS: SortField[] = ['created', 'finished', 'duration', 'template', 'phase'];

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function job(i: number, rnd: () => number): Job {
  const created = Math.floor(rnd() * 50); // many ties, so the id decides often
  const base: Job = {
    id: `j-${String(i).padStart(4, '0')}`,
    template: ['basic', 'cpu-load', 'log-gen'][i % 3]!,
    params: { n: i },
    phase: 'Pending',
    launchedBy: 'u',
    createdAt: at(created),
    schedule: null,
    source: null,
  };
  const state = rnd();
  if (state < 0.3) {
    return base;
  }
  if (state < 0.5) {
    return { ...base, phase: 'Running', startedAt: at(created + 1) };
  }
  const duration = Math.floor(rnd() * 20);
  return {
    ...base,
    phase: state < 0.8 ? 'Succeeded' : 'Failed',
    startedAt: at(created + 1),
    finishedAt: at(created + 1 + duration),
    durationSeconds: duration,
  };
}

/** What the page must be: every matching job sorted by its key, the slow way. */
function expected(jobs: Job[], sort: SortField, desc: boolean): string[] {
  const rows = jobs.map((j) => ({ id: j.id, key: keyOf(CachedPod.of({ job: j }), sort, Number.POSITIVE_INFINITY) }));
  return rows.sort((a, b) => compare(a.key, a.id, b.key, b.id, desc)).map((r) => r.id);
}

function countsOf(jobs: Job[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const j of jobs) {
    out[j.phase] = (out[j.phase] ?? 0) + 1;
  }
  return out;
}

test('the indexes and counts stay right through adds, changes of key and removals, for every sort and order', () => {
  const rnd = random(7);
  const store = new JobStore();
  const live = new Map<string, Job>();
  let n = 0;
  for (let round = 0; round < 30; round++) {
    for (let c = 0; c < 40; c++) {
      const roll = rnd();
      if (roll < 0.5 || live.size === 0) {
        const j = job(n++, rnd);
        live.set(j.id, j);
        store.upsert({ job: j });
      } else if (roll < 0.85) {
        const old = [...live.values()][Math.floor(rnd() * live.size)]!;
        const j = { ...job(Number(old.id.slice(2)), rnd), createdAt: old.createdAt };
        live.set(j.id, j);
        store.upsert({ job: j });
      } else {
        const old = [...live.keys()][Math.floor(rnd() * live.size)]!;
        live.delete(old);
        store.remove(old);
      }
    }
    const all = [...live.values()];
    assert.deepEqual(listPage(store, { limit: 1 }).counts, countsOf(all), `counts after round ${round}`);
    const basic = listPage(store, { template: 'basic', phase: 'Failed', limit: 1000 });
    assert.deepEqual(basic.counts, countsOf(all.filter((j) => j.template === 'basic')), `basic counts, round ${round}`);
    assert.deepEqual(
      basic.items.map((j) => j.id),
      expected(
        all.filter((j) => j.template === 'basic' && j.phase === 'Failed'),
        'created',
        true
      ),
      `basic Failed jobs, round ${round}`
    );
    for (const sort of SORTS) {
      for (const desc of [false, true]) {
        const page = listPage(store, { sort, order: desc ? 'desc' : 'asc', limit: 1000 }, T0 + 10_000_000);
        assert.deepEqual(
          page.items.map((j) => j.id),
          expected([...live.values()], sort, desc),
          `${sort} ${desc ? 'desc' : 'asc'} after round ${round}`
        );
      }
    }
  }
});

test('an index left unread through thousands of changes is rebuilt, not shifted, and still right', () => {
  const rnd = random(11);
  const store = new JobStore();
  store.upsert({ job: job(0, rnd) });
  assert.equal(listPage(store, { limit: 1 }).items.length, 1); // builds the created index
  const jobs = [store.get('j-0000')!.job];
  for (let i = 1; i < 3000; i++) {
    const j = job(i, rnd);
    jobs.push(j);
    store.upsert({ job: j });
  }
  assert.deepEqual(
    listPage(store, { limit: 1000 }).items.map((j) => j.id),
    expected(jobs, 'created', true).slice(0, 1000)
  );
});

test('one live store walked page by page while jobs start, finish and arrive: none skipped or repeated', () => {
  for (const sort of SORTS) {
    for (const order of ['asc', 'desc'] as const) {
      const rnd = random(3);
      const store = new JobStore();
      let clock = T0 + 1000_000;
      for (let i = 0; i < 80; i++) {
        store.upsert({ job: job(i, rnd) });
      }
      const present = new Set(store.ids());
      const seen: string[] = [];
      let token: string | undefined;
      let n = 80;
      do {
        const page = listPage(store, { sort, order, limit: 9, continue: token }, clock);
        seen.push(...page.items.map((j) => j.id));
        token = page.continue;
        clock += 5000;
        const t = new Date(clock).toISOString();
        for (const r of [...store.values()].slice(0, 15)) {
          const j = r.job;
          if (j.phase === 'Pending') {
            store.upsert({ job: { ...j, phase: 'Running', startedAt: t } });
          } else if (j.phase === 'Running') {
            store.upsert({ job: { ...j, phase: 'Failed', finishedAt: t, durationSeconds: 999 - n } });
          }
        }
        store.upsert({ job: { ...job(n, rnd), id: `new-${n}`, createdAt: t } });
        n++;
      } while (token);
      const walked = seen.filter((id) => present.has(id));
      assert.equal(new Set(seen).size, seen.length, `${sort} ${order}: a job was repeated`);
      assert.deepEqual(walked.sort(), [...present].sort(), `${sort} ${order}: a job was skipped`);
    }
  }
});
