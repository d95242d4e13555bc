import { HttpError } from '../http-error.ts';
import type { PhaseFilter } from '../contract/phases.ts';
import type { Job, JobListQuery } from '../schemas/index.ts';
import type { CachedPod } from './cached-pod.ts';
import { JobStore } from './job-store.ts';
import { compare, type Key, keyOf, type SortField, type SortIndex, TIME_KEYED } from './sort-index.ts';

/**
 * A walk's position: the sort, order and filter it belongs to, the time it started and the key and id of the last
 * job it returned. Opaque to clients (base64url JSON), and valid on any replica: it holds no server state.
 */
interface Position {
  s: SortField;
  o: 'asc' | 'desc';
  f: string;
  t: number;
  k: Key;
  i: string;
}

type Match = (r: CachedPod) => boolean;

/** The filter without its phase (what the counts are for); undefined when it keeps every job. */
function matcher(query: JobListQuery, q: string): Match | undefined {
  const tests: Match[] = [];
  if (query.template !== undefined) {
    tests.push((r) => r.template === query.template);
  }
  if (query.schedule !== undefined) {
    tests.push((r) => r.schedule === query.schedule);
  }
  if (query.dashboard !== undefined) {
    // the launcher-panel filter: jobs launched from that dashboard, and from that panel of it when one is named
    tests.push((r) => {
      const source = r.rest.source;
      return !!source && source.dashboardUid === query.dashboard && (query.panel ?? source.panelId) === source.panelId;
    });
  }
  if (q !== '') {
    // ids are lower-case already (Pod names); the rest was lowered once, when the job was cached
    tests.push(q.includes('\0') ? () => false : (r) => r.id.includes(q) || r.haystack.includes(q));
  }
  if (tests.length <= 1) {
    return tests[0];
  }
  return (r) => tests.every((t) => t(r));
}

function encode(p: Position): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function badContinue(message: string): HttpError {
  const fields = [{ field: 'continue', message }];
  return new HttpError(400, 'bad_request', `continue ${message}`, { details: { fields } });
}

function decode(token: string, expect: { s: SortField; o: string; f: string }): Position {
  let p: Partial<Position>;
  try {
    p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Position>;
  } catch {
    throw badContinue('is not a token this API gave out; start again without it');
  }
  // a template's key is its name, every other key a number (a time, a duration or a phase's rank)
  const keyType = expect.s === 'template' ? 'string' : 'number';
  if (
    !p ||
    typeof p !== 'object' ||
    typeof p.t !== 'number' ||
    typeof p.i !== 'string' ||
    !(p.k === null || typeof p.k === keyType)
  ) {
    throw badContinue('is not a token this API gave out; start again without it');
  }
  if (p.s !== expect.s || p.o !== expect.o || p.f !== expect.f) {
    throw badContinue('belongs to a walk with another sort, order or filter; pass the same ones, or start again');
  }
  return p as Position;
}

export interface ListPage {
  items: Job[];
  continue?: string;
  counts: Record<string, number>;
  activeCount: number;
  active: Record<string, number>;
  templates: string[];
  schedules: string[];
}

/**
 * Answers that stay right while the store does not change (its version): per-phase counts by filter, and the jobs
 * a filter keeps, in a sort's walk order. Bounded, and dropped at the next change.
 */
const memo = new WeakMap<JobStore, { version: number; entries: Map<string, unknown> }>();
const MAX_MEMO_ENTRIES = 32;

function remembered<T>(store: JobStore, key: string, compute: () => T): T {
  let m = memo.get(store);
  if (!m || m.version !== store.version || m.entries.size >= MAX_MEMO_ENTRIES) {
    m = { version: store.version, entries: new Map() };
    memo.set(store, m);
  }
  if (!m.entries.has(key)) {
    m.entries.set(key, compute());
  }
  return m.entries.get(key) as T;
}

interface Counts {
  counts: Record<string, number>;
  /** Of those, the active ones (`isActive`, which `r.active` holds): what admission counts, so the card's count. */
  active: number;
}

/** Per phase and active, for the filter without its phase: the store's own when nothing is filtered, else one pass. */
function countsFor(store: JobStore, scope: string, match: Match | undefined): Counts {
  if (!match) {
    return { counts: store.phaseCounts(), active: store.active() };
  }
  const counted = remembered(store, `counts ${scope}`, () => {
    const out: Counts = { counts: {}, active: 0 };
    for (const r of store.values()) {
      if (match(r)) {
        out.counts[r.phase] = (out.counts[r.phase] ?? 0) + 1;
        out.active += r.active ? 1 : 0;
      }
    }
    return out;
  });
  return { counts: { ...counted.counts }, active: counted.active };
}

