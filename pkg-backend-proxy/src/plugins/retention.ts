import type { FastifyInstance } from 'fastify';
import { isFinal } from '../catalog/job-from-pod.ts';
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
        const due = jobs
          .all()
          // a Pod the cancel finalizer holds is marked deleting from the cancel on, and stays until this releases it
          .filter((j) => isFinal(j.phase) && (!j.deletedAt || jobs.get(j.id)?.tombstone || jobs.get(j.id)?.cancelHold))
          .filter((j) => Date.parse(j.finishedAt ?? j.createdAt) < cutoff)
          // a schedule's run belongs to its Job, whose ttlSecondsAfterFinished removes Job and Pod together
          .filter((j) => jobs.get(j.id)?.ownerJob === undefined)
          .slice(0, MAX_PER_SWEEP);
        for (const job of due) {
          if (jobs.get(job.id)?.tombstone) {
            // a job cancelled before it ran has no Pod left: it is kept exactly as long as a finished Pod would be
            jobs.remove(job.id);
            deleted.push(job.id);
            continue;
          }
          try {
            await deleteJobPod(app, job.id);
            metrics.jobsDeleted.inc({ reason: 'retention' });
            deleted.push(job.id);
          } catch (err) {
            const f = describeKubeError(err);
            if (f.status !== 404) {
              app.log.warn(
                { pod: job.id, status: f.status, reason: f.reason, err },
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
