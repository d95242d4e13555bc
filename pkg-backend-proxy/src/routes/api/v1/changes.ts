import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../../http-error.ts';
import { parseCursor } from '../../../jobs/cursor.ts';
import { requireSynced } from '../../../jobs/require-synced.ts';
import { ChangesQuery, ChangesResponse, ErrorBody } from '../../../schemas/index.ts';

function expired(): HttpError {
  return new HttpError(410, 'cursor_expired', 'this cursor is unknown or too old; list the jobs again (omit `since`)');
}

/**
 * Long-poll for job changes. Without `since` it answers at once with every job and a cursor (a re-list); with a
 * cursor it answers as soon as something changed after it, or after `timeoutSeconds` with nothing.
 */
const changes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/changes',
    { schema: { querystring: ChangesQuery, response: { 200: ChangesResponse, '4xx': ErrorBody, '5xx': ErrorBody } } },
    async (request) => {
      const q = request.query;
      requireSynced(app.cacheState);
      if (q.since === undefined) {
        return { cursor: app.jobs.cursor(), items: app.jobs.all(), removed: [] };
      }
      const since = parseCursor(q.since);
      if (!since) {
        throw expired();
      }
      let result = app.jobs.changesSince(since);
      if (!result.expired && result.items.length === 0 && result.removed.length === 0) {
        const gone = new AbortController();
        const onClose = () => gone.abort();
        request.raw.socket?.once('close', onClose);
        await app.jobs.waitForChange((q.timeoutSeconds ?? 20) * 1000, gone.signal);
        request.raw.socket?.off('close', onClose);
        result = app.jobs.changesSince(since);
      }
      if (result.expired) {
        throw expired();
      }
      return { cursor: result.cursor, items: result.items, removed: result.removed };
    }
  );
};

export default changes;
