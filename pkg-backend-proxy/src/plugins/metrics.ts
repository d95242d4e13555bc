import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { type Metrics, processMetrics } from '../metrics.ts';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/**
 * Serves /metrics (no auth: Prometheus scrapes it inside the cluster): the app's metrics and the process's. Times
 * every request by route pattern.
 */
async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }): Promise<void> {
  const metrics = opts.metrics;
  const ofProcess = processMetrics();
  app.decorate('metrics', metrics);
  // nothing of a closed app stays registered (a test worker builds hundreds of apps; production builds one)
  app.addHook('onClose', async () => metrics.registry.clear());

  app.addHook('onResponse', async (request, reply) => {
    // the pattern, not the URL: one series per route, not one per job id
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000
    );
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    // merged per scrape: plugins (the catalog watch) register metrics of their own after this one
    const both = Registry.merge([ofProcess, metrics.registry]);
    reply.type(both.contentType);
    return both.metrics();
  });
}

export const metricsPlugin = fp(metricsRoutes, { name: 'flowkube-metrics' });
