import { JOB_PHASES, isFinished } from '../contract/phases.ts';
import { HttpError } from '../http-error.ts';
import type { Job, JobListQuery, JobPhase } from '../schemas/index.ts';

export type SortField = NonNullable<JobListQuery['sort']>;
type Key = string | number | null;

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

/**
 * A job's sort key as it was when the walk started (`t0`). Keys that change as a job runs (finished, duration,
 * phase) are read as of then, from times that never change once set, so every job keeps one key for the whole walk
 * and paging by key neither skips nor repeats one. Jobs that appear during the walk get their key like the others:
 * seen once or, if they sort before the cursor, not at all.
 */
function keyOf(job: Job, sort: SortField, t0: number): Key {
  const finished = job.finishedAt !== undefined && Date.parse(job.finishedAt) <= t0 && isFinished(job.phase);
  switch (sort) {
    case 'created':
      return job.createdAt;
    case 'template':
      return job.template;
    case 'finished':
      return finished ? job.finishedAt! : null;
    case 'duration':
      return finished && job.durationSeconds !== undefined ? job.durationSeconds : null;
    case 'phase': {
      const started = job.startedAt !== undefined && Date.parse(job.startedAt) <= t0;
      const phase: JobPhase = finished
        ? job.phase
        : started
          ? 'Running'
          : job.phase === 'Unknown'
            ? 'Unknown'
            : 'Pending';
      return JOB_PHASES.indexOf(phase);
    }
  }
}

/** Order by key (no key last, whatever the order), then by id, both in the asked direction. */
function compare(ak: Key, aid: string, bk: Key, bid: string, desc: boolean): number {
  if (ak !== bk) {
    if (ak === null) {
      return 1;
    }
    if (bk === null) {
      return -1;
    }
    const c = ak < bk ? -1 : 1;
    return desc ? -c : c;
  }
  if (aid === bid) {
    return 0;
  }
  const c = aid < bid ? -1 : 1;
  return desc ? -c : c;
}

function matchesText(job: Job, q: string): boolean {
  const hay = [job.id, job.template, job.launchedBy, job.reason ?? '', ...Object.values(job.params).map(String)];
  return hay.some((v) => v.toLowerCase().includes(q));
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
  if (
    !p ||
    typeof p !== 'object' ||
    typeof p.t !== 'number' ||
    typeof p.i !== 'string' ||
    !(p.k === null || typeof p.k === 'string' || typeof p.k === 'number')
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

/**
 * One page of the jobs list: filtered (template, phase, q), sorted, after the cursor, with per-phase counts for
 * the filter without its phase. Pure, from the cache's jobs: no Kubernetes call.
 */
export function listPage(jobs: Iterable<Job>, query: JobListQuery, now = Date.now()): ListPage {
  const sort: SortField = query.sort ?? 'created';
  const order = query.order ?? 'desc';
  const desc = order === 'desc';
  const limit = query.limit ?? 100;
  const q = query.q?.trim().toLowerCase() ?? '';
  const filter = JSON.stringify([query.template ?? null, query.phase ?? null, q]);
  const from = query.continue ? decode(query.continue, { s: sort, o: order, f: filter }) : undefined;
  const t0 = from?.t ?? now;

  const counts: Record<string, number> = {};
  const rows: Array<{ key: Key; job: Job }> = [];
  for (const job of jobs) {
    if ((query.template !== undefined && job.template !== query.template) || (q !== '' && !matchesText(job, q))) {
      continue;
    }
    counts[job.phase] = (counts[job.phase] ?? 0) + 1;
    if (query.phase !== undefined && job.phase !== query.phase) {
      continue;
    }
    const key = keyOf(job, sort, t0);
    if (from && compare(key, job.id, from.k, from.i, desc) <= 0) {
      continue;
    }
    rows.push({ key, job });
  }
  rows.sort((a, b) => compare(a.key, a.job.id, b.key, b.job.id, desc));
  const page = rows.slice(0, limit);
  const out: ListPage = { items: page.map((r) => r.job), counts };
  const last = page.at(-1);
  if (rows.length > limit && last) {
    out.continue = encode({ s: sort, o: order, f: filter, t: t0, k: last.key, i: last.job.id });
  }
  return out;
}
