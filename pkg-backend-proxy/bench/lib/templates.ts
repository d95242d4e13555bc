import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import type { FakeKube, RecordedRequest } from '../../../tests/fake-kube/index.ts';
import { LABEL_CATALOG } from '../../src/labels.ts';
import { keepAliveAgent, send } from './http.ts';
import { readLoop, type ReadFigures } from './reads.ts';
import type { Row } from './report.ts';

/** The documented example template (private registry, Secret env, PVC, GPU pool): what a real one looks like. */
const EXAMPLE = fileURLToPath(new URL('../../../k8s/examples/catalog-configmap.yaml', import.meta.url));

export interface TemplateFigures {
  configMaps: number;
  /** Templates from the ConfigMaps, and from the file (the demo catalog). */
  configMapTemplates: number;
  fileTemplates: number;
  /** ConfigMaps replaced while the live loop ran, one every `changeIntervalMs`. */
  changes: number;
  /** The proxy's dry runs (the cluster check) per change: one per changed template, not per request. */
  dryRunsPerChange: number;
  /** The last change was in GET /api/v1/templates by the end of the loop: the answer is not a stale copy. */
  lastChangeSeen: boolean;
  /** Baseline: the file's templates only, before any ConfigMap exists. */
  fileOnly: ReadFigures;
  /** With every ConfigMap template and the changes going on, gzip accepted (as from a browser). */
  live: ReadFigures;
  /** The same without gzip: the ~200 KB answer in full (see bench/README.md on loopback and large bodies). */
  liveIdentity: ReadFigures;
  /**
   * The live loop's answers as the proxy timed them itself (its request-duration histogram, whose first bucket is
   * 1 ms): how many, and the share within 1 ms. At least half within 1 ms is a p50 of at most 1 ms on the server,
   * without the loopback transfer and the load generator's decoding that the client's latency also holds.
   */
  liveServer: { answers: number; within1ms: number };
}

export interface TemplateBenchOptions {
  fake: FakeKube;
  proxyUrl: string;
  readToken: string;
  namespace: string;
  configMaps: number;
  perConfigMap: number;
  /** Requests per loop, at least. */
  requests: number;
  /** The live loop runs until this many changes went through, too. */
  changes: number;
  changeIntervalMs: number;
}

function exampleTemplate(): Record<string, unknown> {
  const cm = parse(readFileSync(EXAMPLE, 'utf8')) as V1ConfigMap;
  return parse(Object.values(cm.data ?? {})[0]!) as Record<string, unknown>;
}

/** ConfigMap `c` at `version`: `perConfigMap` copies of the example, one key each, the title carrying the version. */
function catalogConfigMap(
  base: Record<string, unknown>,
  c: number,
  perConfigMap: number,
  version: number
): V1ConfigMap {
  const data: Record<string, string> = {};
  for (let k = 0; k < perConfigMap; k++) {
    data[`t${k}.yaml`] = stringify({ ...base, id: `bench-${c}-${k}`, title: `Train model ${c}.${k} v${version}` });
  }
  return { metadata: { name: `bench-catalog-${c}`, labels: { [LABEL_CATALOG]: 'true' } }, data };
}

