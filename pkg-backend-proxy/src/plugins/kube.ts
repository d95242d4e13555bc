import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics.ts';
import { createPod, listPods, type ListPodsOptions, type PodListPage } from '../kube/pod-requests.ts';
import { describeKubeError } from '../kube/errors.ts';
import { type PooledKubeConfig, pooledKubeConfig } from '../kube/pooled-config.ts';
import { shared } from './shared.ts';

export type KubeVerb = 'get' | 'list' | 'create' | 'delete' | 'log';

export interface Kube {
  /** Shares one keep-alive connection pool across API calls, the watch and logs. */
  config: PooledKubeConfig;
  core: CoreV1Api;
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

const SUCCESS: Record<KubeVerb, string> = { get: '200', list: '200', create: '201', delete: '200', log: '200' };

export function createKube(source: KubeConfig, namespace: string, metrics: Metrics): Kube {
  const config = pooledKubeConfig(source);
  const core = config.makeApiClient(CoreV1Api);
  return {
    config,
    core,
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

export const kubePlugin: FastifyPluginAsync<{ kubeConfig: KubeConfig; namespace: string }> = shared(
  'flowkube-kube',
  async (app, opts) => {
    const kube = createKube(opts.kubeConfig, opts.namespace, app.metrics);
    app.decorate('kube', kube);
    // the watch and log streams normally end first; whatever is still open is cut after a grace second
    app.addHook('onClose', async () => kube.config.close());
  }
);
