import { HttpError } from '../http-error.ts';
import type { Job, JobListQuery } from '../schemas/index.ts';
import type { CachedPod } from './cached-pod.ts';
import { JobStore } from './job-store.ts';
import { compare, type Key, keyOf, type SortField, TIME_KEYED } from './sort-index.ts';

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

/** The filter without its phase: what the counts are for. */
function matcher(query: JobListQuery, q: string): Match {
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
}

/** Per-phase counts by filter, valid while the store's version stays the same. */
const countCache = new WeakMap<JobStore, { version: number; byFilter: Map<string, Record<string, number>> }>();
const MAX_CACHED_FILTERS = 64;

/** Jobs per phase for the filter without its phase, in one pass over the store, once per change of the store. */
function countsFor(store: JobStore, filter: string, match: Match): Record<string, number> {
  let cache = countCache.get(store);
  if (!cache || cache.version !== store.version || cache.byFilter.size >= MAX_CACHED_FILTERS) {
    cache = { version: store.version, byFilter: new Map() };
    countCache.set(store, cache);
  }
  let counts = cache.byFilter.get(filter);
  if (!counts) {
    counts = {};
    for (const r of store.values()) {
      if (match(r)) {
        counts[r.phase] = (counts[r.phase] ?? 0) + 1;
      }
    }
    cache.byFilter.set(filter, counts);
  }
  return { ...counts };
}

interface Row {
  key: Key;
  r: CachedPod;
}

/**
 * One page of the jobs list: filtered (template, schedule, source, phase, q), sorted, after the cursor, with
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
  const counts = countsFor(store, JSON.stringify(scope), inScope);
  const match: Match = query.phase === undefined ? inScope : (r) => r.phase === query.phase && inScope(r);
  const afterCursor = (key: Key, id: string) => !from || compare(key, id, from.k, from.i, desc) > 0;

  const index = store.sorted(sort);
  const moved = TIME_KEYED.has(sort) ? store.movedAfter(t0) : [];
  const movedSet = new Set(moved);
  const late: Row[] = moved
    .filter(match)
    .map((r) => ({ key: keyOf(r, sort, t0), r }))
    .filter((row) => afterCursor(row.key, row.r.id))
    .sort((a, b) => compare(a.key, a.r.id, b.key, b.r.id, desc));

  const page: Row[] = [];
  let next = 0;
  for (let p = from ? index.after(from.k, from.i, desc) : 0; p < index.size && page.length <= limit; p++) {
    const r = index.at(p, desc);
    if (movedSet.has(r) || !match(r)) {
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
  const out: ListPage = { items: shown.map((row) => row.r.job), counts };
  const last = shown.at(-1);
  if (page.length > limit && last) {
    out.continue = encode({ s: sort, o: order, f: filter, t: t0, k: last.key, i: last.r.id });
  }
  return out;
}
