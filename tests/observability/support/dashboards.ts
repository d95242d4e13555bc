// Reads the committed dashboards and pulls out what the checks need: their queries by data source type,
// the variables they define and the ones they use, and a way to substitute values the way Grafana does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const DASHBOARD_FILES = ['overview.json', 'logs.json', 'audit.json'];

// Parsed YAML/JSON whose shape the tests assert as they read it; a missing key fails the assertion that uses it.
export type Json = any;

export function loadDashboard(dir: string, file: string): Json {
  return JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8'));
}

export interface PanelQuery {
  /** "<dashboard uid> / <panel title> / <refId>" or "<uid> / variable <name>", for failure messages. */
  where: string;
  panelId?: number;
  type: 'prometheus' | 'loki';
  expr: string;
}

function panelsOf(dashboard: Json): Json[] {
  return (dashboard.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])]);
}

function datasourceTypeOf(dashboard: Json): 'prometheus' | 'loki' {
  const variable = dashboard.templating.list.find((v: Json) => v.type === 'datasource');
  return variable.query;
}

/** Every query the dashboard runs: panel targets and query variables. */
export function queriesOf(dashboard: Json): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      out.push({
        where: `${dashboard.uid} / ${panel.title} / ${target.refId}`,
        panelId: panel.id,
        type: target.datasource?.type ?? panel.datasource?.type,
        expr: target.expr,
      });
    }
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') {
      continue;
    }
    const type = variable.datasource?.type ?? datasourceTypeOf(dashboard);
    const q = variable.query;
    // Variable queries are label_values(...) calls of the Grafana data source plugins, not PromQL/LogQL;
    // what reaches the database is the series selector inside them.
    const selector =
      typeof q === 'string'
        ? /label_values\((.*),\s*\w+\)$/.exec(q)?.[1]
        : (q.stream ?? /label_values\((.*),\s*\w+\)$/.exec(q.query ?? '')?.[1]);
    if (selector) {
      out.push({ where: `${dashboard.uid} / variable ${variable.name}`, type, expr: selector });
    }
  }
  return out;
}

const REFERENCE = /\$\{([A-Za-z_]\w*)(?:[.:][^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g;

/** Names of the variables a string refers to ($name, ${name}, ${name:fmt}, ${name.field}, [[name]]). */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Replaces variable references with the given values (unknown names are left alone, so a check can notice them). */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(REFERENCE, (whole, a, b, c) => values[a ?? b ?? c] ?? whole);
}

/** Every string of the dashboard where Grafana interpolates variables: queries, titles, descriptions, links. */
export function interpolatedStrings(dashboard: Json): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [{ where: 'dashboard title', text: dashboard.title }];
  for (const link of dashboard.links ?? []) {
    out.push({ where: `link ${link.title}`, text: `${link.title} ${link.url ?? ''}` });
  }
  for (const panel of panelsOf(dashboard)) {
    out.push({ where: `panel ${panel.title}`, text: `${panel.title} ${panel.description ?? ''}` });
    for (const target of panel.targets ?? []) {
      out.push({
        where: `panel ${panel.title} target ${target.refId}`,
        text: `${target.expr} ${target.legendFormat ?? ''}`,
      });
    }
  }
  return out;
}

/** Every `datasource` object anywhere in the dashboard, with its path. */
export function datasourceRefs(node: Json, path = '$'): Array<{ path: string; uid: unknown }> {
  if (Array.isArray(node)) {
    return node.flatMap((n, i) => datasourceRefs(n, `${path}[${i}]`));
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) =>
      k === 'datasource' && v && typeof v === 'object' && !Array.isArray(v)
        ? [{ path: `${path}.${k}`, uid: (v as Json).uid }, ...datasourceRefs(v, `${path}.${k}`)]
        : datasourceRefs(v, `${path}.${k}`)
    );
  }
  return [];
}
