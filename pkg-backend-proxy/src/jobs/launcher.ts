import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { isManaged, jobFromPod } from '../catalog/job-from-pod.ts';
import { ANN_LAUNCH_ID, ANN_REQUEST_HASH, renderPod } from '../catalog/render-pod.ts';
import type { CatalogTemplate } from '../catalog/schema.ts';
import { HttpError, retryLater } from '../http-error.ts';
import { describeKubeError, isRetryable, type KubeFailure, missingPermission } from '../kube/errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Kube } from '../plugins/kube.ts';
import type { Job, ParamValues } from '../schemas/index.ts';
import type { JobStore } from './job-store.ts';
import { idempotentPodName, idempotentSuffix, randomPodName, requestHash } from './names.ts';

export interface RetryOptions {
  /** Create attempts in all (first try included). */
  attempts: number;
  baseDelayMs: number;
  /** Longest wait honoured from a 429's Retry-After. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxRetryAfterMs: 1000 };
/** What a client is told to wait after the limits or Kubernetes said no. */
const LIMIT_RETRY_SECONDS = 10;
const UNAVAILABLE_RETRY_SECONDS = 5;
/** How long a created Pod still counts against the limits if the watch never shows it (it normally does in ms). */
const RESERVATION_TTL_MS = 30_000;
const MAX_NAME_COLLISIONS = 5;

export interface LaunchInput {
  template: CatalogTemplate;
  /** Validated against the template, defaults filled. */
  params: ParamValues;
  launchedBy: string;
  idempotencyKey?: string;
}

export interface LaunchResult {
  job: Job;
  /** false when an Idempotency-Key repeat returned the existing job. */
  created: boolean;
}

interface Deps {
  kube: Kube;
  store: JobStore;
  metrics: Metrics;
  maxActive: number;
  retry: RetryOptions;
  log: FastifyBaseLogger;
}

function keyConflict(): HttpError {
  return new HttpError(409, 'conflict', 'this Idempotency-Key was already used for a different launch request', {
    details: { fields: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }] },
  });
}

/**
 * Creates worker Pods: limits with in-flight reservations, Pod names chosen here (never generateName) so retries
 * and Idempotency-Key repeats meet Kubernetes' AlreadyExists instead of making a second Pod, and bounded retries.
 */
export class Launcher {
  private readonly deps: Deps;
  /** Pod name → template id of launches that the cache has not shown yet. */
  private readonly reserved = new Map<string, string>();
  private readonly inFlight = new Map<string, { hash: string; promise: Promise<LaunchResult> }>();

  constructor(deps: Deps) {
    this.deps = deps;
    deps.store.onChange((_prev, next) => {
      if (next) {
        this.reserved.delete(next.id);
      }
    });
  }

  async launch(input: LaunchInput): Promise<LaunchResult> {
    const hash = requestHash(input.template.id, input.params);
    if (input.idempotencyKey === undefined) {
      return this.create(input, hash, randomPodName(input.template.id));
    }
    const name = idempotentPodName(input.template.id, input.idempotencyKey);
    const pending = this.inFlight.get(name);
    if (pending) {
      if (pending.hash !== hash) {
        throw keyConflict();
      }
      return { job: (await pending.promise).job, created: false };
    }
    const known = this.knownRepeat(name, input.idempotencyKey, hash);
    if (known) {
      return known;
    }
    const promise = this.create(input, hash, name);
    this.inFlight.set(name, { hash, promise });
    try {
      return await promise;
    } finally {
      this.inFlight.delete(name);
    }
  }

  /** The cache already holds this key's Pod (same template) or the key was used with another template. */
  private knownRepeat(name: string, key: string, hash: string): LaunchResult | undefined {
    const rec = this.deps.store.get(name);
    if (rec) {
      if (rec.requestHash !== hash) {
        throw keyConflict();
      }
      return { job: rec.job, created: false };
    }
    const suffix = `-${idempotentSuffix(key)}`;
    for (const id of this.deps.store.ids()) {
      if (id.endsWith(suffix)) {
        throw keyConflict();
      }
    }
    return undefined;
  }

  private activeCount(template?: string): number {
    let n = this.deps.store.active(template);
    for (const [name, t] of this.reserved) {
      if ((template === undefined || t === template) && !this.deps.store.get(name)) {
        n += 1;
      }
    }
    return n;
  }

  private checkLimits(template: CatalogTemplate): void {
    const { metrics, maxActive } = this.deps;
    if (template.maxConcurrent !== undefined && this.activeCount(template.id) >= template.maxConcurrent) {
      metrics.launchRejected.inc({ reason: 'template_limit' });
      throw retryLater(
        429,
        'limit_exceeded',
        `template "${template.id}" allows at most ${template.maxConcurrent} concurrent jobs; wait for one to finish or cancel one`,
        LIMIT_RETRY_SECONDS,
        { limit: `template:${template.id}` }
      );
    }
    if (this.activeCount() >= maxActive) {
      metrics.launchRejected.inc({ reason: 'global_limit' });
      throw retryLater(
        429,
        'limit_exceeded',
        `FLOWKUBE_MAX_ACTIVE=${maxActive} jobs are already active; wait for one to finish or cancel one`,
        LIMIT_RETRY_SECONDS,
        { limit: 'FLOWKUBE_MAX_ACTIVE' }
      );
    }
  }

