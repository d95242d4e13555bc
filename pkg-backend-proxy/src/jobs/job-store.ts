import { ChangeWaiters } from '../change-waiters.ts';
import type { Job, JobPhase } from '../schemas/index.ts';
import { CachedPod } from './cached-pod.ts';
import { type Cursor, formatCursor, rvNumber } from './cursor.ts';
import { keyOf, movedAt, SortIndex, type SortField } from './sort-index.ts';

export interface JobRecord {
  readonly job: Job;
  /** flowkube.io/request-hash: lets an Idempotency-Key repeat be told apart from a reuse of the key. */
  requestHash?: string;
  /** flowkube.io/launch-id: which launch attempt made the Pod. */
  launchId?: string;
  /** flowkube.io/slots: the launch slots (Leases) the Pod holds until it ends. */
  slots?: string;
  /** The Job that controls the Pod (a schedule's run): its TTL removes the Pod, not the proxy's retention. */
  ownerJob?: string;
  /**
   * Cancelled before it ran without the cancel finalizer (a Pod a Job owns): when its Pod is deleted the job stays,
   * as a tombstone in this replica only (jobs/tombstone.ts).
   */
  keepWhenDeleted?: boolean;
  /** The Pod carries FINALIZER_CANCELLED: it goes only once purge or retention removes that (jobs/delete-pod.ts). */
  cancelHold?: boolean;
  /** No Pod behind it any more: retention or a purge drops it from the cache, not from Kubernetes. */
  tombstone?: boolean;
}

/** Purged ids remembered: far more than can be deleted between a purge and the watch event it races with. */
const MAX_PURGED = 10_000;

/** A count per key, as the answers carry it: the keys counted down to 0 stay in the map but not in the answer. */
function positiveCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].filter(([, n]) => n > 0));
}

/**
 * Called with the records before and after each change. Records, not Jobs: a sync of 100,000 Pods would otherwise
 * build (and drop) two full Job objects per Pod for listeners that read a few fields; `.job` builds one when needed.
 */
export type ChangeListener = (prev: CachedPod | undefined, next: CachedPod | undefined) => void;

export interface ListFilter {
  template?: string;
  phase?: JobPhase;
  limit: number;
}

export type ChangesResult = { expired: true } | { expired: false; cursor: string; items: Job[]; removed: string[] };

/**
 * The proxy's in-memory view of FlowKube's Pods, fed by the watch: compact records by id (cached-pod.ts), each list
 * order kept up to date as jobs change (sort-index.ts), live counts for the limits, and a bounded change log that
 * /changes reads with cursors.
 *
 * The log is keyed by Kubernetes resourceVersions, which every replica sees alike, so a cursor works on any replica.
 * Each change is logged at its event's resourceVersion, or at the list's when a re-list found it: logging a change
 * later than it happened only makes a client see it twice (harmless), never miss it. Changes after `floorRv` are
 * all in the log; an older cursor has expired.
 */
export class JobStore {
  private readonly records = new Map<string, CachedPod>();
  private readonly indexes = new Map<SortField | 'moved', SortIndex>();
  /** Moves on every change: what a list answer may be cached against. */
  private changes = 0;
  /** The resourceVersion the store is current at: of the last event, list or bookmark. */
  private knownRv = 0;
  /** A list's resourceVersion, from when it arrives until its differences have been applied. */
  private listRv = 0;
  private floorRv: number | undefined;
  private logRv: number[] = [];
  private logId: string[] = [];
  private readonly maxLog: number;
  private readonly activeByTemplate = new Map<string, number>();
  private activeTotal = 0;
  private readonly byPhase = new Map<JobPhase, number>();
  /** Jobs per template and per schedule: which ones have any, the list's filter choices. */
  private readonly byTemplate = new Map<string, number>();
  private readonly bySchedule = new Map<string, number>();
  private choiceLists: { templates: string[]; schedules: string[] } | undefined;
  private readonly listeners: ChangeListener[] = [];
  private readonly waiters = new ChangeWaiters();
  /** Jobs purged without a Pod to delete, so a late DELETED of their Pod does not bring their tombstone back. */
  private readonly purged = new Set<string>();

  constructor(options: { maxLog?: number } = {}) {
    this.maxLog = options.maxLog ?? 50_000;
  }

  /** A store holding `jobs`, for answering a list over jobs that are not the cache's. */
  static of(jobs: Iterable<Job>): JobStore {
    const store = new JobStore();
    for (const job of jobs) {
      store.upsert({ job });
    }
    return store;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.records.size;
  }

