import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogStatus, ErrorBody } from '../../../schemas/index.ts';

/** Every source of templates and every template's problems (read token): what an Admin fixes, and where. */
const catalog: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/catalog', { schema: { response: { 200: CatalogStatus, '4xx': ErrorBody } } }, async () =>
    app.catalog.report()
  );
};

export default catalog;
