import { type KubeConfig, type KubernetesListObject, type V1Pod, Watch } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { MANAGED_SELECTOR } from '../labels.ts';
import { type CachedPod, cachedPod } from '../jobs/cached-pod.ts';
import { trackJobMetrics } from '../jobs/job-metrics.ts';
import { JobStore } from '../jobs/job-store.ts';
import { tombstone } from '../jobs/tombstone.ts';
import type { Metrics } from '../metrics.ts';
import type { BackoffOptions } from '../kube/backoff.ts';
import { InformerLoop } from '../kube/informer-loop.ts';
import fp from 'fastify-plugin';

export interface CacheState {
  /** The first list has completed: the store can answer. */
  synced: boolean;
  /** Synced and the watch is healthy; false while it restarts after an error or after it went silent. */
  ready: boolean;
  /** When the API last showed the watch alive (epoch ms): a list, the watch's 200, an event or a bookmark. */
  aliveAt: number;
  /** How long the watch may stay silent before it counts as stale. */
  staleMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobStore;
    cacheState: CacheState;
  }
}

/**
 * Real API servers send a bookmark about once a minute (cacher.go, defaultBookmarkFrequency) and client-node ends
 * a watch that is silent for 30 s and reconnects, which answers 200 again: a healthy watch shows life at least
 * every 30 s, so twice that without any is a watch that hangs (a black-holed API server, a dead connection).
 */
export const DEFAULT_WATCH_STALE_MS = 60_000;

/** Pods per list page: what client-go's pager asks for; bounds the memory a (re-)list needs at once. */
export const LIST_PAGE_SIZE = 500;

/**
 * A Watch whose Pods reach the informer (and so its cache) as CachedPods (their job and cache keys only), that asks
 * for bookmarks, and that reports every sign of life: the API answering the watch with 200, each event, each bookmark.
 */
class JobWatch extends Watch {
  private readonly alive: (bookmark?: string) => void;

  /** `alive` gets a bookmark's resourceVersion, which moves the store's cursor on while nothing of ours changes. */
  constructor(config: KubeConfig, alive: (bookmark?: string) => void) {
    super(config);
    this.alive = alive;
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void
  ): Promise<AbortController> {
    let ended = false;
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, obj, watchObj) => {
        if (phase === 'BOOKMARK') {
          this.alive((obj as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion);
        } else if (phase !== 'ERROR') {
          this.alive();
        }
        const isPod = phase !== 'ERROR' && phase !== 'BOOKMARK' && obj && typeof obj === 'object';
        callback(phase, isPod ? cachedPod(obj as V1Pod) : obj, watchObj);
      },
      (err) => {
        ended = true;
        done(err);
      }
    );
    // client-node returns once the answer's headers are in: still open means the API said 200 to the watch
    if (!ended) {
      this.alive();
    }
    return controller;
  }
}

/**
 * A label-selected informer on FlowKube's Pods feeding the JobStore, restarted with backoff after an error or when
 * its watch goes silent, and reported not-ready meanwhile.
 */
export const jobCachePlugin = fp(
  async (app: FastifyInstance, opts: { backoff: BackoffOptions; staleMs?: number }) => {
    const { kube, metrics } = app;
    const store = new JobStore();
    const state: CacheState = {
      synced: false,
      ready: false,
      aliveAt: 0,
      staleMs: opts.staleMs ?? DEFAULT_WATCH_STALE_MS,
    };
    app.decorate('jobs', store);
    app.decorate('cacheState', state);
    trackJobMetrics(store, metrics, () => state.synced);
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
      // the informer applies this list's differences right after: the store logs them at its resourceVersion
      store.listed(list.metadata?.resourceVersion);
      markAlive();
      if (lists > 1 && state.ready) {
        metrics.watchRestarts.inc({ cause: 'expired' });
      }
      return { metadata: { resourceVersion: list.metadata?.resourceVersion }, items };
    };

    const setReady = (ready: boolean) => {
      state.ready = ready;
      metrics.cacheReady.set(ready ? 1 : 0);
    };
    const fresh = () => Date.now() - state.aliveAt <= state.staleMs;

    const loop = new InformerLoop<CachedPod>({
      path: `/api/v1/namespaces/${kube.namespace}/pods`,
      watch: new JobWatch(kube.config, (bookmark) => {
        // the watch only starts once the informer has applied its list
        store.advance(bookmark);
        markAlive();
      }),
      list: listFn,
      labelSelector: MANAGED_SELECTOR,
      backoff: opts.backoff,
      log: app.log,
      what: 'pod watch',
      resource: 'pods',
      namespace: kube.namespace,
      onStarted: () => {
        state.synced = true;
        // start() also returns when the watch request itself timed out: ready only once the API showed life
        setReady(fresh());
      },
      onRestart: (cause) => {
        // not ready until the informer runs again
        setReady(false);
        metrics.watchRestarts.inc({ cause });
      },
    });
    const informer = loop.informer;

    const put = (pod: CachedPod) => store.upsert(pod, pod.metadata.resourceVersion);
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (pod) => {
      if (pod.keepWhenDeleted) {
        // a Job's Pod cancelled before it ran (no cancel finalizer kept it): the job stays as Cancelled until retention
        store.upsert(tombstone(pod), pod.metadata.resourceVersion);
      } else {
        store.remove(pod.metadata.name, pod.metadata.resourceVersion);
      }
    });

    function markAlive() {
      state.aliveAt = Date.now();
      // a watch that came back by itself (client-node reconnects after its own timeout) is ready again
      if (state.synced && !state.ready && !loop.restarting && !loop.halted) {
        setReady(true);
      }
    }

    // client-node treats a watch that timed out as a normal reconnect and never reports it, so a hanging API
    // server would leave the cache silently stale and /readyz green: judge the watch by the life it shows
    const watchdog = setInterval(
      () => {
        if (loop.halted || loop.restarting || loop.isStarting || !state.synced || fresh()) {
          return;
        }
        const silentMs = Date.now() - state.aliveAt;
        loop.restart('stale', { silentMs }, `pod watch silent for ${Math.round(silentMs / 1000)} s`);
        void informer.stop();
      },
      Math.max(50, Math.min(1000, state.staleMs / 4))
    );
    watchdog.unref();

    app.addHook('onReady', async () => {
      loop.run();
    });

    app.addHook('preClose', async () => {
      loop.stopRestarts();
      store.close();
    });

    app.addHook('onClose', async () => {
      clearInterval(watchdog);
      await loop.close();
      setReady(false);
    });
  },
  { name: 'flowkube-job-cache', dependencies: ['flowkube-kube', 'flowkube-metrics'] }
);
