import type { V1Pod } from '@kubernetes/client-node';
import { isManaged, jobFromPod } from '../catalog/job-from-pod.ts';
import { HttpError } from '../http-error.ts';
import { ANN_REQUEST_HASH } from '../labels.ts';
import type { Job } from '../schemas/index.ts';
import type { JobRecord } from './job-store.ts';

export interface LaunchResult {
  job: Job;
  /** false when an Idempotency-Key repeat returned the existing job. */
  created: boolean;
}

export function keyConflict(): HttpError {
  return new HttpError(409, 'conflict', 'this Idempotency-Key was already used for a different launch request', {
    details: { fields: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }] },
  });
}

/**
 * What a Pod found under a key's name means for a launch with that key: the same request again (its job, not
 * created), or the key reused for another request (a conflict). The request hash covers template and parameters.
 */
export function repeatOf(found: V1Pod | JobRecord, hash: string): LaunchResult {
  if ('job' in found) {
    if (found.requestHash !== hash) {
      throw keyConflict();
    }
    return { job: found.job, created: false };
  }
  if (!isManaged(found) || found.metadata?.annotations?.[ANN_REQUEST_HASH] !== hash) {
    throw keyConflict();
  }
  return { job: jobFromPod(found), created: false };
}

/**
 * Launches with one key that are in progress in this process: a second one waits for the first and shares its job
 * (a double click), instead of racing it to Kubernetes.
 */
export class InFlightKeys {
  private readonly pending = new Map<string, { hash: string; promise: Promise<LaunchResult> }>();

  async run(name: string, hash: string, start: () => Promise<LaunchResult>): Promise<LaunchResult> {
    const running = this.pending.get(name);
    if (running) {
      if (running.hash !== hash) {
        throw keyConflict();
      }
      return { job: (await running.promise).job, created: false };
    }
    const promise = start();
    this.pending.set(name, { hash, promise });
    try {
      return await promise;
    } finally {
      this.pending.delete(name);
    }
  }
}
