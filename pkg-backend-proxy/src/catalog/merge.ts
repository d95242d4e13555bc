import type { Problem } from './checks.ts';
import type { SourceTemplate } from './configmap-source.ts';
import type { Catalog, CatalogTemplate } from './schema.ts';

export interface TemplateReport {
  id: string;
  /** The ConfigMap data key it came from. */
  key?: string;
  ok: boolean;
  problems: Problem[];
}

export interface SourceReport {
  kind: 'file' | 'configmap';
  name: string;
  templates: TemplateReport[];
}

export interface ConfigMapSource {
  name: string;
  templates: SourceTemplate[];
}

export interface Merged {
  /** Every template that loaded, file first; those the cluster refused are still here (shown, not launchable). */
  templates: CatalogTemplate[];
  byId: Map<string, CatalogTemplate>;
  sources: SourceReport[];
}

/**
 * The file and the ConfigMaps → one catalog. Ids are unique across sources: the file wins, then ConfigMaps in name
 * order; a later template with a known id is reported as a duplicate and left out. `refused` gives the cluster
 * check's verdict on a template.
 */
export function mergeSources(
  file: Catalog,
  configMaps: ConfigMapSource[],
  refused: (t: CatalogTemplate) => Problem | undefined = () => undefined
): Merged {
  const templates: CatalogTemplate[] = [];
  const byId = new Map<string, CatalogTemplate>();
  const origin = new Map<string, string>();
  const verdict = (t: CatalogTemplate): TemplateReport => {
    const problem = refused(t);
    return { id: t.id, ok: problem === undefined, problems: problem ? [problem] : [] };
  };
  const fileReport: SourceReport = { kind: 'file', name: file.file, templates: [] };
  for (const t of file.templates) {
    templates.push(t);
    byId.set(t.id, t);
    origin.set(t.id, `the catalog file ${file.file}`);
    fileReport.templates.push(verdict(t));
  }
  const sources = [fileReport];
  for (const cm of [...configMaps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const report: SourceReport = { kind: 'configmap', name: cm.name, templates: [] };
    for (const entry of cm.templates) {
      const t = entry.template;
      if (!t) {
        report.templates.push({ id: entry.id, key: entry.key, ok: false, problems: entry.problems });
        continue;
      }
      const owner = origin.get(t.id);
      if (owner !== undefined) {
        report.templates.push({
          id: t.id,
          key: entry.key,
          ok: false,
          problems: [{ field: 'id', message: `"${t.id}" is already defined by ${owner}; ids must be unique` }],
        });
        continue;
      }
      templates.push(t);
      byId.set(t.id, t);
      origin.set(t.id, `ConfigMap ${cm.name}`);
      report.templates.push({ ...verdict(t), key: entry.key });
    }
    sources.push(report);
  }
  return { templates, byId, sources };
}
