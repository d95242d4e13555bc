import type { FastifyPluginAsync } from 'fastify';
import { ErrorBody, TemplateList } from '../../../schemas/index.ts';

/** The catalog as users see it: no image, command or env, which stay on the server. */
const templates: FastifyPluginAsync = async (app) => {
  const items = app.catalog.templates.map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    params: t.params,
    timeoutSeconds: t.timeoutSeconds,
    ...(t.maxConcurrent !== undefined ? { maxConcurrent: t.maxConcurrent } : {}),
    resources: t.resources,
  }));

  app.get('/templates', { schema: { response: { 200: TemplateList, '4xx': ErrorBody } } }, async () => ({ items }));
};

export default templates;
