import { type KubernetesListObject, ListWatch, type V1CronJob, Watch } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { describeKubeError, errorChain } from '../kube/errors.ts';
import { MANAGED_SELECTOR } from '../labels.ts';
import { ScheduleStore } from '../schedules/schedule-store.ts';
import type { BackoffOptions } from './job-cache.ts';

export interface ScheduleCacheState {
  /** The first list has completed: GET /schedules can answer. */
  synced: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    schedules: ScheduleStore;
    scheduleCacheState: ScheduleCacheState;
  }
}

/**
 * A label-selected informer on FlowKube's CronJobs feeding the ScheduleStore, so listing schedules costs no
 * Kubernetes call. As for the Pod cache: client-node re-lists by itself after a 410 but stops on any other error,
 * so this restarts it with exponential backoff.
 */
export const scheduleCachePlugin = fp(
  async (app: FastifyInstance, opts: { backoff: BackoffOptions }) => {
    const { kube } = app;
    const store = new ScheduleStore();
    const state: ScheduleCacheState = { synced: false };
    app.decorate('schedules', store);
    app.decorate('scheduleCacheState', state);

    const listFn = async (): Promise<KubernetesListObject<V1CronJob>> =>
      // the informer's selector covers only the watch; the list must apply it too
      kube.call('list', () =>
        kube.batch.listNamespacedCronJob({ namespace: kube.namespace, labelSelector: MANAGED_SELECTOR })
      );
    let closing = false;
    const pendingDelays = new Set<NodeJS.Timeout>();
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
    const informer = new ListWatch<V1CronJob>(
      `/apis/batch/v1/namespaces/${kube.namespace}/cronjobs`,
      new Watch(kube.config),
      listFn,
      false,
      MANAGED_SELECTOR,
      undefined,
      { delayFn }
    );
    informer.on('add', (c) => store.put(c));
    informer.on('update', (c) => store.put(c));
    informer.on('delete', (c) => store.remove(c.metadata?.name ?? ''));

    let attempt = 0;
    let failures = 0;
    let restartTimer: NodeJS.Timeout | undefined;
    const start = async () => {
      restartTimer = undefined;
      const mine = ++attempt;
      await informer.start();
      if (!closing && mine === attempt) {
        failures = 0;
        state.synced = true;
      }
    };
    informer.on('error', (err: unknown) => {
      if (closing) {
        return;
      }
      attempt += 1;
      const delay = Math.min(opts.backoff.maxMs, opts.backoff.initialMs * 2 ** failures);
      failures += 1;
      const f = describeKubeError(err);
      const cause = (f.status === 0 ? errorChain(err) : (f.message ?? `HTTP ${f.status}`)).slice(0, 500);
      app.log.warn({ status: f.status, error: cause, retryInMs: delay }, `cronjob watch failed: ${cause}; restarting`);
      if (!restartTimer) {
        restartTimer = setTimeout(() => void start().catch(() => undefined), delay);
      }
    });

    app.addHook('onReady', async () => {
      void start().catch((err: unknown) => app.log.error({ err }, 'schedule cache failed to start'));
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
    });
  },
  { name: 'flowkube-schedule-cache', dependencies: ['flowkube-kube'] }
);
