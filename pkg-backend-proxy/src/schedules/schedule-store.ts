import type { V1CronJob } from '@kubernetes/client-node';
import { ChangeWaiters } from '../change-waiters.ts';

/**
 * FlowKube's CronJobs as the watch last showed them, by name, with a change counter that /api/v1/changes reads:
 * `changedSince(seq)` names the schedules that changed or went after it. At most FLOWKUBE_MAX_SCHEDULES objects, so
 * the whole CronJob is kept. Nothing outlives the process; a restart re-lists from Kubernetes.
 */
export class ScheduleStore {
  private readonly cronJobs = new Map<string, V1CronJob>();
  private seq = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly waiters = new ChangeWaiters();

  get size(): number {
    return this.cronJobs.size;
  }

  get(name: string): V1CronJob | undefined {
    return this.cronJobs.get(name);
  }

  all(): V1CronJob[] {
    return [...this.cronJobs.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  put(cronJob: V1CronJob): void {
    const name = cronJob.metadata?.name ?? '';
    this.cronJobs.set(name, cronJob);
    this.touch(name);
  }

  remove(name: string): void {
    if (this.cronJobs.delete(name)) {
      this.touch(name);
    }
  }

  /** How far the change counter has gone. */
  position(): number {
    return this.seq;
  }

  /** Names changed after `since` (one counter per process: a cursor of another process is caught by its boot id). */
  changedSince(since: number): { changed: string[]; removed: string[] } {
    const changed: string[] = [];
    const removed: string[] = [];
    for (const [name, at] of this.changedAt) {
      if (at > since) {
        (this.cronJobs.has(name) ? changed : removed).push(name);
      }
    }
    return { changed, removed };
  }

  /** Resolves on the next change, after `ms`, or on abort. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(ms, signal);
  }

  /** Ends every waiting long-poll at once, so a shutting-down server is not held by them. */
  close(): void {
    this.waiters.close();
  }

  private touch(name: string): void {
    this.seq += 1;
    this.changedAt.set(name, this.seq);
    this.waiters.wake();
  }
}
