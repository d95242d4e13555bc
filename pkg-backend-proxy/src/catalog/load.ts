import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import Type from 'typebox';
import { parse } from 'yaml';
import { createAjv, dottedPath } from '../validation/ajv.ts';
import { type Problem, refusals, semanticProblems } from './checks.ts';
import { type Catalog, CatalogTemplate } from './schema.ts';

// verbose gives each error its schema, so a union can say in one line what it accepts
const verboseAjv = createAjv({ coerce: false, useDefaults: false, verbose: true });
const validateTemplate = verboseAjv.compile<CatalogTemplate>(CatalogTemplate);
/** A file or a ConfigMap key holding a list; each item is then checked on its own, so one cannot spoil the rest. */
const TemplateListDoc = Type.Object(
  { templates: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false }
);
const validateList = verboseAjv.compile<{ templates: unknown[] }>(TemplateListDoc);

function structuralProblem(errors: ErrorObject[]): Problem {
  const union = errors.find((e) => e.keyword === 'anyOf');
  if (union) {
    // one form got past the union's own level (resources with a missing limit): that form's error says more
    const deeper = errors.filter((e) => e !== union && e.instancePath.startsWith(`${union.instancePath}/`));
    const branches = new Set(deeper.map((e) => e.schemaPath.slice(union.schemaPath.length).split('/')[1]));
    if (deeper.length > 0 && branches.size === 1) {
      return structuralProblem(deeper);
    }
    const field = dottedPath(union.instancePath);
    const consts = errors.filter((e) => e.keyword === 'const' && e.instancePath === union.instancePath);
    if (consts.length > 0 && Array.isArray(union.schema) && consts.length === union.schema.length) {
      return { field, message: `must be one of ${consts.map((e) => String(e.params.allowedValue)).join(', ')}` };
    }
    const parent: unknown = union.parentSchema;
    const hint =
      typeof parent === 'object' && parent !== null && 'errorMessage' in parent
        ? String(parent.errorMessage)
        : undefined;
    return { field, message: hint ?? 'does not match any allowed form' };
  }
  const err = errors[0]!;
  const at = dottedPath(err.instancePath);
  const join = (name: string) => (at ? `${at}.${name}` : name);
  if (err.keyword === 'additionalProperties') {
    return { field: join(String(err.params.additionalProperty)), message: 'is not an allowed field' };
  }
  if (err.keyword === 'required') {
    return { field: join(String(err.params.missingProperty)), message: 'is required' };
  }
  return { field: at, message: err.message ?? 'is invalid' };
}

export interface CheckedTemplate {
  /** The template's id, or `#<n>` (its place in the list) when it has no usable one. */
  id: string;
  /** Set only when there are no problems. */
  template?: CatalogTemplate;
  problems: Problem[];
}

function idOf(raw: unknown, index: number): string {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' && raw.id !== '') {
    return raw.id.slice(0, 63);
  }
  return `#${index + 1}`;
}

/** One template, on its own: refusals first (a copied Pod spec is named by what it asks), then shape, then meaning. */
export function checkTemplate(raw: unknown, index = 0): CheckedTemplate {
  const id = idOf(raw, index);
  const refused = refusals(raw);
  if (refused.length > 0) {
    return { id, problems: refused };
  }
  if (!validateTemplate(raw)) {
    return { id, problems: [structuralProblem(validateTemplate.errors ?? [])] };
  }
  const problems = semanticProblems(raw);
  return problems.length > 0 ? { id, problems } : { id, template: raw, problems };
}

export type ParsedDocument = { ok: true; items: unknown[]; listed: boolean } | { ok: false; problem: Problem };

/** YAML text → its template items: a `templates:` list (as in the file), or one template. */
export function parseTemplateDocument(text: string): ParsedDocument {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (err) {
    const first = err instanceof Error ? err.message.split('\n')[0] : 'parse error';
    return { ok: false, problem: { field: '', message: `is not valid YAML (${first})` } };
  }
  if (typeof doc === 'object' && doc !== null && 'templates' in doc) {
    if (!validateList(doc)) {
      return { ok: false, problem: structuralProblem(validateList.errors ?? []) };
    }
    return { ok: true, items: doc.templates, listed: true };
  }
  return { ok: true, items: [doc], listed: false };
}

/** `templates[1]` + `env[0].name` + message → one line, as an operator reads it in `kubectl logs`. */
export function describeProblem(at: string, p: Problem): string {
  const where = p.field === '' ? at : at === '' ? p.field : `${at}.${p.field}`;
  return where === '' ? p.message : `${where} ${p.message}`;
}

/**
 * Parses and checks the catalog file, which must be right as a whole: the proxy refuses to start on its first
 * problem, named by file and field. (Templates from ConfigMaps are checked one by one instead: catalog/sources.ts.)
 */
export function parseCatalog(text: string, file: string): Catalog {
  const fail = (why: string): never => {
    throw new Error(`catalog ${file}: ${why}`);
  };
  const doc = parseTemplateDocument(text);
  if (!doc.ok) {
    return fail(describeProblem('', doc.problem));
  }
  if (!doc.listed) {
    return fail('templates is required');
  }
  const templates: CatalogTemplate[] = [];
  const byId = new Map<string, CatalogTemplate>();
  for (const [i, raw] of doc.items.entries()) {
    const at = `templates[${i}]`;
    const checked = checkTemplate(raw, i);
    if (checked.template && byId.has(checked.template.id)) {
      fail(`${at}.id "${checked.id}" is used by another template`);
    }
    if (!checked.template) {
      return fail(describeProblem(at, checked.problems[0]!));
    }
    templates.push(checked.template);
    byId.set(checked.template.id, checked.template);
  }
  return { file, templates, byId };
}

export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
    throw new Error(`catalog ${file}: cannot read the file (${code})`);
  }
  return parseCatalog(text, file);
}
