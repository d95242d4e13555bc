import { JOB_PHASES, isFinished } from '../contract/phases.ts';
import type { JobListQuery, JobPhase } from '../schemas/index.ts';
import type { CachedPod } from './cached-pod.ts';

export type SortField = NonNullable<JobListQuery['sort']>;
export type Key = string | number | null;

/** Sorts whose keys move as a job runs, so a walk reads them as of its start. */
export const TIME_KEYED: ReadonlySet<SortField> = new Set(['finished', 'duration', 'phase']);

/**
 * A job's sort key as it was at `t0` (a walk's start; Infinity for "now, whatever the clocks say"). Keys that change
 * as a job runs (finished, duration, phase) are read as of then, from times that never change once set, so every
 * job keeps one key for the whole walk and paging by key neither skips nor repeats one. Jobs that appear during the
 * walk get their key like the others: seen once or, if they sort before the cursor, not at all.
 */
export function keyOf(r: CachedPod, sort: SortField, t0: number): Key {
  const finished = r.finishedMs !== undefined && r.finishedMs <= t0 && isFinished(r.phase);
  switch (sort) {
    case 'created':
      return r.createdMs;
    case 'template':
      return r.template;
    case 'finished':
      return finished ? r.finishedMs! : null;
    case 'duration':
      return finished && r.durationSeconds !== undefined ? r.durationSeconds : null;
    case 'phase': {
      const started = r.startedMs !== undefined && r.startedMs <= t0;
      const phase: JobPhase = finished ? r.phase : started ? 'Running' : r.phase === 'Unknown' ? 'Unknown' : 'Pending';
      return JOB_PHASES.indexOf(phase);
    }
  }
}

/** The last of a job's start and finish times, or null without either: a walk that began before it sees it moved. */
export function movedAt(r: CachedPod): number | null {
  const t = Math.max(r.startedMs ?? Number.NEGATIVE_INFINITY, r.finishedMs ?? Number.NEGATIVE_INFINITY);
  return Number.isFinite(t) ? t : null;
}

/** Order by key (no key last, whatever the order), then by id, both in the asked direction. */
export function compare(ak: Key, aid: string, bk: Key, bid: string, desc: boolean): number {
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

/**
 * Changes an index takes one by one before it is cheaper to drop it and sort again on the next read: each costs a
 * shift of up to the whole array, a sort costs about this many. Keeps a first list or a re-list of 100,000 Pods
 * from paying a shift per Pod.
 */
const MAX_UNREAD_CHANGES = 2000;

/**
 * The cache's jobs in one sort's order, ascending by (key, id), kept up to date change by change instead of sorted
 * per request: jobs with a key in `keyed`, the others (always last) in `unkeyed` by id. Built on first use. Records
 * never change, so the key a record was placed by is the key it is found by.
 */
export class SortIndex {
  private keyed: CachedPod[] = [];
  private unkeyed: CachedPod[] = [];
  private built = false;
  private unread = 0;
  readonly key: (r: CachedPod) => Key;

  constructor(key: (r: CachedPod) => Key) {
    this.key = key;
  }

  /** The index, built from `all` if it is not. */
  read(all: () => Iterable<CachedPod>): this {
    this.unread = 0;
    if (!this.built) {
      const keyed: CachedPod[] = [];
      const unkeyed: CachedPod[] = [];
      for (const r of all()) {
        (this.key(r) === null ? unkeyed : keyed).push(r);
      }
      const keys = new Map(keyed.map((r) => [r, this.key(r)]));
      keyed.sort((a, b) => compare(keys.get(a)!, a.id, keys.get(b)!, b.id, false));
      unkeyed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.keyed = keyed;
      this.unkeyed = unkeyed;
      this.built = true;
    }
    return this;
  }

  get size(): number {
    return this.keyed.length + this.unkeyed.length;
  }

  /** The record at walk position `p`: keyed then unkeyed, each ascending, or each descending for `desc`. */
  at(p: number, desc: boolean): CachedPod {
    const k = this.keyed.length;
    if (!desc) {
      return p < k ? this.keyed[p]! : this.unkeyed[p - k]!;
    }
    return p < k ? this.keyed[k - 1 - p]! : this.unkeyed[this.unkeyed.length - 1 - (p - k)]!;
  }

  /** The walk position right after (key, id): where the page after a cursor there starts. */
  after(key: Key, id: string, desc: boolean): number {
    const k = this.keyed.length;
    if (key === null) {
      const q = this.search(this.unkeyed, null, id, !desc);
      return desc ? k + this.unkeyed.length - q : k + q;
    }
    const p = this.search(this.keyed, key, id, !desc);
    return desc ? k - p : p;
  }

  /** Records whose key is above `min`, from the top: the jobs that moved after a walk began (see movedAt). */
  above(min: number): CachedPod[] {
    const out: CachedPod[] = [];
    for (let i = this.keyed.length - 1; i >= 0 && (this.key(this.keyed[i]!) as number) > min; i--) {
      out.push(this.keyed[i]!);
    }
    return out;
  }

  /** `prev` (if any) leaves, `next` (if any) comes. */
  replace(prev: CachedPod | undefined, next: CachedPod | undefined): void {
    if (!this.built) {
      return;
    }
    if (++this.unread > MAX_UNREAD_CHANGES) {
      this.built = false;
      this.keyed = [];
      this.unkeyed = [];
      return;
    }
    const pk = prev && this.key(prev);
    const nk = next && this.key(next);
    if (prev && next && pk === nk) {
      const list = pk === null ? this.unkeyed : this.keyed;
      list[this.search(list, pk!, prev.id, false)] = next;
      return;
    }
    if (prev) {
      const list = pk === null ? this.unkeyed : this.keyed;
      list.splice(this.search(list, pk!, prev.id, false), 1);
    }
    if (next) {
      const list = nk === null ? this.unkeyed : this.keyed;
      list.splice(this.search(list, nk!, next.id, false), 0, next);
    }
  }

  /**
   * The first position in `list` whose (key, id) is at or above the given one, or strictly above it. Keys in
   * `unkeyed` are all null, so only the ids decide there.
   */
  private search(list: CachedPod[], key: Key, id: string, strictlyAbove: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid]!;
      const c = compare(key === null ? null : this.key(r), r.id, key, id, false);
      if (c < 0 || (strictlyAbove && c === 0)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
