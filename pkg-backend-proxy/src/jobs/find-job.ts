import type { FastifyInstance } from 'fastify';
import { isManaged, jobFromPod } from '../catalog/job-from-pod.ts';
import { HttpError } from '../http-error.ts';
import { describeKubeError, missingPermission } from '../kube/errors.ts';
import type { Job } from '../schemas/index.ts';

/** Maps a failed Kubernetes call made for a request to the answer the client gets. */
export function kubeHttpError(err: unknown, verb: string, resource: string, namespace: string): HttpError {
  if (err instanceof HttpError) {
    return err;
  }
  const f = describeKubeError(err);
  if (f.status === 403 || f.status === 401) {
    return new HttpError(502, 'kube_forbidden', missingPermission(f, { verb, resource, namespace }));
  }
  return new HttpError(503, 'kube_unavailable', 'the Kubernetes API is not answering; try again shortly', {
    headers: { 'retry-after': '5' },
    details: { retryAfterSeconds: 5 },
  });
}

export function notFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `job "${id}" not found`);
}

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
  try {
    const pod = await kube.call('get', (core) => core.readNamespacedPod({ name: id, namespace: kube.namespace }));
    if (!isManaged(pod)) {
      throw notFound(id);
    }
    return jobFromPod(pod);
  } catch (err) {
    if (describeKubeError(err).status === 404) {
      throw notFound(id);
    }
    throw kubeHttpError(err, 'get', 'pods', kube.namespace);
  }
}
