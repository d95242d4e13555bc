// The TTL-after-finished controller (kubernetes/kubernetes pkg/controller/ttlafterfinished/
// ttlafterfinished_controller.go): a finished Job with spec.ttlSecondsAfterFinished is deleted once that many
// seconds have passed since it finished (completionTime, or the Failed condition's time), with Foreground
// propagation, so its Pods go first and the Job last. Time is the FakeClock's.
import type { V1Job } from '@kubernetes/client-node';
import { isFinished } from './batch-objects.ts';
import type { FakeClock } from './clock.ts';
import { coalesced } from './coalesce.ts';
import type { Propagation } from './garbage-collector.ts';
import type { ObjectStore } from './store.ts';

export interface TtlControllerDeps {
  jobs: ObjectStore<V1Job>;
  clock: FakeClock;
  deleteJob(namespace: string, name: string, propagation: Propagation): boolean;
}

/** When a finished Job expires, or undefined when it has no TTL or has not finished. */
export function expiresAt(job: V1Job): Date | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const state = isFinished(job);
  if (ttl === undefined || ttl === null || !state) {
    return undefined;
  }
  const finishedAt =
    state === 'Complete'
      ? job.status?.completionTime
      : job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True')?.lastTransitionTime;
  const at = Date.parse(String(finishedAt ?? ''));
  return Number.isNaN(at) ? undefined : new Date(at + ttl * 1000);
}

export class TtlController {
  private readonly d: TtlControllerDeps;
  constructor(deps: TtlControllerDeps) {
    this.d = deps;
    deps.jobs.subscribe(coalesced(() => this.syncAll()));
  }

  syncAll(): void {
    const now = this.d.clock.now();
    for (const job of this.d.jobs.all()) {
      const expiry = expiresAt(job);
      if (expiry && expiry <= now && job.metadata?.deletionTimestamp === undefined) {
        this.d.deleteJob(job.metadata?.namespace ?? '', job.metadata?.name ?? '', 'Foreground');
      }
    }
  }
}
