import type { FastifyInstance } from 'fastify';
import { isManaged, jobFromPod } from '../catalog/job-from-pod.ts';
import { jobNotFound } from '../http-error.ts';
import { toHttpError } from '../kube/http-error.ts';
import type { Job } from '../schemas/index.ts';

/**
 * A FlowKube job by id: from the cache, else (just created, or the cache is behind) from Kubernetes. Pods without
 * FlowKube's managed-by label are reported as not found: the proxy never touches them.
 */
export async function findJob(app: FastifyInstance, id: string): Promise<Job> {
  const cached = app.jobs.get(id);
  if (cached) {
    return cached.job;
  }
  const { kube } = app;
  let pod;
  try {
    pod = await kube.call('get', (core) => core.readNamespacedPod({ name: id, namespace: kube.namespace }));
  } catch (err) {
    throw toHttpError(err, { verb: 'get', resource: 'pods', namespace: kube.namespace, job: id });
  }
  if (!isManaged(pod)) {
    throw jobNotFound(id);
  }
  return jobFromPod(pod);
}