/** The `phase` filter; `active` is the predicate the store's active counts use (contract/phases.ts `inPhaseFilter`). */
function phaseMatch(phase: PhaseFilter): Match {
  return phase === 'active' ? (r) => r.active : (r) => r.phase === phase;
}

/** A sort's walk order, whole (read off the index) or only the jobs a filter keeps. */
interface View {
  size: number;
  at(p: number): CachedPod;
  /** The position right after (key, id). */
  after(key: Key, id: string): number;
}

function indexView(index: SortIndex, desc: boolean): View {
  return { size: index.size, at: (p) => index.at(p, desc), after: (k, i) => index.after(k, i, desc) };
}

/**
 * The jobs `match` keeps, in walk order, taken off the index in one pass and kept until the store changes: a walk's
 * pages and the same query from other people then cost a binary search each, whatever the filter leaves.
 */
function filteredView(store: JobStore, index: SortIndex, desc: boolean, key: string, match: Match): View {
  const rows = remembered(store, `rows ${key}`, () => {
    const out: CachedPod[] = [];
    for (let p = 0; p < index.size; p++) {
      const r = index.at(p, desc);
      if (match(r)) {
        out.push(r);
      }
    }
    return out;
  });
  return {
    size: rows.length,
    at: (p) => rows[p]!,
    after: (k, i) => {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const r = rows[mid]!;
        if (compare(index.key(r), r.id, k, i, desc) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    },
  };
}

interface Row {
  key: Key;
  r: CachedPod;
}

/**
 * One page of the jobs list: filtered (template, schedule, source, phase or active, q), sorted, after the cursor, with
 * per-phase counts for the filter without its phase. From the cache (no Kubernetes call), and without sorting it:
 * the page is read off the store's index for the sort from the cursor on, until `limit` jobs matched. Jobs that
 * started or finished after the walk began (its keys as of then are not the ones they are indexed by) are few, and
 * merged in by their keys as of then.
 */
export function listPage(jobs: JobStore | Iterable<Job>, query: JobListQuery, now = Date.now()): ListPage {
  const store = jobs instanceof JobStore ? jobs : JobStore.of(jobs);
  const sort: SortField = query.sort ?? 'created';
  const order = query.order ?? 'desc';
  const desc = order === 'desc';
  const limit = query.limit ?? 100;
  const q = query.q?.trim().toLowerCase() ?? '';
  const scope = [
    query.template ?? null,
    q,
    query.schedule ?? null,
    ...(query.dashboard !== undefined ? [query.dashboard, query.panel ?? null] : []),
  ];
  const filter = JSON.stringify([scope[0], query.phase ?? null, ...scope.slice(1)]);
  const from = query.continue ? decode(query.continue, { s: sort, o: order, f: filter }) : undefined;
  const t0 = from?.t ?? now;

  const inScope = matcher(query, q);
  const { counts, active } = countsFor(store, JSON.stringify(scope), inScope);
  const byPhase = query.phase === undefined ? undefined : phaseMatch(query.phase);
  const match: Match | undefined = byPhase && inScope ? (r) => byPhase(r) && inScope(r) : (byPhase ?? inScope);
  const afterCursor = (key: Key, id: string) => !from || compare(key, id, from.k, from.i, desc) > 0;

  const index = store.sorted(sort);
  const view = match ? filteredView(store, index, desc, `${sort} ${order} ${filter}`, match) : indexView(index, desc);
  const moved = TIME_KEYED.has(sort) ? store.movedAfter(t0) : [];
  const movedSet = new Set(moved);
  const late: Row[] = (match ? moved.filter(match) : moved)
    .map((r) => ({ key: keyOf(r, sort, t0), r }))
    .filter((row) => afterCursor(row.key, row.r.id))
    .sort((a, b) => compare(a.key, a.r.id, b.key, b.r.id, desc));

  const page: Row[] = [];
  let next = 0;
  for (let p = from ? view.after(from.k, from.i) : 0; p < view.size && page.length <= limit; p++) {
    const r = view.at(p);
    if (movedSet.has(r)) {
      continue;
    }
    const key = index.key(r);
    while (next < late.length && compare(late[next]!.key, late[next]!.r.id, key, r.id, desc) < 0) {
      page.push(late[next++]!);
    }
    page.push({ key, r });
  }
  while (next < late.length && page.length <= limit) {
    page.push(late[next++]!);
  }

  const shown = page.slice(0, limit);
  const out: ListPage = {
    items: shown.map((row) => row.r.job),
    counts,
    activeCount: active,
    active: store.activeCounts(),
    ...store.choices(),
  };
  const last = shown.at(-1);
  if (page.length > limit && last) {
    out.continue = encode({ s: sort, o: order, f: filter, t: t0, k: last.key, i: last.r.id });
  }
  return out;
}
