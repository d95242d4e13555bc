import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { jobFromPod } from '../catalog/job-from-pod.ts';
import { renderPod } from '../catalog/render-pod.ts';
import type { CatalogTemplate } from '../catalog/schema.ts';
import { HttpError, retryLater } from '../http-error.ts';
import { describeKubeError } from '../kube/errors.ts';
import { kubeHttpError, UNAVAILABLE_RETRY_SECONDS } from '../kube/http-error.ts';
import { ANN_SLOTS } from '../labels.ts';
import type { Metrics } from '../metrics.ts';
import type { Kube } from '../plugins/kube.ts';
import type { JobSource, ParamValues } from '../schemas/index.ts';
import type { Admission } from './admission.ts';
import { createWithRetries, type RetryOptions } from './create-pod.ts';
import { InFlightKeys, type LaunchResult, repeatOf } from './idempotency.ts';
import type { JobStore } from './job-store.ts';
import { idempotentPodName, randomPodName, requestHash } from './names.ts';
import { formatSlots, type Slot } from './slots.ts';

export type { LaunchResult } from './idempotency.ts';

/** The longest a launch may take, claims and retries included, unless the app is told otherwise. */
export const DEFAULT_LAUNCH_DEADLINE_MS = 20_000;
const MAX_NAME_COLLISIONS = 5;

export interface LaunchInput {
  template: CatalogTemplate;
  /** Validated against the template, defaults filled. */
  params: ParamValues;
  launchedBy: string;
  /** The launcher panel the launch comes from, recorded on the Pod. */
  source?: JobSource;
  idempotencyKey?: string;
  /** Fires when the caller has gone: the launch then stops and never creates its Pod later. */
  signal?: AbortSignal;
}

interface Deps {
  kube: Kube;
  store: JobStore;
  metrics: Metrics;
  admission: Admission;
  retry: RetryOptions;
  deadlineMs: number;
  /** How long a launch that gave up while its create was unanswered watches for that Pod, to delete it. */
  abandonWatchMs: number;
  log: FastifyBaseLogger;
}

/**
 * Creates worker Pods: the admission (limits) first, then the create with retries under a name chosen here, so a
 * retry or a repeated Idempotency-Key meets Kubernetes' AlreadyExists instead of making a second Pod.
 */
export class Launcher {
  private readonly deps: Deps;
  private readonly inFlight = new InFlightKeys();
  /** Pod name → launch id of launches that gave up with a create unanswered: if that Pod appears, it goes. */
  private readonly abandoned = new Map<string, string>();

  constructor(deps: Deps) {
    this.deps = deps;
    deps.store.onChange((_prev, next) => {
      const launchId = next && this.abandoned.get(next.id);
      if (next && launchId !== undefined && next.launchId === launchId && !next.rest.deletedAt) {
        this.abandoned.delete(next.id);
        void this.remove(next.id);
      }
    });
  }

  async launch(input: LaunchInput): Promise<LaunchResult> {
    const hash = requestHash(input.template.id, input.params, input.source);
    if (input.idempotencyKey === undefined) {
      return this.attempt(input, hash, randomPodName(input.template.id));
    }
    const name = idempotentPodName(input.idempotencyKey);
    return this.inFlight.run(name, hash, async () => {
      const known = this.deps.store.get(name);
      return known ? repeatOf(known, hash) : this.attempt(input, hash, name);
    });
  }

