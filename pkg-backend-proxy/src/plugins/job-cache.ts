import { type KubernetesListObject, ListWatch, type V1Pod, Watch } from '@kubernetes/client-node';
import type { FastifyPluginAsync } from 'fastify';
import { isFinal } from '../catalog/job-from-pod.ts';
import { MANAGED_SELECTOR } from '../catalog/render-pod.ts';
import { type CachedPod, cachedPod } from '../jobs/cached-pod.ts';
import { JobStore } from '../jobs/job-store.ts';
import type { Metrics } from '../metrics.ts';
import type { Job } from '../schemas/index.ts';
import { describeKubeError, errorChain } from '../kube/errors.ts';
import { shared } from './shared.ts';

export interface CacheState {
  /** The first list has completed: the store can answer. */
  synced: boolean;
  /** Synced and the watch is healthy; false while it restarts after an error. */
  ready: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobStore;
    cacheState: CacheState;
  }
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Pods per list page: what client-go's pager asks for; bounds the memory a (re-)list needs at once. */
export const LIST_PAGE_SIZE = 500;

/** A Watch whose Pods reach the informer (and so its cache) as CachedPods: their job and cache keys only. */
class JobWatch extends Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, obj, watchObj) => {
        const isPod = phase !== 'ERROR' && phase !== 'BOOKMARK' && obj && typeof obj === 'object';
        callback(phase, isPod ? cachedPod(obj as V1Pod) : obj, watchObj);
      },
      done
    );
  }
}

/** Feeds the job gauges and counters from cache transitions, counting each job's finish exactly once. */
function trackMetrics(store: JobStore, metrics: Metrics, state: CacheState): void {
  const finished = new Set<string>();
  const gauge = (job: Job | undefined, delta: number) => {
    if (job) {
      metrics.jobsActive.inc({ template: job.template, phase: job.phase }, delta);
    }
  };
  store.onChange((prev, next) => {
    gauge(prev, -1);
    gauge(next, +1);
    if (!next) {
      finished.delete(prev!.id);
      return;
    }
    if (isFinal(next.phase) && !finished.has(next.id)) {
      finished.add(next.id);
      // Pods that were already over when the proxy started were counted by the process that saw them finish.
      if (state.synced || prev) {
        metrics.jobsFinished.inc({ template: next.template, phase: next.phase });
        if (next.durationSeconds !== undefined) {
          metrics.jobDuration.observe({ template: next.template, phase: next.phase }, next.durationSeconds);
        }
      }
    }
  });
}

/**
 * A label-selected informer on FlowKube's Pods feeding the JobStore. client-node re-lists by itself after a 410
 * but stops for good on any other error, so this restarts it with exponential backoff and reports not-ready
 * meanwhile.
 */
export const jobCachePlugin: FastifyPluginAsync<{ backoff: BackoffOptions }> = shared(
  'flowkube-job-cache',
  async (app, opts) => {
    const { kube, metrics } = app;
    const store = new JobStore();
    const state: CacheState = { synced: false, ready: false };
    app.decorate('jobs', store);
    app.decorate('cacheState', state);
    trackMetrics(store, metrics, state);
    metrics.cacheReady.set(0);

    let lists = 0;
    const listFn = async (): Promise<KubernetesListObject<CachedPod>> => {
      // the informer's selector covers only the watch; the list must apply it too
      const list = await kube.call('list', () =>
        kube.listPods({ labelSelector: MANAGED_SELECTOR, limit: LIST_PAGE_SIZE })
      );
      const items = (list.items ?? []).map(cachedPod);
      // pages are one snapshot in Kubernetes; the watch resumes from the first page's resourceVersion, so even a
      // server that served later pages newer would only replay events, never skip one
      for (let next = list.metadata?.continue; next;) {
        const token = next;
        const page = await kube.call('list', () =>
          kube.listPods({ labelSelector: MANAGED_SELECTOR, limit: LIST_PAGE_SIZE, continueToken: token })
        );
        for (const pod of page.items ?? []) {
          items.push(cachedPod(pod));
        }
        next = page.metadata?.continue;
      }
      lists += 1;
      if (lists > 1 && state.ready) {
        metrics.watchRestarts.inc({ cause: 'expired' });
      }
      return { metadata: { resourceVersion: list.metadata?.resourceVersion }, items };
    };

    let closing = false;
    const pendingDelays = new Set<NodeJS.Timeout>();
    // client-node waits between reconnects with this; after close the wait simply never ends
    const delayFn = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          pendingDelays.delete(t);
          if (!closing) {
            resolve();
          }
        }, ms);
        pendingDelays.add(t);
      });
    const informer = new ListWatch<CachedPod>(
      `/api/v1/namespaces/${kube.namespace}/pods`,
      new JobWatch(kube.config),
      listFn,
      false,
      MANAGED_SELECTOR,
      undefined,
      { delayFn }
    );

    const put = (pod: CachedPod) => store.upsert(pod);
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (pod) => store.remove(pod.metadata.name));

    let attempt = 0;
    let failures = 0;
    let restartTimer: NodeJS.Timeout | undefined;

    const setReady = (ready: boolean) => {
      state.ready = ready;
      metrics.cacheReady.set(ready ? 1 : 0);
    };

    const start = async () => {
      restartTimer = undefined;
      const mine = ++attempt;
      await informer.start();
      // an error during start() has already bumped `attempt` and scheduled the next try
      if (!closing && mine === attempt) {
        failures = 0;
        state.synced = true;
        setReady(true);
      }
    };

    informer.on('error', (err: unknown) => {
      if (closing) {
        return;
      }
      attempt += 1;
      setReady(false);
      metrics.watchRestarts.inc({ cause: 'error' });
      const delay = Math.min(opts.backoff.maxMs, opts.backoff.initialMs * 2 ** failures);
      failures += 1;
      const f = describeKubeError(err);
      // the cause, not only "status 0": a refused connection, a TLS or DNS failure, a timeout
      const cause = (f.status === 0 ? errorChain(err) : (f.message ?? `HTTP ${f.status}`)).slice(0, 500);
      app.log.warn(
        { status: f.status, reason: f.reason, error: cause, retryInMs: delay },
        `pod watch failed: ${cause}; restarting`
      );
      if (!restartTimer) {
        restartTimer = setTimeout(() => void start().catch(() => undefined), delay);
      }
    });

    app.addHook('onReady', async () => {
      void start().catch((err: unknown) => app.log.error({ err }, 'pod cache failed to start'));
    });

    app.addHook('preClose', async () => {
      closing = true;
      store.close();
    });

    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(restartTimer);
      for (const t of pendingDelays) {
        clearTimeout(t);
      }
      await informer.stop();
      setReady(false);
    });
  }
);
