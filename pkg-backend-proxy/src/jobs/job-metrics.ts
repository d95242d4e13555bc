import { isFinished } from '../contract/phases.ts';
import type { Metrics } from '../metrics.ts';
import type { CachedPod } from './cached-pod.ts';
import type { JobStore } from './job-store.ts';

/**
 * Feeds the job gauges and counters from the store's transitions, counting each job's finish exactly once: when it
 * changes from an unfinished phase to a finished one, or is added finished once the first list is complete. Pods
 * that were already over before then (`synced()` false) were counted by the process that saw them finish. A change
 * from one finished phase to another (Failed to Cancelled, as the cancel annotation lands) is no second finish. The
 * store hands over the previous record with every change, so no set of finished ids is kept: at 100,000 jobs one
 * would hold 2.5 MB (bench/README.md §6).
 */
export function trackJobMetrics(store: JobStore, metrics: Metrics, synced: () => boolean): void {
  const gauge = (job: CachedPod | undefined, delta: number) => {
    if (job) {
      metrics.jobsActive.inc({ template: job.template, phase: job.phase }, delta);
    }
  };
  store.onChange((prev, next) => {
    gauge(prev, -1);
    gauge(next, +1);
    if (!next || !isFinished(next.phase) || (prev ? isFinished(prev.phase) : !synced())) {
      return;
    }
    metrics.jobsFinished.inc({ template: next.template, phase: next.phase });
    if (next.durationSeconds !== undefined) {
      metrics.jobDuration.observe({ template: next.template, phase: next.phase }, next.durationSeconds);
    }
  });
}
