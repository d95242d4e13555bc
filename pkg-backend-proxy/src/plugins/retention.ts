import type { FastifyInstance } from 'fastify';
import { isFinished } from '../contract/phases.ts';
import type { CachedPod } from '../jobs/cached-pod.ts';
import { deleteJobPod } from '../jobs/delete-pod.ts';
import { describeKubeError } from '../kube/errors.ts';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    retention: { sweep(now?: Date): Promise<string[]> };
  }
}

/** Deletes per sweep at most this many, so a backlog never floods the API server. */
const MAX_PER_SWEEP = 200;

/** When the job ended (its creation when it never ran), as Date.parse reads the job's own times. */
function endedMs(r: CachedPod): number {
  if (r.finishedMs !== undefined) {
    return r.finishedMs;
  }
  return r.rest.createdAt === undefined ? r.createdMs : Date.parse(r.rest.createdAt);
}

/**
 * Bare Pods have no TTL controller: finished FlowKube Pods stay until someone deletes them. Pods a Job owns are
 * left to the Job's TTL (deleting them would only make the Job controller count a lost Pod). This sweeps the cache
 * (which only ever holds managed-by=flowkube Pods of the namespace) and deletes the finished ones older than the
 * retention.
 */
export const retentionPlugin = fp(
  async (app: FastifyInstance, opts: { retentionSeconds: number; intervalMs: number }) => {
    const { jobs, metrics } = app;
    let running = false;

    async function sweep(now = new Date()): Promise<string[]> {
      if (running || !app.cacheState.synced) {
        return [];
      }
      running = true;
      const deleted: string[] = [];
      try {
        const cutoff = now.getTime() - opts.retentionSeconds * 1000;
        // over the records, not jobs.all(): a sweep a minute must not build 100,000 Jobs to delete a few
        const due: string[] = [];
        for (const r of jobs.newestFirst()) {
          if (due.length >= MAX_PER_SWEEP) {
            break;
          }
          // a Pod the cancel finalizer holds is marked deleting from the cancel on, and stays until this releases it
          const deleting = r.rest.deletedAt !== undefined && !r.tombstone && !r.cancelHold;
          // a schedule's run belongs to its Job, whose ttlSecondsAfterFinished removes Job and Pod together
          if (isFinished(r.phase) && !deleting && r.ownerJob === undefined && endedMs(r) < cutoff) {
            due.push(r.id);
          }
        }
        for (const id of due) {
          if (jobs.get(id)?.tombstone) {
            // a job cancelled before it ran has no Pod left: it is kept exactly as long as a finished Pod would be
            jobs.remove(id);
            deleted.push(id);
            continue;
          }
          try {
            await deleteJobPod(app, id);
            metrics.jobsDeleted.inc({ reason: 'retention' });
            deleted.push(id);
          } catch (err) {
            const f = describeKubeError(err);
            if (f.status !== 404) {
              app.log.warn(
                { pod: id, status: f.status, reason: f.reason, err },
                'retention could not delete a finished Pod'
              );
            }
          }
        }
      } finally {
        running = false;
      }
      return deleted;
    }

    app.decorate('retention', { sweep });
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(
        () => void sweep().catch((err: unknown) => app.log.error({ err }, 'retention sweep failed')),
        opts.intervalMs
      );
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'flowkube-retention', dependencies: ['flowkube-kube', 'flowkube-job-cache', 'flowkube-metrics'] }
);
