import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.ts';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** Serves /metrics (no auth: Prometheus scrapes it inside the cluster) and times every request by route pattern. */
async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }): Promise<void> {
  const metrics = opts.metrics;
  app.decorate('metrics', metrics);

  app.addHook('onResponse', async (request, reply) => {
    // the pattern, not the URL: one series per route, not one per job id
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000
    );
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

export const metricsPlugin = fp(metricsRoutes, { name: 'flowkube-metrics' });
