import { isFinished } from '../contract/phases.ts';
import type { Metrics } from '../metrics.ts';
import type { CachedPod } from './cached-pod.ts';
import type { JobStore } from './job-store.ts';

/**
 * Feeds the job gauges and counters from the store's transitions, counting each job's finish exactly once. Pods
 * that were already over before the first list completed (`synced()` false) were counted by the process that saw
 * them finish.
 */
export function trackJobMetrics(store: JobStore, metrics: Metrics, synced: () => boolean): void {
  const finished = new Set<string>();
  const gauge = (job: CachedPod | undefined, delta: number) => {
    if (job) {
      metrics.jobsActive.inc({ template: job.template, phase: job.phase }, delta);
    }
  };
  store.onChange((prev, next) => {
    gauge(prev, -1);
    gauge(next, +1);
    if (!next) {
      finished.delete(prev!.id);
      return;
    }
    if (isFinished(next.phase) && !finished.has(next.id)) {
      finished.add(next.id);
      if (synced() || prev) {
        metrics.jobsFinished.inc({ template: next.template, phase: next.phase });
        if (next.durationSeconds !== undefined) {
          metrics.jobDuration.observe({ template: next.template, phase: next.phase }, next.durationSeconds);
        }
      }
    }
  });
}
