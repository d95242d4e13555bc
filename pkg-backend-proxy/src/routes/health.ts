import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../http-error.ts';
import { ErrorBody } from '../schemas/index.ts';

const Status = Type.Object({ status: Type.String() });

/** Liveness: the process serves. Readiness: the job cache is synced and its watch is healthy. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { logLevel: 'warn', schema: { response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn', schema: { response: { 200: Status, 503: ErrorBody } } }, async () => {
    if (!app.cacheState.ready) {
      const { synced, aliveAt, staleMs } = app.cacheState;
      const silentMs = Date.now() - aliveAt;
      const why = !synced
        ? 'the job cache has not synced yet'
        : silentMs > staleMs
          ? `the Kubernetes API has not answered the Pod watch for ${Math.round(silentMs / 1000)} s; the job cache may be stale`
          : 'the Pod watch is restarting; the job cache may be stale';
      throw new HttpError(503, 'not_ready', why);
    }
    return { status: 'ready' };
  });
};

export default health;
