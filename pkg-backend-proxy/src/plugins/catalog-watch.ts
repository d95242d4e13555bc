import { hostname } from 'node:os';
import { type KubernetesListObject, type V1ConfigMap, type V1Pod, Watch } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { ClusterCheck } from '../catalog/cluster-check.ts';
import { templatesFromConfigMap } from '../catalog/configmap-source.ts';
import type { LiveCatalog } from '../catalog/live-catalog.ts';
import type { BackoffOptions } from '../kube/backoff.ts';
import { describeKubeError, errorChain } from '../kube/errors.ts';
import { InformerLoop } from '../kube/informer-loop.ts';
import { CATALOG_SELECTOR } from '../labels.ts';
import { primeTemplateSeries } from '../metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    clusterCheck: ClusterCheck;
  }
}

export interface CatalogWatchOptions {
  /** Restart delays of the ConfigMap watch after an error. */
  backoff: BackoffOptions;
  /** Delays of a dry run the API answered with 429, 5xx or not at all. */
  checkBackoff: BackoffOptions;
}

/** Longer Event messages are cut: the API server refuses notes over 1 kB in events.k8s.io/v1 (validation/events.go). */
const EVENT_MESSAGE_LIMIT = 1024;
/** Events per ConfigMap change: a ConfigMap of 500 broken templates gets 10 and a summary, not 500. */
const EVENTS_PER_CHANGE = 10;

interface ObjectRef {
  uid?: string;
  resourceVersion?: string;
}

/** `template "x" (key.yaml): field message`, the line shown in GET /api/v1/catalog and in the ConfigMap's Event. */
function problemLines(catalog: LiveCatalog): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of catalog.report().sources) {
    if (source.kind !== 'configmap') {
      continue;
    }
    out.set(
      source.name,
      source.templates.flatMap((t) =>
        t.problems.map(
          (p) => `template "${t.id}"${t.key ? ` (${t.key})` : ''}: ${p.field ? `${p.field} ` : ''}${p.message}`
        )
      )
    );
  }
  return out;
}

/**
 * Templates from ConfigMaps labelled flowkube.io/catalog=true in FLOWKUBE_NAMESPACE, live: a label-selected
 * informer (an InformerLoop, restarted with backoff), every change merged into the
 * catalog at once, each broken template reported by an Event on its ConfigMap and in flowkube_catalog_templates.
 * Secrets are never read: the proxy lists ConfigMaps only, and workers read their Secrets through the Pod spec.
 */
