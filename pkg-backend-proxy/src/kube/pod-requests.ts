import { ApiException, HttpMethod, RequestContext, type V1Pod } from '@kubernetes/client-node';
import type { PooledKubeConfig } from './pooled-config.ts';
import { readText, sendContext } from './undici-http.ts';

/**
 * The proxy's two hot Kubernetes calls, sent as the generated CoreV1Api sends them (same URL and query, Accept and
 * Content-Type, User-Agent, authentication and the pooled dispatcher via PooledKubeConfig) and failing with the
 * same ApiException(code, body, headers) on any non-2xx answer, minus the ObjectSerializer round trips: a rendered
 * Pod is already in wire form, and answers are only read by jobFromPod, which takes plain JSON as the watch
 * delivers it. Those walks over client-node's type metadata were the largest remaining CPU cost of a launch, and
 * a typed copy of every listed Pod doubled what a 10,000-Pod sync allocates.
 */
async function send<T>(
  config: PooledKubeConfig,
  method: HttpMethod,
  path: string,
  query: Record<string, string | number | undefined>,
  body?: unknown
): Promise<T> {
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new Error('No active cluster!');
  }
  const context = new RequestContext(`${cluster.server}${path}`, method);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      context.setQueryParam(name, String(value));
    }
  }
  context.setHeaderParam('Accept', 'application/json, */*;q=0.8');
  context.setHeaderParam('User-Agent', config.userAgent);
  if (body !== undefined) {
    context.setHeaderParam('Content-Type', 'application/json');
    context.setBody(JSON.stringify(body));
  }
  await config.applySecurityAuthentication(context);
  const answer = await sendContext(context, config.timeoutMs, readText);
  if (answer.status >= 200 && answer.status <= 299) {
    return JSON.parse(answer.body) as T;
  }
  if (answer.status === 401) {
    throw new ApiException(answer.status, 'Unauthorized', undefined, answer.headers);
  }
  throw new ApiException(answer.status, 'Unknown API Status Code!', answer.body, answer.headers);
}

const podsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;

export function createPod(config: PooledKubeConfig, namespace: string, pod: V1Pod): Promise<V1Pod> {
  return send(config, HttpMethod.POST, podsPath(namespace), {}, pod);
}

export interface ListPodsOptions {
  labelSelector?: string;
  limit?: number;
  continueToken?: string;
}

/** A PodList as the API sends it: `continue`, not the typed client's `_continue`. */
export interface PodListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items: V1Pod[];
}

export function listPods(config: PooledKubeConfig, namespace: string, options: ListPodsOptions): Promise<PodListPage> {
  return send(config, HttpMethod.GET, podsPath(namespace), {
    labelSelector: options.labelSelector,
    limit: options.limit,
    continue: options.continueToken,
  });
}
