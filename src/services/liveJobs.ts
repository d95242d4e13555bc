import { SINCE_NOW } from '@flowkube/backend-proxy/contract';
import { type ApiError, getJob, pollChanges } from '../api/client';
import type { Job } from '../api/types';
import { CHANGES_TIMEOUT_SECONDS } from '../constants';

/**
 * The loop's state, not the jobs: each view reads what it shows (GET /jobs, GET /jobs/:id) and takes the loop's
 * changes to it, so the browser never holds a copy of every job.
 */
export interface LiveJobsSnapshot {
  error?: ApiError;
  /** No cursor yet. */
  loading: boolean;
  /** The proxy's schedulesRevision: it moves when a schedule is created, changed or deleted (re-read /schedules). */
  schedulesRevision?: number;
  /** The proxy's catalogRevision: it moves when a ConfigMap template is added, changed or removed (re-read /templates). */
  catalogRevision?: number;
  /**
   * Moves each time the loop starts from a new cursor (first, and again after a 410): a view reads what it shows
   * from the proxy once this is above 0, and again whenever it moves, since changes before the cursor never come.
   */
  epoch: number;
}

/** One long-poll answer's jobs: each changed job in its latest state, and the ids gone. */
export interface JobChanges {
  items: Job[];
  removed: string[];
}

/** One job a page follows (GET /jobs/:id, then the loop's changes of it). */
export interface FollowedJob {
  job?: Job;
  /** The proxy answered 404, or reported it gone. */
  removed: boolean;
  error?: ApiError;
  loading: boolean;
}

const NOT_READ: FollowedJob = { removed: false, loading: true };

interface Follow {
  count: number;
  state: FollowedJob;
  /** The epoch it was read at; a change of it after the read was sent wins over the read's answer. */
  readAt: number;
  changedSinceRead: boolean;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;
/** A proxy that answers an empty poll at once (instead of holding it) must not turn the loop into a busy loop. */
const EMPTY_POLL_PAUSE_MS = 1000;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One long-poll loop shared by every page and panel on screen, so ten open views cost one request to the proxy.
 * The loop runs while someone listens; each start bumps `generation`, so an answer that arrives for a stopped loop
 * (backendSrv requests cannot be aborted here) is dropped instead of being applied.
 */
export class LiveJobsStore {
  private listeners = new Set<() => void>();
  private changeListeners = new Set<(changes: JobChanges) => void>();
  private follows = new Map<string, Follow>();
  private generation = 0;
  /** Epochs handed out: never one twice, so a view that read at one knows when the next starts. */
  private epochs = 0;
  private snapshot: LiveJobsSnapshot = { loading: true, epoch: 0 };

