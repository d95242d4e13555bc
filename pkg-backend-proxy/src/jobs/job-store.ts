import { isActive } from '../contract/phases.ts';
import type { Job, JobPhase } from '../schemas/index.ts';
import { type Cursor, formatCursor, rvNumber } from './cursor.ts';

export interface JobRecord {
  job: Job;
  /** flowkube.io/request-hash: lets an Idempotency-Key repeat be told apart from a reuse of the key. */
  requestHash?: string;
  /** flowkube.io/launch-id: which launch attempt made the Pod. */
  launchId?: string;
  /** flowkube.io/slots: the launch slots (Leases) the Pod holds until it ends. */
  slots?: string;
  /** The Job that controls the Pod (a schedule's run): its TTL removes the Pod, not the proxy's retention. */
  ownerJob?: string;
  /** Cancelled before it ran: when its Pod is deleted the job stays, as a tombstone (jobs/tombstone.ts). */
  keepWhenDeleted?: boolean;
  /** No Pod behind it any more: retention or a purge drops it from the cache, not from Kubernetes. */
  tombstone?: boolean;
}

export type ChangeListener = (prev: Job | undefined, next: Job | undefined) => void;

export interface ListFilter {
  template?: string;
  phase?: JobPhase;
  limit: number;
}

export type ChangesResult = { expired: true } | { expired: false; cursor: string; items: Job[]; removed: string[] };

function newestFirst(a: Job, b: Job): number {
  if (a.createdAt !== b.createdAt) {
    return a.createdAt < b.createdAt ? 1 : -1;
  }
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The proxy's in-memory view of FlowKube's Pods, fed by the watch: jobs by id, a newest-first order rebuilt only
 * when jobs come or go, live counts for the limits, and a bounded change log that /changes reads with cursors.
 *
 * The log is keyed by Kubernetes resourceVersions, which every replica sees alike, so a cursor works on any replica.
 * Each change is logged at its event's resourceVersion, or at the list's when a re-list found it: logging a change
 * later than it happened only makes a client see it twice (harmless), never miss it. Changes after `floorRv` are
 * all in the log; an older cursor has expired.
 */
export class JobStore {
  private readonly records = new Map<string, JobRecord>();
  private order: string[] | null = [];
  /** The resourceVersion the store is current at: of the last event, list or bookmark. */
  private knownRv = 0;
  /** A list's resourceVersion, from when it arrives until its differences have been applied. */
  private listRv = 0;
  private floorRv: number | undefined;
  private log: Array<{ rv: number; id: string }> = [];
  private readonly maxLog: number;
  private readonly activeByTemplate = new Map<string, number>();
  private activeTotal = 0;
  private readonly listeners: ChangeListener[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(options: { maxLog?: number } = {}) {
    this.maxLog = options.maxLog ?? 50_000;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  ids(): IterableIterator<string> {
    return this.records.keys();
  }

  /** `resourceVersion`: the Pod's, as the watch or list delivered it. */
  upsert(record: JobRecord, resourceVersion?: string): void {
    const prev = this.records.get(record.job.id);
    this.records.set(record.job.id, record);
    if (!prev) {
      this.order = null;
    }
    this.count(prev?.job, -1);
    this.count(record.job, +1);
    this.record(record.job.id, resourceVersion);
    for (const l of this.listeners) {
      l(prev?.job, record.job);
    }
  }

  /** `resourceVersion`: the deletion's (a watch DELETED event), or the last one known (a re-list found it gone). */
  remove(id: string, resourceVersion?: string): void {
    const prev = this.records.get(id);
    if (!prev) {
      return;
    }
    this.records.delete(id);
    this.order = null;
    this.count(prev.job, -1);
    this.record(id, resourceVersion);
    for (const l of this.listeners) {
      l(prev.job, undefined);
    }
  }

  active(template?: string): number {
    return template === undefined ? this.activeTotal : (this.activeByTemplate.get(template) ?? 0);
  }

  list(filter: ListFilter): Job[] {
    const out: Job[] = [];
    for (const id of this.sortedIds()) {
      const job = this.records.get(id)!.job;
      if (
        (filter.template === undefined || job.template === filter.template) &&
        (filter.phase === undefined || job.phase === filter.phase)
      ) {
        out.push(job);
        if (out.length >= filter.limit) {
          break;
        }
      }
    }
    return out;
  }

  all(): Job[] {
    return this.sortedIds().map((id) => this.records.get(id)!.job);
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
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.rv <= since.rv) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    const changed = new Set<string>();
    for (let i = lo; i < this.log.length; i++) {
      const id = this.log[i]!.id;
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
    if (this.closed || ms <= 0 || signal?.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Ends every waiting long-poll at once, so a shutting-down server is not held by them. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) {
      w();
    }
  }

  private sortedIds(): string[] {
    if (!this.order) {
      this.order = [...this.records.values()]
        .map((r) => r.job)
        .sort(newestFirst)
        .map((j) => j.id);
    }
    return this.order;
  }

  private count(job: Job | undefined, delta: number): void {
    if (!job || !isActive(job)) {
      return;
    }
    this.activeTotal += delta;
    this.activeByTemplate.set(job.template, (this.activeByTemplate.get(job.template) ?? 0) + delta);
  }

  private record(id: string, resourceVersion: string | undefined): void {
    // never below what is logged already: a re-list's Pods carry older versions than the list itself. Without a
    // version (unit tests) the change gets the next number, as if the API had answered one.
    const rv = rvNumber(resourceVersion) ?? this.knownRv + 1;
    this.knownRv = Math.max(this.knownRv, this.listRv, rv);
    this.log.push({ rv: this.knownRv, id });
    if (this.log.length > this.maxLog) {
      const dropped = this.log.length - Math.floor(this.maxLog / 2);
      this.floorRv = Math.max(this.floorRv ?? 0, this.log[dropped - 1]!.rv);
      this.log = this.log.slice(dropped);
    }
    for (const w of [...this.waiters]) {
      w();
    }
  }
}