  /** Counts every change: equal between two reads means nothing changed in between. */
  get version(): number {
    return this.changes;
  }

  get(id: string): CachedPod | undefined {
    return this.records.get(id);
  }

  ids(): IterableIterator<string> {
    return this.records.keys();
  }

  /** Every record, in no particular order. */
  values(): IterableIterator<CachedPod> {
    return this.records.values();
  }

  /** The records in `sort` order (ascending by key, then id; no key last), kept from here on. */
  sorted(sort: SortField): SortIndex {
    return this.index(sort, (r) => keyOf(r, sort, Number.POSITIVE_INFINITY));
  }

  /** Records that started or finished after `t0`: their keys as of `t0` are not the ones they are sorted by. */
  movedAfter(t0: number): CachedPod[] {
    return this.index('moved', movedAt).above(t0);
  }

  /** `resourceVersion`: the Pod's, as the watch or list delivered it. */
  upsert(record: JobRecord, resourceVersion?: string): void {
    const next = CachedPod.of(record);
    if (next.tombstone && this.purged.has(next.id)) {
      return;
    }
    const prev = this.records.get(next.id);
    this.records.set(next.id, next);
    this.changed(prev, next);
    this.record(next.id, resourceVersion);
    for (const l of this.listeners) {
      l(prev, next);
    }
  }

  /** `resourceVersion`: the deletion's (a watch DELETED event), or the last one known (a re-list found it gone). */
  remove(id: string, resourceVersion?: string): void {
    const prev = this.records.get(id);
    if (!prev) {
      return;
    }
    this.records.delete(id);
    this.changed(prev, undefined);
    this.record(id, resourceVersion);
    for (const l of this.listeners) {
      l(prev, undefined);
    }
  }

  /** Jobs per phase, of every job: the list's counts when nothing is filtered. */
  phaseCounts(): Record<string, number> {
    return positiveCounts(this.byPhase);
  }

  /**
   * Drops a job whose Pod is gone or going (a tombstone, or a job cancelled before it ran whose Pod went first), for
   * good: its tombstone is not made again when the Pod's deletion arrives later.
   */
  purge(id: string): void {
    this.purged.add(id);
    if (this.purged.size > MAX_PURGED) {
      this.purged.delete(this.purged.values().next().value!);
    }
    this.remove(id);
  }

  /** Every template and schedule with at least one job, sorted; made again only when one comes or goes. */
  choices(): { templates: string[]; schedules: string[] } {
    this.choiceLists ??= {
      templates: [...this.byTemplate.keys()].sort(),
      schedules: [...this.bySchedule.keys()].sort(),
    };
    return this.choiceLists;
  }

  /** Jobs Pending or Running and not asked to stop (contract/phases.ts `isActive`): what the launch limits count. */
  active(template?: string): number {
    return template === undefined ? this.activeTotal : (this.activeByTemplate.get(template) ?? 0);
  }

  /** `active(template)` of every template that has an active job. */
  activeCounts(): Record<string, number> {
    return positiveCounts(this.activeByTemplate);
  }

  list(filter: ListFilter): Job[] {
    const out: Job[] = [];
    const order = this.sorted('created').read(() => this.records.values());
    for (let p = 0; p < order.size && out.length < filter.limit; p++) {
      const r = order.at(p, true);
      if (
        (filter.template === undefined || r.template === filter.template) &&
        (filter.phase === undefined || r.phase === filter.phase)
      ) {
        out.push(r.job);
      }
    }
    return out;
  }

  /** Every record, newest first; read it at once (a change meanwhile moves the order under it). */
  *newestFirst(): Generator<CachedPod> {
    const order = this.sorted('created');
    for (let p = 0; p < order.size; p++) {
      yield order.at(p, true);
    }
  }

  /** Every job, newest first: a full Job per record, so only for answers that send them all. */
  all(): Job[] {
    return Array.from(this.newestFirst(), (r) => r.job);
  }

  cursor(): string {
    return formatCursor({ rv: this.knownRv });
  }

  /**
   * A list at `resourceVersion` is about to be applied: its differences are logged at that version. The first list
   * is where the log starts; nothing before it can be answered.
   */
  listed(resourceVersion: string | undefined): void {
    const rv = rvNumber(resourceVersion) ?? this.knownRv;
    this.listRv = Math.max(this.listRv, rv);
    this.floorRv ??= rv;
  }