/** GET /api/v1/templates 200 answers the proxy has timed so far: all of them, and those within 1 ms. */
async function templateTimings(o: TemplateBenchOptions): Promise<{ answers: number; within1ms: number }> {
  const agent = keepAliveAgent(1);
  const res = await send(agent, `${o.proxyUrl}/metrics`).finally(() => agent.destroy());
  const bucket = (le: string) => {
    const line = res.body
      .split('\n')
      .find(
        (l) =>
          l.startsWith('flowkube_http_request_duration_seconds_bucket{') &&
          l.includes(`le="${le}"`) &&
          l.includes('method="GET"') &&
          l.includes('route="/api/v1/templates"') &&
          l.includes('status_code="200"')
      );
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { answers: bucket('+Inf'), within1ms: bucket('0.001') };
}

const isDryRun = (r: RecordedRequest) => r.verb === 'create' && r.resource === 'pods' && r.query.dryRun === 'All';
const isCatalogWrite = (r: RecordedRequest) => r.resource === 'configmaps' && r.verb !== 'list' && r.verb !== 'get';

async function templateTitles(o: TemplateBenchOptions): Promise<Map<string, string>> {
  const agent = keepAliveAgent(1);
  try {
    const res = await send(agent, `${o.proxyUrl}/api/v1/templates`, {
      headers: { authorization: `Bearer ${o.readToken}` },
    });
    const items = (JSON.parse(res.body) as { items: Array<{ id: string; title: string }> }).items;
    return new Map(items.map((t) => [t.id, t.title]));
  } finally {
    agent.destroy();
  }
}

async function until(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${ms} ms`);
    }
    await sleep(50);
  }
}

/**
 * GET /api/v1/templates with the file's templates only (the baseline), then with `configMaps` ConfigMaps of
 * `perConfigMap` templates each while a timer replaces one ConfigMap every `changeIntervalMs` (as `kubectl apply`
 * of a changed file would; the proxy's watch sees each). Calls held against the route: every call the API received
 * meanwhile except the watch, the timer's own writes and the dry runs the changes bring.
 */
export async function benchTemplates(o: TemplateBenchOptions): Promise<TemplateFigures> {
  const url = `${o.proxyUrl}/api/v1/templates`;
  const fileTemplates = (await templateTitles(o)).size;
  const fileOnly = await readLoop({ fake: o.fake, url, token: o.readToken, minRequests: o.requests, gzip: true });

  const kc = new KubeConfig();
  kc.loadFromOptions(o.fake.kubeConfigOptions());
  const core = kc.makeApiClient(CoreV1Api);
  const base = exampleTemplate();
  const seeded = o.fake.requests.length;
  for (let c = 0; c < o.configMaps; c++) {
    await core.createNamespacedConfigMap({
      namespace: o.namespace,
      body: catalogConfigMap(base, c, o.perConfigMap, 0),
    });
  }
  const configMapTemplates = o.configMaps * o.perConfigMap;
  await until('every ConfigMap template in GET /api/v1/templates', 30_000, async () => {
    return (await templateTitles(o)).size === fileTemplates + configMapTemplates;
  });
  // the first cluster check of each template is the cost of loading it, not of serving it
  await until('the first dry run of every ConfigMap template', 120_000, () => {
    return o.fake.requests.slice(seeded).filter(isDryRun).length >= configMapTemplates;
  });

  let changes = 0;
  let writing = true;
  let last: { id: string; title: string } | undefined;
  const writer = (async () => {
    while (writing) {
      await sleep(o.changeIntervalMs);
      if (!writing) {
        break;
      }
      const version = changes + 1;
      const c = changes % o.configMaps;
      const body = catalogConfigMap(base, c, o.perConfigMap, version);
      await core.replaceNamespacedConfigMap({ namespace: o.namespace, name: body.metadata!.name!, body });
      last = { id: `bench-${c}-0`, title: `Train model ${c}.0 v${version}` };
      changes = version;
    }
  })();
  const mark = o.fake.requests.length;
  let live: ReadFigures;
  let liveIdentity: ReadFigures;
  const loop = {
    fake: o.fake,
    url,
    token: o.readToken,
    counts: (r: RecordedRequest) => !isCatalogWrite(r) && !isDryRun(r),
  };
  let liveServer: TemplateFigures['liveServer'];
  try {
    const before = await templateTimings(o);
    live = await readLoop({
      ...loop,
      minRequests: o.requests,
      until: () => changes >= o.changes,
      maxMs: o.changes * o.changeIntervalMs * 5 + 30_000,
      gzip: true,
    });
    const after = await templateTimings(o);
    liveServer = { answers: after.answers - before.answers, within1ms: after.within1ms - before.within1ms };
    liveIdentity = await readLoop({ ...loop, minRequests: o.requests });
  } finally {
    writing = false;
    await writer;
  }
  const dryRuns = o.fake.requests.slice(mark).filter(isDryRun).length;
  const seen = last;
  let lastChangeSeen = seen === undefined;
  if (seen) {
    lastChangeSeen = await until('the last change in GET /api/v1/templates', 2000, async () => {
      return (await templateTitles(o)).get(seen.id) === seen.title;
    }).then(
      () => true,
      () => false
    );
  }
  return {
    configMaps: o.configMaps,
    configMapTemplates,
    fileTemplates,
    changes,
    dryRunsPerChange: changes > 0 ? dryRuns / changes : Number.NaN,
    lastChangeSeen,
    fileOnly,
    live,
    liveIdentity,
    liveServer,
  };
}

export function templateRows(f: TemplateFigures): Row[] {
  const live = `${f.configMapTemplates} templates from ${f.configMaps} ConfigMaps, changing`;
  const file = `file only (${f.fileTemplates})`;
  return [
    { name: `templates p50, ${live}`, measured: f.live.latencyMs.p50, unit: 'ms', target: { op: '<=', value: 1 } },
    { name: `templates p99, ${live}`, measured: f.live.latencyMs.p99, unit: 'ms' },
    {
      // the proxy's own time: at least half within 1 ms is a server-side p50 of at most 1 ms
      name: 'templates answers the proxy timed within 1 ms, live catalog',
      measured: f.liveServer.answers > 0 ? f.liveServer.within1ms / f.liveServer.answers : Number.NaN,
      unit: '',
      target: { op: '>=', value: 0.5 },
    },
    {
      name: 'kube API calls per template GET, live catalog',
      measured: f.live.requests > 0 ? f.live.kubeCalls / f.live.requests : Number.NaN,
      unit: '',
      target: { op: '=', value: 0 },
    },
    { name: 'templates p50, live catalog, without gzip', measured: f.liveIdentity.latencyMs.p50, unit: 'ms' },
    { name: `templates p50, ${file}`, measured: f.fileOnly.latencyMs.p50, unit: 'ms' },
    { name: `templates p99, ${file}`, measured: f.fileOnly.latencyMs.p99, unit: 'ms' },
    { name: 'templates body, live catalog', measured: f.live.bodyBytes / 1024, unit: 'KiB' },
    { name: 'ConfigMap changes during the loop', measured: f.changes, unit: '' },
    { name: 'dry runs per ConfigMap change (not per request)', measured: f.dryRunsPerChange, unit: '' },
  ];
}
