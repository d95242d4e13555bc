import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { toHttpError } from '../kube/http-error.ts';
import { FINALIZER_CANCELLED } from '../labels.ts';

/** Kubernetes merges a strategic patch's metadata.finalizers as a set (and applies `$deleteFromPrimitiveList`). */
export const STRATEGIC_MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/**
 * A strategic merge patch that takes FINALIZER_CANCELLED out of metadata.finalizers (a `patchStrategy:"merge"` list,
 * staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go) and leaves any other finalizer: the API server applies
 * it to the Pod as stored, so no resourceVersion precondition or read-modify-write is needed.
 */
const RELEASE_CANCEL_HOLD = { metadata: { '$deleteFromPrimitiveList/finalizers': [FINALIZER_CANCELLED] } };

/** Removes the cancel finalizer from a job's Pod; answers the Pod as the patch left it (gone, if that deleted it). */
export async function releaseCancelHold(app: FastifyInstance, id: string): Promise<V1Pod> {
  const { kube } = app;
  try {
    return await kube.call('patch', (core) =>
      core.patchNamespacedPod({ name: id, namespace: kube.namespace, body: RELEASE_CANCEL_HOLD }, STRATEGIC_MERGE_PATCH)
    );
  } catch (err) {
    throw toHttpError(err, { verb: 'patch', resource: 'pods', namespace: kube.namespace, job: id });
  }
}

/**
 * Deletes a job's Pod for good (purge, retention), on every replica at once since all watch the same Pod. A Pod the
 * cancel finalizer holds has its finalizer removed first; when it is marked deleting already, that removal is what
 * deletes it (store.go, Update with ShouldDeleteDuringUpdate: no finalizers left and no grace period left), or its
 * kubelet's final delete does once it has stopped it. Answers the Pod as last seen; a failure is the HttpError of the
 * call that failed.
 */
export async function deleteJobPod(app: FastifyInstance, id: string): Promise<V1Pod> {
  const { kube, jobs } = app;
  if (jobs.get(id)?.cancelHold) {
    const released = await releaseCancelHold(app, id);
    if (released.metadata?.deletionTimestamp) {
      return released;
    }
  }
  try {
    return await kube.call('delete', (core) => core.deleteNamespacedPod({ name: id, namespace: kube.namespace }));
  } catch (err) {
    throw toHttpError(err, { verb: 'delete', resource: 'pods', namespace: kube.namespace, job: id });
  }
}