  /**
   * The watch is running again, so the last list has been applied and the store is current at its version. Not
   * earlier: a cursor handed out between the list and its differences would skip them.
   */
  settle(): void {
    this.knownRv = Math.max(this.knownRv, this.listRv);
  }

  /** A bookmark: nothing of ours changed up to `resourceVersion`. */
  advance(resourceVersion: string | undefined): void {
    this.settle();
    const rv = rvNumber(resourceVersion);
    if (rv !== undefined && rv > this.knownRv) {
      this.knownRv = rv;
    }
  }

  /**
   * Jobs changed after `since` in their latest state, and ids gone since. A cursor ahead of this store (another
   * replica's watch is a little further) gets nothing yet and keeps its position; one from before the log has expired.
   */
  changesSince(since: Cursor): ChangesResult {
    if (since.rv < (this.floorRv ?? 0)) {
      return { expired: true };
    }
    if (since.rv >= this.knownRv) {
      return { expired: false, cursor: formatCursor(since), items: [], removed: [] };
    }
    let lo = 0;
    let hi = this.logRv.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.logRv[mid]! <= since.rv) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    const changed = new Set<string>();
    for (let i = lo; i < this.logId.length; i++) {
      const id = this.logId[i]!;
      changed.delete(id); // keep each id once, at its latest change
      changed.add(id);
    }
    const items: Job[] = [];
    const removed: string[] = [];
    for (const id of changed) {
      const rec = this.records.get(id);
      if (rec) {
        items.push(rec.job);
      } else {
        removed.push(id);
      }
    }
    return { expired: false, cursor: this.cursor(), items, removed };
  }

  /** Resolves on the next change, after `ms`, or when the store closes: whichever comes first. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(ms, signal);
  }

  /** Ends every waiting long-poll at once, so a shutting-down server is not held by them. */
  close(): void {
    this.waiters.close();
  }

  private index(name: SortField | 'moved', key: (r: CachedPod) => number | string | null): SortIndex {
    let index = this.indexes.get(name);
    if (!index) {
      index = new SortIndex(key);
      this.indexes.set(name, index);
    }
    return index.read(() => this.records.values());
  }

  private changed(prev: CachedPod | undefined, next: CachedPod | undefined): void {
    this.changes += 1;
    for (const index of this.indexes.values()) {
      index.replace(prev, next);
    }
    for (const [r, delta] of [
      [prev, -1],
      [next, +1],
    ] as const) {
      if (r) {
        this.byPhase.set(r.phase, (this.byPhase.get(r.phase) ?? 0) + delta);
      }
      if (r?.active) {
        this.activeTotal += delta;
        this.activeByTemplate.set(r.template, (this.activeByTemplate.get(r.template) ?? 0) + delta);
      }
    }
    // most changes are a phase moving: the template and schedule stay, and so do the choices
    if (prev?.template !== next?.template) {
      this.count(this.byTemplate, prev?.template, -1);
      this.count(this.byTemplate, next?.template, +1);
    }
    if (prev?.schedule !== next?.schedule) {
      this.count(this.bySchedule, prev?.schedule, -1);
      this.count(this.bySchedule, next?.schedule, +1);
    }
  }

  private count(counts: Map<string, number>, key: string | null | undefined, delta: number): void {
    if (key === null || key === undefined) {
      return;
    }
    const n = (counts.get(key) ?? 0) + delta;
    if (n > 0) {
      counts.set(key, n);
    } else {
      counts.delete(key);
    }
    if (n === 0 || n === delta) {
      this.choiceLists = undefined;
    }
  }

  private record(id: string, resourceVersion: string | undefined): void {
    // never below what is logged already: a re-list's Pods carry older versions than the list itself. Without a
    // version (unit tests) the change gets the next number, as if the API had answered one.
    const rv = rvNumber(resourceVersion) ?? this.knownRv + 1;
    this.knownRv = Math.max(this.knownRv, this.listRv, rv);
    this.logRv.push(this.knownRv);
    this.logId.push(id);
    if (this.logRv.length > this.maxLog) {
      const dropped = this.logRv.length - Math.floor(this.maxLog / 2);
      this.floorRv = Math.max(this.floorRv ?? 0, this.logRv[dropped - 1]!);
      this.logRv = this.logRv.slice(dropped);
      this.logId = this.logId.slice(dropped);
    }
    this.waiters.wake();
  }
}
