import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../catalog/job-from-pod.ts';
import { ANN_LAUNCH_ID, ANN_REQUEST_HASH, ANN_SLOTS } from '../labels.ts';
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
  const ann = meta.annotations ?? {};
  if (ann[ANN_REQUEST_HASH] !== undefined) {
    record.requestHash = ann[ANN_REQUEST_HASH];
  }
  if (ann[ANN_LAUNCH_ID] !== undefined) {
    record.launchId = ann[ANN_LAUNCH_ID];
  }
  if (ann[ANN_SLOTS] !== undefined) {
    record.slots = ann[ANN_SLOTS];
  }
  const owner = meta.ownerReferences?.find((o) => o.controller && o.kind === 'Job' && o.apiVersion === 'batch/v1');
  if (owner) {
    record.ownerJob = owner.name;
  }
  const phase = pod.status?.phase;
  if (record.job.cancelledAt !== undefined && phase !== 'Succeeded' && phase !== 'Failed') {
    record.keepWhenDeleted = true;
  }
  return record;
}
