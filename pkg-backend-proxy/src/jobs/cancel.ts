import type { V1Pod } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { jobFromPod } from '../catalog/job-from-pod.ts';
import { isActive, isFinished } from '../contract/phases.ts';
import { HttpError } from '../http-error.ts';
import { toHttpError } from '../kube/http-error.ts';
import { ANN_CANCELLED_AT, ANN_CANCELLED_BY, FINALIZER_CANCELLED, LABEL_CANCELLED } from '../labels.ts';
import type { Job } from '../schemas/index.ts';
import { deleteJobPod, releaseCancelHold, STRATEGIC_MERGE_PATCH } from './delete-pod.ts';
import { findJob } from './find-job.ts';

/**
 * The lowest deadline a Pod update may set. Kubernetes' Pod update validation lets activeDeadlineSeconds only go
 * down ("must be less than or equal to previous value") and the Pod spec's range starts at 1, so 0 is invalid
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go, ValidatePodUpdate and ValidatePodSpec). The kubelet
 * counts it from status.startTime, so a Pod that has run for a second or more is stopped at its next sync, Failed
 * with reason DeadlineExceeded (pkg/kubelet/active_deadline.go).
 */
export const CANCEL_DEADLINE_SECONDS = 1;

/**
 * Cancels a job and keeps it: the Pod is annotated with who and when and its deadline lowered to 1 s, so the
 * kubelet stops it and its logs and status stay until retention. A Pod that is not running yet has no kubelet to
 * enforce a deadline (unscheduled, or still pulling) and is deleted instead. The same patch gives such a Pod the
 * cancel finalizer, so the deletion leaves it marked deleting instead of gone: every replica's watch, and the list of
 * one that starts later, shows it as Cancelled, and Kubernetes holds that state, not a replica's memory. That costs
 * no quota: the API server deletes an unscheduled Pod with no grace period (and the pod GC marks it Failed,
 * pkg/controller/podgc/gc_controller.go gcUnscheduledTerminating) and a kubelet ends a scheduled one Failed,
 * and the pods quota counts neither a Failed Pod nor one marked deleting past its grace period
 * (pkg/quota/v1/evaluator/core/pods.go, QuotaV1Pod; pkg/registry/core/pod/strategy.go, CheckGracefulDelete); only
 * `count/pods`, which counts every stored Pod, sees it, as it sees every finished Pod until retention. Purge and
 * retention remove the finalizer (delete-pod.ts).
 * Cancelling a cancelled job again answers the same job, or retries the deletion a failed cancel left undone; a
 * finished one is a 409.
 */
export async function cancelJob(app: FastifyInstance, id: string, by: string, now = new Date()): Promise<Job> {
  const job = await findJob(app, id);
  const { kube } = app;
  const call = { resource: 'pods', namespace: kube.namespace, job: id };
  let pod: V1Pod | undefined;
  if (job.cancelledAt === undefined) {
    if (!isActive(job)) {
      throw new HttpError(
        409,
        'conflict',
        `job "${id}" is ${job.deletedAt ? 'being deleted' : `already over (${job.phase})`} and cannot be cancelled;` +
          ' to delete its record now, DELETE it with ?purge=true'
      );
    }
    // a Pod a Job owns goes with its Job (TTL, garbage collector), which would leave a finalizer of ours stuck
    const hold = job.phase === 'Pending' && job.schedule === null && app.jobs.get(id)?.ownerJob === undefined;
    const body = {
      metadata: {
        labels: { [LABEL_CANCELLED]: 'true' },
        annotations: { [ANN_CANCELLED_BY]: by, [ANN_CANCELLED_AT]: now.toISOString() },
        ...(hold ? { finalizers: [FINALIZER_CANCELLED] } : {}),
      },
      spec: { activeDeadlineSeconds: CANCEL_DEADLINE_SECONDS },
    };
    try {
      // strategic: the finalizer joins whatever finalizers the Pod has
      pod = await kube.call('patch', (core) =>
        core.patchNamespacedPod({ name: id, namespace: kube.namespace, body }, STRATEGIC_MERGE_PATCH)
      );
    } catch (err) {
      throw toHttpError(err, { ...call, verb: 'patch' });
    }
    if (pod.status?.phase !== 'Pending') {
      // it started meanwhile: the deadline stops it and nothing deletes it, so the finalizer goes again at once
      // (should that fail, retention and purge remove it, as from any Pod that has it)
      if (hold) {
        const started = pod;
        pod = await releaseCancelHold(app, id).catch(() => started);
      }
      return jobFromPod(pod);
    }
  } else if (job.phase !== 'Pending' || job.deletedAt !== undefined) {
    return job;
  }
  try {
    pod = await kube.call('delete', (core) => core.deleteNamespacedPod({ name: id, namespace: kube.namespace }));
  } catch (err) {
    throw toHttpError(err, { ...call, verb: 'delete' });
  }
  app.metrics.jobsDeleted.inc({ reason: 'cancel' });
  const cancelled = jobFromPod(pod);
  cancelled.deletedAt ??= now.toISOString();
  return cancelled;
}

/**
 * Deletes a finished job's record now instead of at retention: its Pod (releasing the cancel finalizer of one
 * cancelled before it ran), so it goes on every replica at once; or the tombstone of a job a Job owned that was
 * cancelled before it ran (which lives only in this replica's cache: another replica keeps its own until retention).
 */
export async function purgeJob(app: FastifyInstance, id: string, by: string): Promise<Job> {
  const job = await findJob(app, id);
  if (!isFinished(job.phase)) {
    throw new HttpError(
      409,
      'conflict',
      `job "${id}" is ${job.phase} and only a finished job can be purged; cancel it first (DELETE without ?purge)`
    );
  }
  const { jobs } = app;
  const cached = jobs.get(id);
  const purged = () => {
    app.metrics.jobsDeleted.inc({ reason: 'purge' });
    app.audit.purged(job, by);
  };
  if (cached?.tombstone) {
    jobs.purge(id);
    purged();
    return job;
  }
  try {
    const pod = await deleteJobPod(app, id);
    purged();
    const gone = jobFromPod(pod);
    gone.deletedAt ??= new Date().toISOString();
    return gone;
  } catch (err) {
    // cancelled before it ran, and its Pod went before the watch said so: what is left is the record, dropped here
    if (cached?.keepWhenDeleted && err instanceof HttpError && err.statusCode === 404) {
      jobs.purge(id);
      purged();
      return job;
    }
    throw err;
  }
}
