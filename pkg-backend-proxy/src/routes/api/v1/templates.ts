import type { FastifyPluginAsync } from 'fastify';
import { templateView } from '../../../catalog/view.ts';
import { ErrorBody, TemplateList } from '../../../schemas/index.ts';

/** The catalog as users see it: no image, command or env, which stay on the server. */
const templates: FastifyPluginAsync = async (app) => {
  const items = app.catalog.templates.map((t) => templateView(t));

  app.get('/templates', { schema: { response: { 200: TemplateList, '4xx': ErrorBody } } }, async () => ({ items }));
};

export default templates;
