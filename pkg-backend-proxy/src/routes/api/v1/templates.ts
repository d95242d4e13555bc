import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendCachedJson } from '../../../cached-json.ts';
import { ErrorBody, TemplateList } from '../../../schemas/index.ts';

/** The catalog as users see it: no image, command or env, which stay on the server. */
const templates: FastifyPluginAsyncTypebox = async (app) => {
  // views, their JSON and its gzip are made once per catalog change (templateView() picks exactly the fields of
  // TemplateView, the schema declared here), so a request costs a cached Buffer and never a Kubernetes call. A
  // 200-template answer is about 200 KB of JSON but 10 KB gzipped, and a browser that holds it gets a 304.
  app.get('/templates', { schema: { response: { 200: TemplateList, '4xx': ErrorBody } } }, async (request, reply) =>
    sendCachedJson(request, reply, app.catalog.viewsBody())
  );
};

export default templates;
