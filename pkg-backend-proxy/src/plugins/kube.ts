import { BatchV1Api, CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.ts';
import { createPod, listPods, type ListPodsOptions, type PodListPage } from '../kube/pod-requests.ts';
import { describeKubeError } from '../kube/errors.ts';
import { type PooledKubeConfig, pooledKubeConfig } from '../kube/pooled-config.ts';
import fp from 'fastify-plugin';

export type KubeVerb = 'get' | 'list' | 'create' | 'patch' | 'delete' | 'log';

export interface Kube {
  /** Shares one keep-alive connection pool across API calls, the watch and logs. */
  config: PooledKubeConfig;
  core: CoreV1Api;
  /** Leases: the launch slots (jobs/slots.ts). */
  coordination: CoordinationV1Api;
  /** CronJobs and Jobs: schedules (src/schedules/). */
  batch: BatchV1Api;
  namespace: string;
  /** Creates a Pod in the namespace: the launch's hot path, without the generated client's (de)serialisation. */
  createPod(pod: V1Pod): Promise<V1Pod>;
  /** One page of the namespace's Pods as plain JSON (timestamps stay strings), for the cache's list. */
  listPods(options: ListPodsOptions): Promise<PodListPage>;
  /** Runs one Kubernetes call and counts it in flowkube_kube_requests_total{verb,code}. */
  call<T>(verb: KubeVerb, fn: (core: CoreV1Api) => Promise<T>): Promise<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kube: Kube;
  }
}

const SUCCESS: Record<KubeVerb, string> = {
  get: '200',
  list: '200',
  create: '201',
  patch: '200',
  delete: '200',
  log: '200',
};

export function createKube(source: KubeConfig, namespace: string, metrics: Metrics, timeoutMs?: number): Kube {
  const config = pooledKubeConfig(source);
  if (timeoutMs !== undefined) {
    config.timeoutMs = timeoutMs;
  }
  const core = config.makeApiClient(CoreV1Api);
  return {
    config,
    core,
    coordination: config.makeApiClient(CoordinationV1Api),
    batch: config.makeApiClient(BatchV1Api),
    namespace,
    createPod: (pod) => createPod(config, namespace, pod),
    listPods: (options) => listPods(config, namespace, options),
    async call(verb, fn) {
      try {
        const result = await fn(core);
        metrics.kubeRequests.inc({ verb, code: SUCCESS[verb] });
        return result;
      } catch (err) {
        metrics.kubeRequests.inc({ verb, code: String(describeKubeError(err).status) });
        throw err;
      }
    },
  };
}

export const kubePlugin = fp(
  async (app: FastifyInstance, opts: { kubeConfig: KubeConfig; namespace: string; timeoutMs?: number }) => {
    const kube = createKube(opts.kubeConfig, opts.namespace, app.metrics, opts.timeoutMs);
    app.decorate('kube', kube);
    // the watch and log streams normally end first; whatever is still open is cut after a grace second
    app.addHook('onClose', async () => kube.config.close());
  },
  { name: 'flowkube-kube', dependencies: ['flowkube-metrics'] }
);
