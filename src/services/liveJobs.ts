import { type ApiError, pollChanges } from '../api/client';
import type { Job } from '../api/types';
import { CHANGES_TIMEOUT_SECONDS } from '../constants';

export interface LiveJobsSnapshot {
  /** Newest first. */
  jobs: Job[];
  error?: ApiError;
  loading: boolean;
  /** Ids the proxy reported as gone since this page was opened. */
  removed: ReadonlySet<string>;
  /** The proxy's schedulesRevision: it moves when a schedule is created, changed or deleted (re-read /schedules). */
  schedulesRevision?: number;
  /** The proxy's catalogRevision: it moves when a ConfigMap template is added, changed or removed (re-read /templates). */
  catalogRevision?: number;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;
/** A proxy that answers an empty poll at once (instead of holding it) must not turn the loop into a busy loop. */
const EMPTY_POLL_PAUSE_MS = 1000;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function newestFirst(a: Job, b: Job): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/**
 * One long-poll loop shared by every page and panel on screen, so ten open views cost one request to the proxy.
 * The loop runs while someone listens; each start bumps `generation`, so an answer that arrives for a stopped loop
 * (backendSrv requests cannot be aborted here) is dropped instead of being applied.
 */
export class LiveJobsStore {
  private jobs = new Map<string, Job>();
  private removed = new Set<string>();
  private listeners = new Set<() => void>();
  private generation = 0;
  private snapshot: LiveJobsSnapshot = { jobs: [], loading: true, removed: this.removed };

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
      }
    };
  };

  getSnapshot = (): LiveJobsSnapshot => this.snapshot;

  get running(): boolean {
    return this.listeners.size > 0;
  }

  /** Adds a job fetched on its own (e.g. an old one beyond the list's limit) so the loop keeps it current. */
  upsert(job: Job): void {
    this.jobs.set(job.id, job);
    this.publish({});
  }

  markRemoved(id: string): void {
    this.jobs.delete(id);
    this.removed.add(id);
    this.publish({});
  }

  private publish(
    change: Partial<Pick<LiveJobsSnapshot, 'error' | 'loading' | 'schedulesRevision' | 'catalogRevision'>>
  ): void {
    const jobs = [...this.jobs.values()].sort(newestFirst);
    this.snapshot = { ...this.snapshot, ...change, jobs, removed: new Set(this.removed) };
    this.listeners.forEach((listener) => listener());
  }

  private async run(generation: number): Promise<void> {
    const live = () => generation === this.generation;
    let cursor: string | undefined;
    let failures = 0;
    while (live()) {
      try {
        if (cursor === undefined) {
          // Without a cursor the proxy answers at once with every job and the cursor they are current at:
          // a list and its cursor taken together, so no change can fall between them.
          const start = await pollChanges(undefined, 0);
          if (!live()) {
            return;
          }
          this.jobs = new Map(start.items.map((job) => [job.id, job]));
          cursor = start.cursor;
          this.publish({
            loading: false,
            error: undefined,
            schedulesRevision: start.schedulesRevision,
            catalogRevision: start.catalogRevision,
          });
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
          changes.items.forEach((job) => this.jobs.set(job.id, job));
          changes.removed.forEach((id) => {
            this.jobs.delete(id);
            this.removed.add(id);
          });
          cursor = changes.cursor;
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
