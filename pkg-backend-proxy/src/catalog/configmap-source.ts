import type { Problem } from './checks.ts';
import { checkTemplate, parseTemplateDocument } from './load.ts';
import type { CatalogTemplate } from './schema.ts';

/** One template of a ConfigMap, checked on its own: a broken one never spoils the others. */
export interface SourceTemplate {
  id: string;
  /** The data key it came from. */
  key: string;
  template?: CatalogTemplate;
  problems: Problem[];
}

export interface ConfigMapLike {
  data?: Record<string, string>;
}

/**
 * Every `.yaml` data key holds one template or a `templates:` list, in the file's format. Keys are read in order
 * (as `kubectl get -o yaml` shows them), so what is reported first is stable.
 */
export function templatesFromConfigMap(cm: ConfigMapLike): SourceTemplate[] {
  const out: SourceTemplate[] = [];
  for (const key of Object.keys(cm.data ?? {}).sort()) {
    if (!key.endsWith('.yaml')) {
      continue;
    }
    const doc = parseTemplateDocument(cm.data![key]!);
    if (!doc.ok) {
      const field = doc.problem.field === '' ? `data.${key}` : `data.${key}.${doc.problem.field}`;
      out.push({ id: key, key, problems: [{ field, message: doc.problem.message }] });
      continue;
    }
    for (const [i, raw] of doc.items.entries()) {
      const checked = checkTemplate(raw, i);
      const id = doc.listed || checked.id !== '#1' ? checked.id : key;
      out.push({ id, key, ...(checked.template ? { template: checked.template } : {}), problems: checked.problems });
    }
  }
  return out;
}
