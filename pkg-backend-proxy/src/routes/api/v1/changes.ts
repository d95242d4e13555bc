import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SINCE_NOW } from '../../../contract/changes.ts';
import { HttpError } from '../../../http-error.ts';
import { parseCursor } from '../../../jobs/cursor.ts';
import { requireSynced } from '../../../jobs/require-synced.ts';
import { ChangesQuery, ChangesResponse, ErrorBody } from '../../../schemas/index.ts';

function expired(): HttpError {
  return new HttpError(410, 'cursor_expired', 'this cursor is unknown or too old; start again with `since=now`');
}

/**
 * Long-poll for job changes. With `since=now` it answers at once with the cursor and revisions alone; without
 * `since`, with every job as well (a re-list); with a cursor, as soon as something changed after it, or after
 * `timeoutSeconds` with nothing. Kubernetes' own split: list what you show, then watch from a resourceVersion.
 */
const changes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/changes',
    { schema: { querystring: ChangesQuery, response: { 200: ChangesResponse, '4xx': ErrorBody, '5xx': ErrorBody } } },
    async (request) => {
      const q = request.query;
      requireSynced(app.cacheState);
      // the Launch page re-reads /templates when this moves (a ConfigMap template added, changed or removed)
      const catalogRevision = () => app.catalog.revision;
      // the Schedules page re-reads /schedules for the ids named here (CronJobs created, changed or deleted)
      const scheduleChanges = () => {
        if (q.schedulesSince === undefined) {
          return { schedulesRevision: app.schedules.position() };
        }
        const { changed, removed } = app.schedules.changedSince(q.schedulesSince);
        return { schedulesRevision: app.schedules.position(), schedulesChanged: [...changed, ...removed] };
      };
      if (q.since === undefined || q.since === SINCE_NOW) {
        // cursor() is where the store is now: a change applied after it is logged above it (job-store.ts record())
        return {
          cursor: app.jobs.cursor(),
          items: q.since === SINCE_NOW ? [] : app.jobs.all(),
          removed: [],
          catalogRevision: catalogRevision(),
          ...scheduleChanges(),
        };
      }
      const since = parseCursor(q.since);
      if (!since) {
        throw expired();
      }
      let result = app.jobs.changesSince(since);
      const catalogMoved = q.catalogRevision !== undefined && q.catalogRevision !== catalogRevision();
      const schedulesMoved = q.schedulesSince !== undefined && q.schedulesSince !== app.schedules.position();
      if (
        !result.expired &&
        result.items.length === 0 &&
        result.removed.length === 0 &&
        !catalogMoved &&
        !schedulesMoved
      ) {
        const gone = new AbortController();
        const onClose = () => gone.abort();
        request.raw.socket?.once('close', onClose);
        const waitMs = (q.timeoutSeconds ?? 20) * 1000;
        await Promise.race([
          app.jobs.waitForChange(waitMs, gone.signal),
          app.catalog.waitForChange(waitMs, gone.signal),
          app.schedules.waitForChange(waitMs, gone.signal),
        ]);
        gone.abort();
        request.raw.socket?.off('close', onClose);
        result = app.jobs.changesSince(since);
      }
      if (result.expired) {
        throw expired();
      }
      return {
        cursor: result.cursor,
        items: result.items,
        removed: result.removed,
        catalogRevision: catalogRevision(),
        ...scheduleChanges(),
      };
    }
  );
};

export default changes;
