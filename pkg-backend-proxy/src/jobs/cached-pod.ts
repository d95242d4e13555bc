import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../catalog/job-from-pod.ts';
import { ANN_REQUEST_HASH } from '../catalog/render-pod.ts';
import type { Job } from '../schemas/index.ts';
import type { JobRecord } from './job-store.ts';

/**
 * What the informer's cache holds per Pod: the keys and version it diffs by (namespace, name, resourceVersion)
 * and the job mapped from the whole Pod once. It is also the JobStore's record, so each Pod costs one Job and a
 * few strings instead of a whole Pod kept beside its Job (managedFields, spec and status are never read again).
 */
export interface CachedPod extends KubernetesObject, JobRecord {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  job: Job;
}

export function cachedPod(pod: V1Pod): CachedPod {
  const meta = pod.metadata ?? {};
  const record: CachedPod = {
    metadata: { name: meta.name ?? '', namespace: meta.namespace, resourceVersion: meta.resourceVersion },
    job: jobFromPod(pod),
  };
  const hash = meta.annotations?.[ANN_REQUEST_HASH];
  if (hash !== undefined) {
    record.requestHash = hash;
  }
  return record;
}