async function catalogWatch(app: FastifyInstance, opts: CatalogWatchOptions): Promise<void> {
  const { kube, catalog, metrics } = app;
  const namespace = kube.namespace;
  const refs = new Map<string, ObjectRef>();

  const gauge = new Gauge({
    name: 'flowkube_catalog_templates',
    help: 'Catalog templates by source (file, or configmap/<name>) and whether they can be launched.',
    labelNames: ['source', 'ok'],
    registers: [metrics.registry],
  });
  const known = new Set<string>();
  const updateMetrics = () => {
    gauge.reset();
    for (const s of catalog.report().sources) {
      const source = s.kind === 'file' ? 'file' : `configmap/${s.name}`;
      const ok = s.templates.filter((t) => t.ok).length;
      gauge.set({ source, ok: 'true' }, ok);
      gauge.set({ source, ok: 'false' }, s.templates.length - ok);
    }
    const fresh = catalog.templates.map((t) => t.id).filter((id) => !known.has(id));
    fresh.forEach((id) => known.add(id));
    primeTemplateSeries(metrics, fresh);
  };

  // --- Events: one per new problem line, a bounded few per change, sent one at a time
  const emitted = new Map<string, Set<string>>();
  const outbox: Array<{ configMap: string; message: string }> = [];
  let sending = false;
  let closing = false;
  let seq = 0;
  const reporter = hostname();
  const send = async () => {
    if (sending) {
      return;
    }
    sending = true;
    while (outbox.length > 0 && !closing) {
      const { configMap, message } = outbox.shift()!;
      const ref = refs.get(configMap) ?? {};
      const now = new Date();
      try {
        await kube.call('create', (core) =>
          core.createNamespacedEvent({
            namespace,
            body: {
              // named as client-go's recorder names them: <object>.<hex time>, here made unique by a counter
              metadata: { name: `${configMap}.${now.getTime().toString(16)}${(seq++).toString(16)}`, namespace },
              involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: configMap, namespace, ...ref },
              reason: 'InvalidTemplate',
              type: 'Warning',
              message: message.slice(0, EVENT_MESSAGE_LIMIT),
              source: { component: 'flowkube-proxy' },
              reportingComponent: 'flowkube.io/proxy',
              reportingInstance: reporter,
              firstTimestamp: now,
              lastTimestamp: now,
              count: 1,
            },
          })
        );
      } catch (err) {
        const f = describeKubeError(err);
        app.log.warn(
          { status: f.status, configMap },
          `could not record a catalog Event: ${f.message ?? errorChain(err)}`
        );
      }
    }
    sending = false;
  };
  const recordEvents = () => {
    const lines = problemLines(catalog);
    for (const name of emitted.keys()) {
      if (!lines.has(name)) {
        emitted.delete(name);
      }
    }
    for (const [name, list] of lines) {
      const before = emitted.get(name) ?? new Set<string>();
      const fresh = list.filter((l) => !before.has(l));
      emitted.set(name, new Set(list));
      for (const message of fresh.slice(0, EVENTS_PER_CHANGE)) {
        outbox.push({ configMap: name, message });
      }
      if (fresh.length > EVENTS_PER_CHANGE) {
        outbox.push({
          configMap: name,
          message: `${fresh.length - EVENTS_PER_CHANGE} more template problems; see GET /api/v1/catalog`,
        });
      }
    }
    void send();
  };

  catalog.onChange(() => {
    updateMetrics();
    recordEvents();
  });
  updateMetrics();

  // --- the cluster check: one dry run per template change
  const check = new ClusterCheck({
    catalog,
    namespace,
    log: app.log,
    backoff: opts.checkBackoff,
    dryRun: (pod: V1Pod) =>
      kube.call('create', (core) => core.createNamespacedPod({ namespace, body: pod, dryRun: 'All' })),
  });
  app.decorate('clusterCheck', check);

  // --- the informer
  const listFn = async (): Promise<KubernetesListObject<V1ConfigMap>> => {
    // the informer's selector covers only the watch; the list must apply it too
    const list = await kube.call('list', (core) =>
      core.listNamespacedConfigMap({ namespace, labelSelector: CATALOG_SELECTOR })
    );
    return { metadata: { resourceVersion: list.metadata?.resourceVersion }, items: list.items };
  };
  const loop = new InformerLoop<V1ConfigMap>({
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    watch: new Watch(kube.config),
    list: listFn,
    labelSelector: CATALOG_SELECTOR,
    backoff: opts.backoff,
    log: app.log,
    what: 'catalog ConfigMap watch',
    resource: 'configmaps',
    namespace,
    onStarted: () => {
      catalog.markSynced();
      check.sync();
    },
  });
  const put = (cm: V1ConfigMap) => {
    const name = cm.metadata?.name ?? '';
    refs.set(name, { uid: cm.metadata?.uid, resourceVersion: cm.metadata?.resourceVersion });
    catalog.setConfigMap(name, templatesFromConfigMap(cm));
  };
  loop.informer.on('add', put);
  loop.informer.on('update', put);
  loop.informer.on('delete', (cm) => {
    const name = cm.metadata?.name ?? '';
    refs.delete(name);
    catalog.removeConfigMap(name);
  });

  app.addHook('onReady', async () => {
    // the file's templates are checked at once; the ConfigMaps' as they arrive
    check.sync();
    loop.run();
  });
  app.addHook('onClose', async () => {
    closing = true;
    check.close();
    await loop.close();
  });
}

export const catalogWatchPlugin = fp(catalogWatch, {
  name: 'flowkube-catalog-watch',
  dependencies: ['flowkube-kube', 'flowkube-metrics'],
});
