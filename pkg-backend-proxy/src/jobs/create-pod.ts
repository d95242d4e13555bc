import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { isManaged } from '../catalog/job-from-pod.ts';
import { describeKubeError, isRetryable, type KubeFailure } from '../kube/errors.ts';
import { ANN_LAUNCH_ID } from '../labels.ts';
import type { Kube } from '../plugins/kube.ts';

export interface RetryOptions {
  /** Create attempts in all (first try included). */
  attempts: number;
  baseDelayMs: number;
  /** Longest wait honoured from a 429's Retry-After. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxRetryAfterMs: 1000 };

/**
 * How long to wait before the next try after the `faults`-th failure: Kubernetes' Retry-After (capped) for a 429,
 * otherwise exponential backoff with ±25% jitter, so that replicas retrying together spread out.
 */
export function retryDelay(
  failure: KubeFailure,
  faults: number,
  retry: RetryOptions,
  random: () => number = Math.random
): number {
  if (failure.status === 429 && failure.retryAfterSeconds !== undefined) {
    return Math.min(failure.retryAfterSeconds * 1000, retry.maxRetryAfterMs);
  }
  return retry.baseDelayMs * 2 ** (faults - 1) * (0.75 + random() / 2);
}

/**
 * - created: the Pod is ours (this launch id), whether the create answered or a later GET found it;
 * - exists: the name belongs to another Pod (another launch, or not FlowKube's);
 * - failed: Kubernetes refused, or every try failed and the Pod is known not to exist;
 * - unknown: answers were lost and no GET could tell whether the Pod exists;
 * - aborted: the launch's signal fired first; `mayExist` when a create was sent and never answered.
 */
export type CreateOutcome =
  | { kind: 'created'; pod: V1Pod }
  | { kind: 'exists'; pod: V1Pod }
  | { kind: 'failed'; failure: KubeFailure; attempts: number }
  | { kind: 'unknown'; failure: KubeFailure }
  | { kind: 'aborted'; mayExist: boolean };

/** No answer at all, or the API server's own timeout: the create may have been stored. */
const mayHaveLanded = (f: KubeFailure) => f.status === 0 || f.status === 504;

class Aborted extends Error {}

/** `promise`, or an Aborted error as soon as `signal` fires (the call itself goes on; its outcome is ignored). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new Aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      }
    );
  });
}

interface Deps {
  kube: Kube;
  retry: RetryOptions;
  log: FastifyBaseLogger;
}

/**
 * Creates `pod` (its name chosen by the proxy, so that a retry after a lost answer meets AlreadyExists instead of
 * making a second Pod), retrying what is worth retrying, and finds out whose Pod a taken name is.
 */
export async function createWithRetries(deps: Deps, pod: V1Pod, signal: AbortSignal): Promise<CreateOutcome> {
  const { kube, retry, log } = deps;
  const name = pod.metadata!.name!;
  const launchId = pod.metadata!.annotations![ANN_LAUNCH_ID]!;
  /** A create was sent and its answer never came: the Pod may exist. */
  let unanswered = false;
  let last: KubeFailure = { status: 0 };

  /** The Pod under our name (ours or another's), or undefined when there is none. */
  const lookUp = async (): Promise<CreateOutcome | undefined> => {
    try {
      const existing = await unlessAborted(
        kube.call('get', (core) => core.readNamespacedPod({ name, namespace: kube.namespace })),
        signal
      );
      const mine = isManaged(existing) && existing.metadata?.annotations?.[ANN_LAUNCH_ID] === launchId;
      return { kind: mine ? 'created' : 'exists', pod: existing };
    } catch (err) {
      if (!(err instanceof Aborted) && describeKubeError(err).status === 404) {
        return undefined;
      }
      throw err;
    }
  };

  try {
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      let failure: KubeFailure;
      if (signal.aborted) {
        // never send a create for a launch that is already over
        throw new Aborted();
      }
      try {
        const sent = kube.call('create', () => kube.createPod(pod));
        try {
          return { kind: 'created', pod: await unlessAborted(sent, signal) };
        } catch (err) {
          if (err instanceof Aborted) {
            unanswered = true;
          }
          throw err;
        }
      } catch (err) {
        if (err instanceof Aborted) {
          throw err;
        }
        failure = describeKubeError(err);
        unanswered ||= mayHaveLanded(failure);
      }
      if (failure.status === 409) {
        try {
          const found = await lookUp();
          if (found) {
            return found;
          }
          continue; // gone between the create and the GET: the name is free again
        } catch (err) {
          if (err instanceof Aborted) {
            throw err;
          }
          failure = describeKubeError(err);
        }
      }
      if (!isRetryable(failure)) {
        return { kind: 'failed', failure, attempts: attempt };
      }
      last = failure;
      if (attempt < retry.attempts) {
        const wait = retryDelay(failure, attempt, retry);
        log.warn(
          { status: failure.status, attempt, waitMs: Math.round(wait), pod: name },
          'pod create failed; retrying'
        );
        await sleep(wait, undefined, { signal });
      }
    }
    if (!unanswered) {
      return { kind: 'failed', failure: last, attempts: retry.attempts };
    }
    // an answer was lost and the retries failed: the name is ours, so a GET tells whether the Pod exists
    try {
      return (await lookUp()) ?? { kind: 'failed', failure: last, attempts: retry.attempts };
    } catch (err) {
      if (err instanceof Aborted) {
        throw err;
      }
      return { kind: 'unknown', failure: last };
    }
  } catch (err) {
    if (err instanceof Aborted || (err as { name?: string }).name === 'AbortError') {
      return { kind: 'aborted', mayExist: unanswered };
    }
    throw err;
  }
}
