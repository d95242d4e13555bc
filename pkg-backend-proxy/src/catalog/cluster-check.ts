import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { type BackoffOptions, backoffDelay } from '../kube/backoff.ts';
import { describeKubeError, isRetryable, missingPermission } from '../kube/errors.ts';
import type { ParamValues } from '../schemas/index.ts';
import type { Problem } from './checks.ts';
import { type LiveCatalog, templateHash } from './live-catalog.ts';
import { renderPod } from './render-pod.ts';
import type { CatalogTemplate } from './schema.ts';

interface Deps {
  catalog: LiveCatalog;
  namespace: string;
  /** Creates the Pod with dryRun=All: Kubernetes validates and admits it (quota, LimitRange, webhooks) and stores nothing. */
  dryRun: (pod: V1Pod) => Promise<unknown>;
  log: FastifyBaseLogger;
  backoff: BackoffOptions;
}

/** Values that fit the params well enough for a dry run: the cluster sees the Pod's shape, not what a user types. */
export function sampleParams(t: CatalogTemplate): ParamValues {
  const out: ParamValues = {};
  for (const [name, p] of Object.entries(t.params.properties)) {
    const enumValue = p.enum?.[0];
    if (p.default !== undefined) {
      out[name] = p.default;
    } else if (enumValue !== undefined) {
      out[name] = enumValue;
    } else if (p.type === 'boolean') {
      out[name] = false;
    } else if (p.type === 'string') {
      out[name] = 'x'.repeat(Math.max(1, p.minLength ?? 1));
    } else {
      out[name] = p.minimum ?? 0;
    }
  }
  return out;
}

export function checkPod(t: CatalogTemplate, namespace: string): V1Pod {
  const suffix = randomBytes(4).toString('hex').slice(0, 5);
  return renderPod({
    template: t,
    params: sampleParams(t),
    name: `${t.id}-check-${suffix}`,
    namespace,
    launchedBy: 'flowkube cluster check',
    requestHash: templateHash(t),
    launchId: suffix,
  });
}

/**
 * Asks Kubernetes, once per template change, whether it would admit the template's Pod (a server-side dry run), so
 * a missing PriorityClass, a quota or LimitRange, Pod Security or a webhook shows up before anyone clicks Launch.
 * One dry run at a time; when the API is busy or failing, the same check waits with exponential backoff.
 */
export class ClusterCheck {
  private readonly deps: Deps;
  /** id → content hash still to check, in arrival order. */
  private readonly queue = new Map<string, string>();
  /** id → content hash checked (or being checked). */
  private readonly checked = new Map<string, string>();
  private running = false;
  private closed = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly off: () => void;

  constructor(deps: Deps) {
    this.deps = deps;
    this.off = deps.catalog.onChange(() => this.sync());
  }

  /** Queues every template whose content has not been checked yet. */
  sync(): void {
    for (const t of this.deps.catalog.templates) {
      const hash = templateHash(t);
      if (this.checked.get(t.id) !== hash && this.queue.get(t.id) !== hash) {
        this.queue.delete(t.id);
        this.queue.set(t.id, hash);
      }
    }
    void this.run();
  }

  /** Resolves once nothing is queued or running (for tests and the benchmark). */
  async idle(): Promise<void> {
    while (this.running || this.queue.size > 0) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.closed = true;
    this.off();
    clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(): Promise<void> {
    if (this.running || this.closed) {
      return;
    }
    this.running = true;
    try {
      while (!this.closed && this.queue.size > 0) {
        const [id, hash] = this.queue.entries().next().value!;
        const t = this.deps.catalog.byId.get(id);
        if (!t || templateHash(t) !== hash) {
          this.queue.delete(id);
          continue;
        }
        const verdict = await this.check(t);
        if (verdict === 'retry') {
          await this.backoff();
          continue;
        }
        if (this.queue.get(id) === hash) {
          this.queue.delete(id);
        }
        this.checked.set(id, hash);
        this.deps.catalog.setClusterCheck(id, hash, verdict === 'ok' || verdict === 'unknown' ? undefined : verdict);
      }
    } finally {
      this.running = false;
    }
  }

  private async check(t: CatalogTemplate): Promise<'ok' | 'retry' | 'unknown' | Problem> {
    const { log, namespace } = this.deps;
    try {
      await this.deps.dryRun(checkPod(t, namespace));
      this.failures = 0;
      return 'ok';
    } catch (err) {
      const f = describeKubeError(err);
      if (isRetryable(f)) {
        log.warn({ template: t.id, status: f.status }, 'cluster check of a template failed; retrying with backoff');
        return 'retry';
      }
      this.failures = 0;
      // the proxy's own credentials or RBAC: not the template's fault, and launching would say so itself
      if (f.status === 401 || (f.status === 403 && /cannot create resource "pods"/.test(f.message ?? ''))) {
        const why =
          f.status === 401
            ? 'Kubernetes rejected the proxy credentials (401)'
            : missingPermission(f, { verb: 'create', resource: 'pods', namespace });
        log.warn({ template: t.id, status: f.status }, `cluster check skipped: ${why}`);
        return 'unknown';
      }
      return {
        field: 'cluster',
        message: `the cluster refused this template's Pod in a dry run: ${f.message ?? `HTTP ${f.status}`}`,
      };
    }
  }

  private backoff(): Promise<void> {
    const delay = backoffDelay(this.deps.backoff, this.failures);
    this.failures += 1;
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, delay);
    });
  }
}
