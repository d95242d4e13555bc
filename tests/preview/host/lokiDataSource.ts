// The preview's Loki data source: Grafana's own DataSourceWithBackend, whose query() POSTs the targets to
// /api/ds/query and turns the answer into frames with toDataQueryResponse, plus the one thing Grafana's Loki data
// source (public/app/plugins/datasource/loki/datasource.ts) does on that path that FlowKube's queries depend on:
// applyTemplateVariables interpolates `expr` through the template service, multi-value variables as a regex
// alternation (interpolateQueryExpr). Not reproduced: its query splitting by time (one request per part: FlowKube
// reads the last answer, which holds all parts) and its frame post-processing (sorting, derived fields).
import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

interface LokiQuery extends DataQuery {
  expr: string;
  maxLines?: number;
  queryType?: 'range' | 'instant';
  direction?: 'backward' | 'forward' | 'scan';
}

// Loki's lokiSpecialRegexEscape: what a value needs inside a LogQL double-quoted regex.
const regexEscape = (value: unknown) =>
  String(value)
    .replace(/\\/g, '\\\\\\\\')
    .replace(/[$^*{}[\]+?.()|]/g, '\\\\$&');

function interpolateQueryExpr(value: unknown, variable: { multi?: boolean; includeAll?: boolean }): string {
  if (!variable.multi && !variable.includeAll) {
    return String(value);
  }
  if (!Array.isArray(value)) {
    return regexEscape(value);
  }
  const escaped = value.map(regexEscape);
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

export class PreviewLokiDataSource extends DataSourceWithBackend<LokiQuery> {
  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
  }

  filterQuery(query: LokiQuery): boolean {
    return !query.hide && Boolean(query.expr);
  }

  applyTemplateVariables(query: LokiQuery, scopedVars: ScopedVars): LokiQuery {
    return { ...query, expr: getTemplateSrv().replace(query.expr, scopedVars, interpolateQueryExpr) };
  }
}