  constructor(private readonly sleep: (ms: number) => Promise<void> = sleepMs) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.run(++this.generation);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.generation++;
        // the next run has no cursor yet: a view that renders before subscribing must not read against this one's
        this.snapshot = { ...this.snapshot, epoch: 0 };
      }
    };
  };

  getSnapshot = (): LiveJobsSnapshot => this.snapshot;

  /** Each answer's changed and removed jobs, as they come; listening keeps the loop running. */
  onChanges(listener: (changes: JobChanges) => void): () => void {
    this.changeListeners.add(listener);
    const unsubscribe = this.subscribe(() => {});
    return () => {
      this.changeListeners.delete(listener);
      unsubscribe();
    };
  }

  /**
   * Follows one job: read with GET /jobs/:id once the loop has a cursor (and again after each restart of it), then
   * kept current by the loop's changes. `followed(id)` reads it; listeners of `subscribe` hear of each change.
   */
  follow(id: string): () => void {
    let follow = this.follows.get(id);
    if (!follow) {
      follow = { count: 0, state: NOT_READ, readAt: 0, changedSinceRead: false };
      this.follows.set(id, follow);
    }
    follow.count++;
    const unsubscribe = this.subscribe(() => {});
    this.readFollowed();
    const mine = follow;
    return () => {
      unsubscribe();
      if (--mine.count === 0 && this.follows.get(id) === mine) {
        this.follows.delete(id);
      }
    };
  }

  followed = (id: string): FollowedJob => this.follows.get(id)?.state ?? NOT_READ;

  /** Reads each followed job not read since the loop's current cursor. */
  private readFollowed(): void {
    const { epoch } = this.snapshot;
    if (epoch === 0) {
      return;
    }
    this.follows.forEach((follow, id) => {
      if (follow.readAt === epoch) {
        return;
      }
      follow.readAt = epoch;
      follow.changedSinceRead = false;
      getJob(id).then(
        (job) => this.settleFollowed(id, follow, epoch, { job, removed: false, loading: false }),
        (error: ApiError) =>
          this.settleFollowed(
            id,
            follow,
            epoch,
            error.status === 404 ? { removed: true, loading: false } : { ...follow.state, error, loading: false }
          )
      );
    });
  }

  private settleFollowed(id: string, follow: Follow, epoch: number, state: FollowedJob): void {
    // the loop's copy came after the read was sent: it is the newer one
    if (this.follows.get(id) !== follow || follow.readAt !== epoch || follow.changedSinceRead) {
      return;
    }
    follow.state = state;
    this.listeners.forEach((listener) => listener());
  }

  private applyToFollowed(changes: JobChanges): void {
    const set = (id: string, state: FollowedJob) => {
      const follow = this.follows.get(id);
      if (follow) {
        follow.state = state;
        follow.changedSinceRead = true;
      }
    };
    changes.items.forEach((job) => set(job.id, { job, removed: false, loading: false }));
    changes.removed.forEach((id) => set(id, { removed: true, loading: false }));
  }

  get running(): boolean {
    return this.listeners.size > 0;
  }

  private publish(
    change: Partial<Pick<LiveJobsSnapshot, 'error' | 'loading' | 'schedulesRevision' | 'catalogRevision' | 'epoch'>>
  ): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.listeners.forEach((listener) => listener());
  }

  private async run(generation: number): Promise<void> {
    const live = () => generation === this.generation;
    let cursor: string | undefined;
    let failures = 0;
    while (live()) {
      try {
        if (cursor === undefined) {
          // since=now: the proxy answers at once with the cursor of its cache as it is, and no jobs. Views read
          // after this (readFollowed, useLiveQuery's epoch), so every change after their read comes through the loop.
          const start = await pollChanges(SINCE_NOW, 0);
          if (!live()) {
            return;
          }
          cursor = start.cursor;
          this.publish({
            loading: false,
            error: undefined,
            schedulesRevision: start.schedulesRevision,
            catalogRevision: start.catalogRevision,
            epoch: ++this.epochs,
          });
          this.readFollowed();
        } else {
          // schedulesSince and catalogRevision make the proxy answer at once when a schedule or the catalog changed
          const changes = await pollChanges(
            cursor,
            CHANGES_TIMEOUT_SECONDS,
            this.snapshot.schedulesRevision,
            this.snapshot.catalogRevision
          );
          if (!live()) {
            return;
          }
          const schedulesMoved = changes.schedulesRevision !== this.snapshot.schedulesRevision;
          const catalogMoved = changes.catalogRevision !== this.snapshot.catalogRevision;
          cursor = changes.cursor;
          const batch = { items: changes.items, removed: changes.removed };
          if (batch.items.length > 0 || batch.removed.length > 0) {
            this.applyToFollowed(batch);
            this.changeListeners.forEach((listener) => listener(batch));
          }
          const changed = changes.items.length > 0 || changes.removed.length > 0 || schedulesMoved || catalogMoved;
          if (changed || this.snapshot.error) {
            this.publish({
              error: undefined,
              schedulesRevision: changes.schedulesRevision,
              catalogRevision: changes.catalogRevision,
            });
          }
          if (!changed) {
            // Nothing missed meanwhile: the next poll starts from this cursor.
            await this.sleep(EMPTY_POLL_PAUSE_MS);
          }
        }
        failures = 0;
      } catch (err) {
        // Only the client's calls throw here, and client.ts rejects with nothing but an ApiError.
        const error = err as ApiError;
        if (error.status === 410) {
          // The proxy forgot our cursor (restart, or we were away too long): list again.
          cursor = undefined;
          continue;
        }
        if (!live()) {
          return;
        }
        failures++;
        this.publish({ error, loading: false });
        await this.sleep(Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (failures - 1)));
      }
    }
  }
}

export const liveJobsStore = new LiveJobsStore();
