import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { FakeKube } from '../../../tests/fake-kube/index.ts';
import { jobFromPod } from '../../src/catalog/job-from-pod.ts';
import { MANAGED_SELECTOR } from '../../src/labels.ts';
import { keepAliveAgent, runLoad, send, type LoadResult } from './http.ts';
import { per1000, summarize, type LatencySummary } from './stats.ts';

export interface ListFigures {
  requests: number;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  /** list + get calls the Kubernetes API received during the loop. */
  kubeCalls: number;
  kubeCallsPer1000: number;
  /** Jobs in one answer (the API's default page). */
  itemsPerAnswer: number;
}

/** The page the proxy answers when no `limit` is given (JobListQuery's default). */
export const DEFAULT_LIMIT = 100;

/** Kubernetes calls that a list request could have caused; the watch is the cache's steady cost, not per request. */
function kubeReads(fake: FakeKube): number {
  return fake.requestCount('list') + fake.requestCount('get');
}

function listFigures(fake: FakeKube, load: LoadResult, items: number): ListFigures {
  const requests = load.latencies.length + load.failures;
  const kubeCalls = kubeReads(fake);
  return {
    requests,
    latencyMs: summarize(load.latencies),
    failures: load.failures,
    failureSamples: load.failureSamples,
    kubeCalls,
    kubeCallsPer1000: per1000(kubeCalls, requests),
    itemsPerAnswer: items,
  };
}

/** GET /api/v1/jobs against the proxy, one request at a time, as a dashboard refresh would send them. */
export async function benchCachedList(
  fake: FakeKube,
  proxyUrl: string,
  readToken: string,
  requests: number,
  concurrency = 1
): Promise<ListFigures> {
  const agent = keepAliveAgent(concurrency);
  const headers = { authorization: `Bearer ${readToken}` };
  let items = Number.NaN;
  try {
    fake.resetRequests();
    const load = await runLoad(requests, concurrency, async () => {
      const res = await send(agent, `${proxyUrl}/api/v1/jobs`, { headers });
      if (res.status !== 200) {
        return `200 expected, got ${res.status}: ${res.body.slice(0, 200)}`;
      }
      items = (JSON.parse(res.body) as { items: unknown[] }).items.length;
      return undefined;
    });
    return listFigures(fake, load, items);
  } finally {
    agent.destroy();
  }
}

/**
 * What a proxy without a cache would do per request: list the Pods by label from the API server, turn each into a
 * job, sort newest first and serialise one page. Uses the proxy's own job mapping so only the data path differs.
 */
export async function benchNaiveList(fake: FakeKube, namespace: string, requests: number): Promise<ListFigures> {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  const api = kc.makeApiClient(CoreV1Api);
  let items = Number.NaN;
  fake.resetRequests();
  const load = await runLoad(requests, 1, async () => {
    const list = await api.listNamespacedPod({ namespace, labelSelector: MANAGED_SELECTOR });
    const jobs = list.items.map(jobFromPod).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const body = JSON.stringify({ items: jobs.slice(0, DEFAULT_LIMIT) });
    items = (JSON.parse(body) as { items: unknown[] }).items.length;
    return undefined;
  });
  return listFigures(fake, load, items);
}
