import { BatchV1Api, KubeConfig } from '@kubernetes/client-node';
import type { FakeKube } from '../../../tests/fake-kube/index.ts';
import type { CatalogTemplate } from '../../src/catalog/schema.ts';
import { MANAGED_SELECTOR } from '../../src/labels.ts';
import { renderCronJob, SCHEDULE_DEFAULTS } from '../../src/schedules/render-cronjob.ts';
import { scheduleFromCronJob } from '../../src/schedules/schedule-view.ts';
import { runLoad } from './http.ts';
import { readFigures, readLoop, type ReadFigures } from './reads.ts';
import type { Row } from './report.ts';

export interface ScheduleFigures {
  schedules: number;
  pods: number;
  /** GET /api/v1/schedules through the proxy, answered from its CronJob and Pod caches. */
  cached: ReadFigures;
  /** Without a cache: list the CronJobs by label from the API server for each request. */
  naive: ReadFigures;
}

function batchApi(fake: FakeKube): BatchV1Api {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  return kc.makeApiClient(BatchV1Api);
}

/**
 * n schedules as the proxy creates them (renderCronJob for the bench template), each on its own minute of a day in
 * January, so that none fires during the run and the Job controller stays idle.
 */
export async function seedSchedules(
  fake: FakeKube,
  namespace: string,
  n: number,
  template: CatalogTemplate
): Promise<number> {
  const api = batchApi(fake);
  for (let i = 0; i < n; i++) {
    const body = renderCronJob({
      template,
      params: { message: `schedule ${i}` },
      name: `${template.id}-s${String(i).padStart(4, '0')}`,
      namespace,
      createdBy: 'bench',
      schedule: `${i % 60} ${Math.floor(i / 60) % 24} ${1 + (i % 28)} 1 *`,
      timeZone: ['UTC', 'Europe/Berlin', 'America/New_York'][i % 3]!,
      suspend: false,
      concurrencyPolicy: SCHEDULE_DEFAULTS.concurrencyPolicy,
      retentionSeconds: 86_400,
    });
    await api.createNamespacedCronJob({ namespace, body });
  }
  return n;
}

/** 0 is the target: no Kubernetes call of any kind while the cache answers. */
export function benchCachedSchedules(
  fake: FakeKube,
  proxyUrl: string,
  readToken: string,
  requests: number
): Promise<ReadFigures> {
  return readLoop({ fake, url: `${proxyUrl}/api/v1/schedules`, token: readToken, minRequests: requests });
}

/**
 * What a proxy without a cache would do per request: list the CronJobs by label through client-node and turn each
 * into a schedule with the proxy's own view (without the runs, which would cost a Pod list more).
 */
export async function benchNaiveSchedules(fake: FakeKube, namespace: string, requests: number): Promise<ReadFigures> {
  const api = batchApi(fake);
  let items = Number.NaN;
  let bodyBytes = Number.NaN;
  const mark = fake.requests.length;
  const load = await runLoad(requests, 1, async () => {
    const list = await api.listNamespacedCronJob({ namespace, labelSelector: MANAGED_SELECTOR });
    const now = new Date();
    const body = JSON.stringify({ items: list.items.map((c) => scheduleFromCronJob(c, [], now)) });
    items = list.items.length;
    bodyBytes = Buffer.byteLength(body);
    return undefined;
  });
  return readFigures(load, fake.requests.slice(mark), { items, bodyBytes });
}

export function scheduleRows(f: ScheduleFigures): Row[] {
  const what = `${f.schedules} schedules + ${f.pods.toLocaleString('en-US')} Pods cached`;
  return [
    { name: `schedules p50, ${what}`, measured: f.cached.latencyMs.p50, unit: 'ms' },
    { name: `schedules p99, ${what}`, measured: f.cached.latencyMs.p99, unit: 'ms' },
    {
      name: 'kube API calls per 1,000 schedule lists, cached',
      measured: f.cached.kubeCallsPer1000,
      unit: '',
      target: { op: '=', value: 0 },
    },
    { name: 'schedules p50, naive CronJob list-per-request', measured: f.naive.latencyMs.p50, unit: 'ms' },
    { name: 'kube API calls per 1,000 schedule lists, naive', measured: f.naive.kubeCallsPer1000, unit: '' },
  ];
}
