import type { FastifyInstance } from 'fastify';
import { CONTAINER } from '../catalog/render-pod.ts';
import type { Job } from '../schemas/index.ts';
import { wantsLogTail, withLogLines } from './failure.ts';

/** Lines of the log's end read for a failure summary: where a worker's last ERROR lines are. */
export const LOG_TAIL_LINES = 200;
/** The detail page waits this long for them at most; without them it still gets the summary from the Pod. */
export const LOG_TAIL_DEADLINE_MS = 2000;

/**
 * The job with its failure summary completed from the log's tail, for the detail GET only (the list stays free of
 * Kubernetes calls): done when the Pod status had no log lines to offer, i.e. the worker wrote its own termination
 * message or none. Any error or a slow answer leaves the summary as it was.
 */
export async function withFailureLog(app: FastifyInstance, job: Job, deadlineMs = LOG_TAIL_DEADLINE_MS): Promise<Job> {
  const failure = job.failure;
  if (!failure || !wantsLogTail(failure) || job.startedAt === undefined || app.jobs.get(job.id)?.tombstone) {
    return job;
  }
  const { kube } = app;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
  });
  try {
    const tail = await Promise.race([
      kube.call('log', (core) =>
        core.readNamespacedPodLog({
          name: job.id,
          namespace: kube.namespace,
          container: CONTAINER,
          tailLines: LOG_TAIL_LINES,
        })
      ),
      late,
    ]);
    return typeof tail === 'string' ? { ...job, failure: withLogLines(failure, tail) } : job;
  } catch {
    return job;
  } finally {
    clearTimeout(timer);
  }
}
