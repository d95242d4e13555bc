import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.ts';
import { ErrorBody } from '../schemas/index.ts';

const Status = Type.Object({ status: Type.String() });

/** Liveness: the process serves. Readiness: the job cache is synced and its watch is healthy. */
const health: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { logLevel: 'warn', schema: { response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn', schema: { response: { 200: Status, 503: ErrorBody } } }, async () => {
    if (!app.cacheState.ready) {
      const why = app.cacheState.synced
        ? 'the Pod watch is restarting; the job cache may be stale'
        : 'the job cache has not synced yet';
      throw new HttpError(503, 'not_ready', why);
    }
    return { status: 'ready' };
  });
};

export default health;
