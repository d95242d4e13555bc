import { type KubernetesObject, ListWatch, type ListPromise, type Watch } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import { describeKubeError, errorChain, missingPermission } from './errors.ts';

export type RestartCause = 'error' | 'stale';

export interface InformerLoopOptions<T extends KubernetesObject> {
  /** The collection's path, e.g. /api/v1/namespaces/<ns>/pods. */
  path: string;
  watch: Watch;
  /** Must apply `labelSelector` itself: the informer passes it to the watch only. */
  list: ListPromise<T>;
  labelSelector: string;
  backoff: BackoffOptions;
  log: FastifyBaseLogger;
  /** What the logs call it: 'pod watch'. */
  what: string;
  /** A 403 is logged as the RBAC rule it lacks: list on this resource in this namespace. */
  resource: string;
  namespace: string;
  /** After a start that listed and began to watch, unless an error or close came first. */
  onStarted: () => void;
  /** When a restart is scheduled (the caller may report not-ready meanwhile). */
  onRestart?: (cause: RestartCause) => void;
}

/**
 * A label-selected ListWatch kept running. client-node re-lists by itself after a 410 and reconnects after a clean
 * end, but stops for good on any other error (401, 403, 5xx, refused, reset): this starts it again after a backoff
 * that doubles while failures repeat and resets once a start succeeds.
 */
export class InformerLoop<T extends KubernetesObject> {
  readonly informer: ListWatch<T>;
  private readonly opts: InformerLoopOptions<T>;
  private attempt = 0;
  private failures = 0;
  private closing = false;
  private starting = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly pendingDelays = new Set<NodeJS.Timeout>();

  constructor(opts: InformerLoopOptions<T>) {
    this.opts = opts;
    // client-node waits between its own reconnects with this; after close the wait simply never ends
    const delayFn = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.pendingDelays.delete(t);
          if (!this.closing) {
            resolve();
          }
        }, ms);
        this.pendingDelays.add(t);
      });
    this.informer = new ListWatch<T>(opts.path, opts.watch, opts.list, false, opts.labelSelector, undefined, {
      delayFn,
    });
    this.informer.on('error', (err: unknown) => {
      // a restart already pending covers this error too (a stale watch's abort reports one)
      if (this.closing || this.restartTimer) {
        return;
      }
      const f = describeKubeError(err);
      // the cause, not only "status 0": a refused connection, a TLS or DNS failure, a timeout
      const cause = (
        f.status === 403
          ? missingPermission(f, { verb: 'list', resource: opts.resource, namespace: opts.namespace })
          : f.status === 0
            ? errorChain(err)
            : (f.message ?? `HTTP ${f.status}`)
      ).slice(0, 500);
      this.restart('error', { status: f.status, reason: f.reason, error: cause }, `${this.what} failed: ${cause}`);
    });
  }

  private get what(): string {
    return this.opts.what;
  }

  /** stopRestarts() or close() was called. */
  get halted(): boolean {
    return this.closing;
  }

  /** A restart is scheduled and has not begun. */
  get restarting(): boolean {
    return this.restartTimer !== undefined;
  }

  /** informer.start() is running: the list, then the watch request until its headers come. */
  get isStarting(): boolean {
    return this.starting;
  }

  /** Starts the informer in the background (call from onReady). */
  run(): void {
    void this.start().catch((err: unknown) => this.opts.log.error({ err }, `${this.what} failed to start`));
  }

  /** Stops the informer now and starts it again after the backoff, e.g. because its watch went silent. */
  restart(cause: RestartCause, fields: Record<string, unknown>, why: string): void {
    this.attempt += 1;
    const delay = backoffDelay(this.opts.backoff, this.failures);
    this.failures += 1;
    this.opts.onRestart?.(cause);
    this.opts.log.warn({ ...fields, retryInMs: delay }, `${why}; restarting`);
    this.restartTimer = setTimeout(() => void this.start().catch(() => undefined), delay);
  }

  /** No restart from now on (preClose: the process is going away); the informer keeps what it has. */
  stopRestarts(): void {
    this.closing = true;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    for (const t of this.pendingDelays) {
      clearTimeout(t);
    }
    await this.informer.stop();
  }

  private async start(): Promise<void> {
    this.restartTimer = undefined;
    this.starting = true;
    const mine = ++this.attempt;
    try {
      await this.informer.start();
    } finally {
      this.starting = false;
    }
    // an error during start() has already bumped `attempt` and scheduled the next try
    if (!this.closing && mine === this.attempt) {
      this.failures = 0;
      this.opts.onStarted();
    }
  }
}