  private async attempt(input: LaunchInput, hash: string, firstName: string): Promise<LaunchResult> {
    const { admission, deadlineMs } = this.deps;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = input.signal ? AbortSignal.any([input.signal, deadline]) : deadline;
    const keyed = input.idempotencyKey !== undefined;
    let name = firstName;
    for (let collisions = 0; ; collisions++) {
      let slots: Slot[];
      try {
        // refused here, a launch need not wait for this replica's queue of claims
        admission.precheck(input.template);
        slots = await admission.claim(input.template, name, signal);
      } catch (err) {
        if (signal.aborted) {
          throw this.gaveUp();
        }
        // a repeat of a key whose Pod this replica's cache has not shown yet is not a new launch
        const existing = keyed && err instanceof HttpError ? await this.readOwn(name, hash) : undefined;
        if (existing) {
          return existing;
        }
        throw err instanceof HttpError
          ? err
          : kubeHttpError(describeKubeError(err), {
              verb: 'create',
              resource: 'leases',
              namespace: this.deps.kube.namespace,
            });
      }
      const launchId = randomBytes(8).toString('hex');
      const pod = this.render(input, name, hash, launchId, slots);
      const outcome = await createWithRetries(this.deps, pod, signal);
      if (outcome.kind === 'created') {
        this.deps.metrics.jobsLaunched.inc({ template: input.template.id });
        if (input.signal?.aborted) {
          // the caller left while the create was on its way: nobody will ever see this job
          void this.remove(name);
        }
        return { job: jobFromPod(outcome.pod), created: true };
      }
      if (outcome.kind === 'unknown' || (outcome.kind === 'aborted' && outcome.mayExist)) {
        // The slots stay claimed: the Pod may exist. If it does, it frees them when it ends; if not, the next
        // launch that finds the scope full takes them back once the grace is over.
        if (outcome.kind === 'aborted') {
          this.abandon(name, launchId);
          throw this.gaveUp();
        }
        throw new HttpError(
          503,
          'outcome_unknown',
          `Kubernetes' answer to the create of Pod "${name}" was lost and the proxy could not check whether it exists; retry with the same Idempotency-Key`,
          {
            details: { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS },
            headers: { 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) },
            rejectReason: 'outcome_unknown',
          }
        );
      }
      admission.unreserve(name);
      await admission.release(slots);
      if (outcome.kind === 'aborted') {
        throw this.gaveUp();
      }
      if (outcome.kind === 'exists') {
        if (keyed) {
          return repeatOf(outcome.pod, hash);
        }
        if (collisions >= MAX_NAME_COLLISIONS) {
          throw retryLater(503, 'kube_unavailable', 'no free Pod name after several tries; try again', 1);
        }
        name = randomPodName(input.template.id);
        continue;
      }
      // a quota refusal meets an existing Pod of the same key too: admission comes before AlreadyExists
      const existing = keyed && outcome.failure.status === 403 ? await this.readOwn(name, hash) : undefined;
      if (existing) {
        return existing;
      }
      throw kubeHttpError(outcome.failure, {
        verb: 'create',
        resource: 'pods',
        namespace: this.deps.kube.namespace,
        attempts: outcome.attempts,
      });
    }
  }

  private render(input: LaunchInput, name: string, hash: string, launchId: string, slots: Slot[]): V1Pod {
    const pod = renderPod({ ...input, name, namespace: this.deps.kube.namespace, requestHash: hash, launchId });
    pod.metadata!.annotations![ANN_SLOTS] = formatSlots(slots);
    return pod;
  }

  private gaveUp(): HttpError {
    const seconds = Math.round(this.deps.deadlineMs / 1000);
    return retryLater(
      503,
      'kube_unavailable',
      `the Kubernetes API did not take the Pod within the launch deadline (${seconds}s); nothing was launched, try again shortly`,
      UNAVAILABLE_RETRY_SECONDS,
      { rejectReason: 'kube_unavailable' }
    );
  }

  /** The Pod of this key, if it is the same request; undefined when there is none or it cannot be read. */
  private async readOwn(name: string, hash: string): Promise<LaunchResult | undefined> {
    const { kube } = this.deps;
    let pod: V1Pod;
    try {
      pod = await kube.call('get', (core) => core.readNamespacedPod({ name, namespace: kube.namespace }));
    } catch {
      return undefined;
    }
    return repeatOf(pod, hash);
  }

  private abandon(name: string, launchId: string): void {
    this.abandoned.set(name, launchId);
    setTimeout(() => this.abandoned.delete(name), this.deps.abandonWatchMs).unref();
    // it may be in the cache already
    if (this.deps.store.get(name)?.launchId === launchId) {
      this.abandoned.delete(name);
      void this.remove(name);
    }
  }

  private async remove(name: string): Promise<void> {
    const { kube, log } = this.deps;
    try {
      await kube.call('delete', (core) =>
        core.deleteNamespacedPod({ name, namespace: kube.namespace, gracePeriodSeconds: 0 })
      );
      log.info({ pod: name }, 'deleted the Pod of a launch whose caller had gone');
    } catch (err) {
      const f = describeKubeError(err);
      if (f.status !== 404) {
        log.warn({ pod: name, status: f.status }, 'could not delete the Pod of an abandoned launch');
      }
    }
  }
}
