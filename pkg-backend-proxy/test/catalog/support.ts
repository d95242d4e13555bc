// Shared by the live-catalog tests: ConfigMaps written through the real client, as `kubectl apply` would.
import { after, before } from 'node:test';
import { ApiException, CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { type FakeKube, startFakeKube } from '../../../tests/fake-kube/index.ts';
import type { CatalogStatus, TemplateView } from '../../src/schemas/index.ts';
import { build, type Built, read } from '../helper.ts';

export const NS = 'flowkube-jobs';

/** Short enough that a test breaking the ConfigMap watch or refusing dry runs sees the retries at once. */
const CATALOG_BACKOFF = { initialMs: 20, maxMs: 200 };

export interface LiveCatalogApp {
  fake: FakeKube;
  built: Built;
  /** The fake's API through the real client. */
  core: CoreV1Api;
  /** Creates the ConfigMap, or replaces it when it exists, as `kubectl apply` would. */
  apply(cm: V1ConfigMap): Promise<void>;
  /** Another app on the same fake (a restart, a second replica); the caller closes it. */
  another(): Promise<Built>;
}

/** The file's fake API and app on it, started before its tests and closed after them (set once `before` ran). */
export function liveCatalogApp(): LiveCatalogApp {
  const another = () => build({ fake: live.fake, deps: { catalogBackoff: CATALOG_BACKOFF } });
  const live = { another, apply: (cm: V1ConfigMap) => apply(live.core, cm) } as LiveCatalogApp;
  before(async () => {
    live.fake = await startFakeKube({ startDelayMs: 20 });
    live.core = coreApi(live.fake);
    live.built = await another();
  });
  after(async () => {
    await live.built.close();
    await live.fake.stop();
  });
  return live;
}

function coreApi(fake: FakeKube): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromOptions(fake.kubeConfigOptions());
  return kc.makeApiClient(CoreV1Api);
}

/** A runnable template of the worker image (the fake runs it as a real process). */
export function workerTemplate(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Template ${id}`,
    description: 'From a ConfigMap.',
    image: 'flowkube/worker:0.1.0',
    command: ['python', '/app/app_basic.py'],
    env: [
      { name: 'MESSAGE', fromParam: 'message' },
      { name: 'SLEEP_SECONDS', value: '30' },
    ],
    params: {
      type: 'object',
      additionalProperties: false,
      properties: { message: { type: 'string', maxLength: 64, default: 'hi' } },
    },
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
    timeoutSeconds: 600,
    ...extra,
  };
}

/** `data` from templates: one key per template, or a `templates:` list under `list.yaml`. */
export function catalogConfigMap(
  name: string,
  templates: unknown[] | Record<string, string>,
  asList = false
): V1ConfigMap {
  const data = Array.isArray(templates)
    ? asList
      ? { 'list.yaml': stringify({ templates }) }
      : Object.fromEntries(templates.map((t, i) => [`t${String(i).padStart(3, '0')}.yaml`, stringify(t)]))
    : templates;
  return { metadata: { name, labels: { 'flowkube.io/catalog': 'true' } }, data };
}

async function apply(core: CoreV1Api, cm: V1ConfigMap): Promise<void> {
  const name = cm.metadata!.name!;
  try {
    const now = await core.readNamespacedConfigMap({ namespace: NS, name });
    await core.replaceNamespacedConfigMap({
      namespace: NS,
      name,
      body: { ...cm, metadata: { ...cm.metadata, resourceVersion: now.metadata?.resourceVersion } },
    });
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) {
      await core.createNamespacedConfigMap({ namespace: NS, body: cm });
      return;
    }
    throw err;
  }
}

export async function templates(app: FastifyInstance): Promise<TemplateView[]> {
  return (await app.inject({ url: '/api/v1/templates', headers: read })).json().items;
}

export async function catalogStatus(app: FastifyInstance): Promise<CatalogStatus> {
  return (await app.inject({ url: '/api/v1/catalog', headers: read })).json();
}

/** Polls until `check` holds and fails unless it did within `ms`: the catalog's promise is 2 s. */
export async function within<T>(ms: number, what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() - start > ms) {
      throw new Error(`${what} did not happen within ${ms} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
