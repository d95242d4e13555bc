import type { KubeConfig } from '@kubernetes/client-node';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { AccessLogController } from './access-log.ts';
import { serverOptions, type ServerTimeouts } from './http-server.ts';
import { LiveCatalog } from './catalog/live-catalog.ts';
import type { Catalog } from './catalog/schema.ts';
import type { Config } from './config.ts';
import { DEFAULT_RETRY, type RetryOptions } from './jobs/create-pod.ts';
import { DEFAULT_LAUNCH_DEADLINE_MS } from './jobs/launcher.ts';
import { createMetrics, primeTemplateSeries, type Metrics } from './metrics.ts';
import { type AuditSink, auditPlugin } from './plugins/audit.ts';
import type { WatermarkOptions } from './plugins/audit-watermark.ts';
import { authPlugin } from './plugins/auth.ts';
import { catalogWatchPlugin } from './plugins/catalog-watch.ts';
import { errorsPlugin, notFound } from './plugins/errors.ts';
import type { BackoffOptions } from './kube/backoff.ts';
import { jobCachePlugin } from './plugins/job-cache.ts';
import { kubePlugin } from './plugins/kube.ts';
import { launcherPlugin } from './plugins/launcher.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { retentionPlugin } from './plugins/retention.ts';
import { scheduleCachePlugin } from './plugins/schedule-cache.ts';
import health from './routes/health.ts';
import catalogRoute from './routes/api/v1/catalog.ts';
import changes from './routes/api/v1/changes.ts';
import jobs from './routes/api/v1/jobs.ts';
import schedules from './routes/api/v1/schedules.ts';
import templates from './routes/api/v1/templates.ts';
import { createAjv } from './validation/ajv.ts';
import { parseJsonBody } from './validation/json-body.ts';

declare module 'fastify' {
  interface FastifyInstance {
    catalog: LiveCatalog;
  }
}

export interface AppDeps {
  config: Config;
  /** Loaded by the caller (server.ts from KUBECONFIG or in-cluster; tests from the fake's options). */
  kubeConfig: KubeConfig;
  /** The catalog file's templates; the ConfigMaps' join them live. */
  catalog: Catalog;
  /** Restart delays of the catalog ConfigMap watch and of refused dry runs (tests shorten them). */
  catalogBackoff?: BackoffOptions;
  logger?: FastifyServerOptions['logger'];
  /** A fresh registry per app unless given: tests build many apps in one process. */
  metrics?: Metrics;
  watchBackoff?: BackoffOptions;
  /** How long the Pod watch may be silent before it counts as stale (default: config.watchStaleSeconds). */
  watchStaleMs?: number;
  createRetry?: RetryOptions;
  /** The longest one launch may take (default 20 s). */
  launchDeadlineMs?: number;
  /** How old an unheld launch slot's claim must be before it is taken back (default: 60 s, or more with long deadlines). */
  slotGraceMs?: number;
  retentionIntervalMs?: number;
  /** Where the audit stream's lines go (default stdout; tests capture them). */
  auditSink?: AuditSink;
  /** How often the audit watermark is saved and the margin taken off it at start (tests shorten them). */
  auditWatermark?: Partial<WatermarkOptions>;
  /** How long a client may take to send a request (defaults in http-server.ts; tests shorten them). */
  serverTimeouts?: Partial<ServerTimeouts>;
}

/** Launch bodies are small; anything near this is a mistake or an attack. */
const BODY_LIMIT = 65_536;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...serverOptions(deps.serverTimeouts),
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // the client's header would let anyone forge log correlation ids
    requestIdHeader: false,
    logController: new AccessLogController(),
    return503OnClosing: true,
    // the router's own refusals (malformed URL, a path segment over 100 chars) in the same error shape
    frameworkErrors: (err, _request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const field = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'id' : 'url';
      const message = field === 'id' ? 'is far too long to be a job id' : 'is not a valid URL path';
      reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send({
          error: { code: 'bad_request', message: `${field} ${message}`, details: { fields: [{ field, message }] } },
        });
    },
  });

  // Bodies are never coerced ("5" is not an integer); query strings and path params are text, so they are.
  const bodyAjv = createAjv({ coerce: false, useDefaults: false });
  const textAjv = createAjv({ coerce: true, useDefaults: true });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  // only JSON bodies: text/plain would otherwise reach the schema as a string and read as a 400, not a 415
  app.removeContentTypeParser(['text/plain']);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  app.decorate('catalog', new LiveCatalog(deps.catalog));
  await app.register(metricsPlugin, { metrics: deps.metrics ?? createMetrics() });
  primeTemplateSeries(
    app.metrics,
    deps.catalog.templates.map((t) => t.id)
  );
  await app.register(errorsPlugin);
  await app.register(kubePlugin, {
    kubeConfig: deps.kubeConfig,
    namespace: deps.config.namespace,
    timeoutMs: deps.config.kubeTimeoutMs,
  });
  await app.register(jobCachePlugin, {
    backoff: deps.watchBackoff ?? { initialMs: 500, maxMs: 30_000 },
    staleMs: deps.watchStaleMs ?? deps.config.watchStaleSeconds * 1000,
  });
  await app.register(auditPlugin, { sink: deps.auditSink, watermark: deps.auditWatermark });
  await app.register(launcherPlugin, {
    maxActive: deps.config.maxActive,
    retry: deps.createRetry ?? DEFAULT_RETRY,
    deadlineMs: deps.launchDeadlineMs ?? DEFAULT_LAUNCH_DEADLINE_MS,
    // a claim's Pod shows up within the launch deadline plus one create still in flight; twice that, a minute at least
    slotGraceMs:
      deps.slotGraceMs ??
      Math.max(60_000, 2 * ((deps.launchDeadlineMs ?? DEFAULT_LAUNCH_DEADLINE_MS) + deps.config.kubeTimeoutMs)),
  });
  await app.register(scheduleCachePlugin, { backoff: deps.watchBackoff ?? { initialMs: 500, maxMs: 30_000 } });
  const catalogBackoff = deps.catalogBackoff ?? { initialMs: 500, maxMs: 30_000 };
  await app.register(catalogWatchPlugin, { backoff: catalogBackoff, checkBackoff: catalogBackoff });
  await app.register(retentionPlugin, {
    retentionSeconds: deps.config.retentionSeconds,
    intervalMs: deps.retentionIntervalMs ?? Math.min(60_000, (deps.config.retentionSeconds * 1000) / 10),
  });

  await app.register(health);
  await app.register(
    async (api) => {
      await api.register(authPlugin, { readToken: deps.config.readToken, launchToken: deps.config.launchToken });
      // unknown /api/v1 paths answer after auth: without a token they are 401, so the route table cannot be probed
      api.setNotFoundHandler(notFound);
      await api.register(templates);
      await api.register(catalogRoute);
      await api.register(jobs, {
        logStreams: { max: deps.config.maxLogStreams, perUser: deps.config.maxLogStreamsPerUser },
      });
      await api.register(schedules, {
        maxSchedules: deps.config.maxSchedules,
        retentionSeconds: deps.config.retentionSeconds,
      });
      await api.register(changes);
    },
    { prefix: '/api/v1' }
  );
  return app;
}
