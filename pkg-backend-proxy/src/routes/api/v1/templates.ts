import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, TemplateList } from '../../../schemas/index.ts';

/** The catalog as users see it: no image, command or env, which stay on the server. */
const templates: FastifyPluginAsyncTypebox = async (app) => {
  // the views are built once per catalog change, so a request costs a lookup, never a Kubernetes call
  app.get('/templates', { schema: { response: { 200: TemplateList, '4xx': ErrorBody } } }, async () => ({
    items: app.catalog.views(),
  }));
};

export default templates;
