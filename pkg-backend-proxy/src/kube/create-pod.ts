import { ApiException, HttpMethod, RequestContext, type V1Pod } from '@kubernetes/client-node';
import type { PooledKubeConfig } from './pooled-config.ts';
import { sendContext } from './undici-http.ts';

/**
 * POST a Pod as the generated CoreV1Api.createNamespacedPod does (same URL, headers, authentication, pooled
 * connection, and the same ApiException on any non-2xx answer), minus its ObjectSerializer round trips: the Pod
 * from renderPod is already in wire form, and the answer is only read by jobFromPod, which takes plain JSON (as
 * from the watch). Those two walks over the type metadata were the largest remaining CPU cost of a launch.
 */
export async function createPod(config: PooledKubeConfig, namespace: string, pod: V1Pod): Promise<V1Pod> {
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new Error('No active cluster!');
  }
  const context = new RequestContext(
    `${cluster.server}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
    HttpMethod.POST
  );
  context.setHeaderParam('Accept', 'application/json, */*;q=0.8');
  context.setHeaderParam('Content-Type', 'application/json');
  context.setHeaderParam('User-Agent', config.userAgent);
  context.setBody(JSON.stringify(pod));
  await config.applySecurityAuthentication(context);
  const { status, headers, body } = await sendContext(context);
  if (status >= 200 && status <= 299) {
    return JSON.parse(body.toString('utf8')) as V1Pod;
  }
  if (status === 401) {
    throw new ApiException(status, 'Unauthorized', undefined, headers);
  }
  throw new ApiException(status, 'Unknown API Status Code!', body.toString('utf8'), headers);
}