  private async create(input: LaunchInput, hash: string, firstName: string): Promise<LaunchResult> {
    try {
      this.checkLimits(input.template);
    } catch (err) {
      // a repeat of a key whose Pod the cache has not shown yet is not a new launch
      const existing = input.idempotencyKey !== undefined ? await this.readOwn(firstName, hash) : undefined;
      if (existing) {
        return { job: jobFromPod(existing), created: false };
      }
      throw err;
    }
    const launchId = randomBytes(8).toString('hex');
    let name = firstName;
    this.reserved.set(name, input.template.id);
    try {
      const pod = renderPod({ ...input, name, namespace: this.deps.kube.namespace, requestHash: hash, launchId });
      const result = await this.createWithRetry(pod, input, hash, launchId, (next) => {
        this.reserved.delete(name);
        name = next;
        this.reserved.set(name, input.template.id);
      });
      if (result.created) {
        this.deps.metrics.jobsLaunched.inc({ template: input.template.id });
      }
      const held = name;
      setTimeout(() => this.reserved.delete(held), RESERVATION_TTL_MS).unref();
      return result;
    } catch (err) {
      this.reserved.delete(name);
      throw err;
    }
  }

  private async readOwn(name: string, hash: string): Promise<V1Pod | undefined> {
    const { kube } = this.deps;
    try {
      const pod = await kube.call('get', (core) => core.readNamespacedPod({ name, namespace: kube.namespace }));
      return isManaged(pod) && pod.metadata?.annotations?.[ANN_REQUEST_HASH] === hash ? pod : undefined;
    } catch {
      return undefined;
    }
  }

  private async createWithRetry(
    pod: V1Pod,
    input: LaunchInput,
    hash: string,
    launchId: string,
    rename: (name: string) => void
  ): Promise<LaunchResult> {
    const { kube, retry, metrics, log } = this.deps;
    const namespace = kube.namespace;
    let faults = 0;
    let collisions = 0;
    let last: KubeFailure = { status: 0 };
    for (let attempt = 1; attempt <= retry.attempts + collisions; attempt++) {
      const name = pod.metadata!.name!;
      let failure: KubeFailure;
      try {
        const created = await kube.call('create', () => kube.createPod(pod));
        return { job: jobFromPod(created), created: true };
      } catch (err) {
        failure = describeKubeError(err);
      }
      if (failure.status === 409) {
        // A first try without a key simply met a name in use: pick another. Otherwise the Pod may be ours.
        if (faults === 0 && input.idempotencyKey === undefined && collisions < MAX_NAME_COLLISIONS) {
          collisions += 1;
          const next = randomPodName(input.template.id);
          rename(next);
          pod.metadata!.name = next;
          continue;
        }
        try {
          const existing = await kube.call('get', (core) => core.readNamespacedPod({ name, namespace }));
          const ann = existing.metadata?.annotations ?? {};
          if (isManaged(existing) && ann[ANN_LAUNCH_ID] === launchId) {
            return { job: jobFromPod(existing), created: true };
          }
          if (input.idempotencyKey !== undefined) {
            if (isManaged(existing) && ann[ANN_REQUEST_HASH] === hash) {
              return { job: jobFromPod(existing), created: false };
            }
            throw keyConflict();
          }
          const next = randomPodName(input.template.id);
          rename(next);
          pod.metadata!.name = next;
          continue;
        } catch (err) {
          if (err instanceof HttpError) {
            throw err;
          }
          failure = describeKubeError(err);
        }
      }
      if (failure.status === 403 || failure.status === 401) {
        metrics.launchRejected.inc({ reason: 'kube_forbidden' });
        const message =
          failure.status === 401
            ? 'Kubernetes rejected the proxy credentials (401); check its ServiceAccount token or kubeconfig'
            : missingPermission(failure, { verb: 'create', resource: 'pods', namespace });
        throw new HttpError(502, 'kube_forbidden', message);
      }
      if (failure.status === 422) {
        metrics.launchRejected.inc({ reason: 'kube_invalid' });
        throw new HttpError(400, 'bad_request', `Kubernetes rejected the Pod: ${failure.message ?? 'invalid'}`, {
          details: { causes: failure.causes ?? [] },
        });
      }
      if (failure.status === 404) {
        throw new HttpError(
          502,
          'kube_unavailable',
          `Kubernetes answered 404: ${failure.message ?? 'not found'} (does namespace "${namespace}" exist?)`
        );
      }
      if (!isRetryable(failure)) {
        throw new HttpError(502, 'kube_unavailable', `Kubernetes answered ${failure.status} to the Pod create`);
      }
      last = failure;
      faults += 1;
      if (attempt >= retry.attempts + collisions) {
        break;
      }
      const wait =
        failure.status === 429 && failure.retryAfterSeconds !== undefined
          ? Math.min(failure.retryAfterSeconds * 1000, retry.maxRetryAfterMs)
          : retry.baseDelayMs * 2 ** (faults - 1) * (0.75 + Math.random() / 2);
      log.warn({ status: failure.status, attempt, waitMs: Math.round(wait), pod: name }, 'pod create failed; retrying');
      await sleep(wait);
    }
    metrics.launchRejected.inc({ reason: 'kube_unavailable' });
    throw retryLater(
      503,
      'kube_unavailable',
      `the Kubernetes API did not accept the Pod after ${retry.attempts} attempts (last: ${last.status === 0 ? 'no answer' : `HTTP ${last.status}`}); try again shortly`,
      UNAVAILABLE_RETRY_SECONDS
    );
  }
}
