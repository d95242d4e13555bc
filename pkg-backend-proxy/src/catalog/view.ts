import type { TemplateView } from '../schemas/index.ts';
import { defaultPreset, resourcesFor } from './pod-extras.ts';
import type { CatalogTemplate } from './schema.ts';

/**
 * What the API shows of a template: what a person chooses and what the job will get (resources, presets, the node
 * pool), never the image, command, env or volumes, which stay on the server.
 */
export function templateView(t: CatalogTemplate, unavailable?: string): TemplateView {
  const preset = defaultPreset(t);
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    params: t.params,
    timeoutSeconds: t.timeoutSeconds,
    ...(t.maxConcurrent !== undefined ? { maxConcurrent: t.maxConcurrent } : {}),
    resources: resourcesFor(t, {}),
    ...('fromParam' in t.resources && preset !== undefined
      ? { resourcePresets: { param: t.resources.fromParam, presets: t.resources.presets } }
      : {}),
    ...(t.nodeSelector !== undefined ? { nodeSelector: t.nodeSelector } : {}),
    ...(unavailable !== undefined ? { unavailable } : {}),
  };
}
