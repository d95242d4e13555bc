import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, TemplateList } from '../../../schemas/index.ts';

/** The catalog as users see it: no image, command or env, which stay on the server. */
const templates: FastifyPluginAsyncTypebox = async (app) => {
  // views and their JSON are made once per catalog change (templateView() picks exactly the fields of TemplateView),
  // so a request costs a cached string and never a Kubernetes call, however many templates the ConfigMaps hold
  app.get('/templates', { schema: { response: { 200: TemplateList, '4xx': ErrorBody } } }, async (_request, reply) => {
    const body = app.catalog.viewsJson();
    return reply.serializer(() => body).send({ items: app.catalog.views() });
  });
};

export default templates;
