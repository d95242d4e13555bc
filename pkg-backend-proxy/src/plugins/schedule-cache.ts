import { type KubernetesListObject, type V1CronJob, Watch } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { BackoffOptions } from '../kube/backoff.ts';
import { InformerLoop } from '../kube/informer-loop.ts';
import { MANAGED_SELECTOR } from '../labels.ts';
import { ScheduleStore } from '../schedules/schedule-store.ts';

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
 * Kubernetes call; restarted with backoff after an error, as every informer here is.
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
    const loop = new InformerLoop<V1CronJob>({
      path: `/apis/batch/v1/namespaces/${kube.namespace}/cronjobs`,
      watch: new Watch(kube.config),
      list: listFn,
      labelSelector: MANAGED_SELECTOR,
      backoff: opts.backoff,
      log: app.log,
      what: 'cronjob watch',
      resource: 'cronjobs',
      namespace: kube.namespace,
      onStarted: () => {
        state.synced = true;
      },
    });
    loop.informer.on('add', (c) => store.put(c));
    loop.informer.on('update', (c) => store.put(c));
    loop.informer.on('delete', (c) => store.remove(c.metadata?.name ?? ''));

    app.addHook('onReady', async () => loop.run());
    app.addHook('preClose', async () => {
      loop.stopRestarts();
      store.close();
    });
    app.addHook('onClose', async () => loop.close());
  },
  { name: 'flowkube-schedule-cache', dependencies: ['flowkube-kube'] }
);
