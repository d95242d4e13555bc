import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { parse } from 'yaml';
import type { ParamSchema } from '../schemas/index.ts';
import { createAjv, dottedPath } from '../validation/ajv.ts';
import { parseQuantity } from './quantity.ts';
import { type Catalog, CatalogFile, type CatalogTemplate } from './schema.ts';

/** Set by the proxy for every worker; a template may not redefine them. */
export const RESERVED_ENV = new Set(['JOB_TYPE', 'POD_NAME']);

const ajv = createAjv({ coerce: false, useDefaults: false });
// verbose gives each error its schema, so a union can say in one line what it accepts
const validateFile = createAjv({ coerce: false, useDefaults: false, verbose: true }).compile(CatalogFile);

function structuralError(errors: ErrorObject[]): string {
  const union = errors.find((e) => e.keyword === 'anyOf');
  if (union) {
    const at = dottedPath(union.instancePath);
    const consts = errors.filter((e) => e.keyword === 'const' && e.instancePath === union.instancePath);
    if (consts.length > 0 && consts.length === (union.schema as unknown[]).length) {
      return `${at} must be one of ${consts.map((e) => String(e.params.allowedValue)).join(', ')}`;
    }
    const hint = (union.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
    return `${at} ${hint ?? 'does not match any allowed form'}`;
  }
  const err = errors[0]!;
  const at = dottedPath(err.instancePath);
  if (err.keyword === 'additionalProperties') {
    return `${at ? `${at}.` : ''}${String(err.params.additionalProperty)} is not an allowed field`;
  }
  if (err.keyword === 'required') {
    return `${at ? `${at}.` : ''}${String(err.params.missingProperty)} is required`;
  }
  return `${at || '(top level)'} ${err.message}`;
}

function checkParam(at: string, name: string, p: ParamSchema): string | undefined {
  const where = `${at}.params.properties.${name}`;
  if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
    return `${where}.minimum must not exceed maximum`;
  }
  if (p.minLength !== undefined && p.maxLength !== undefined && p.minLength > p.maxLength) {
    return `${where}.minLength must not exceed maxLength`;
  }
  if (p.pattern !== undefined) {
    try {
      new RegExp(p.pattern, 'u');
    } catch {
      return `${where}.pattern is not a valid regular expression`;
    }
  }
  const check = ajv.compile(p);
  for (const [i, value] of (p.enum ?? []).entries()) {
    if (!check(value)) {
      return `${where}.enum[${i}] ${check.errors?.[0]?.message ?? 'is invalid'} (it must fit the parameter's own schema)`;
    }
  }
  if (p.default !== undefined && !check(p.default)) {
    return `${where}.default ${check.errors?.[0]?.message ?? 'is invalid'} (it must fit the parameter's own schema)`;
  }
  return undefined;
}

/** Checks the file's shape cannot express: references between fields, quantities, defaults. */
function semanticError(t: CatalogTemplate, at: string): string | undefined {
  const declared = new Set(Object.keys(t.params.properties));
  for (const [name, p] of Object.entries(t.params.properties)) {
    const problem = checkParam(at, name, p);
    if (problem) {
      return problem;
    }
  }
  for (const [i, name] of (t.params.required ?? []).entries()) {
    if (!declared.has(name)) {
      return `${at}.params.required[${i}] names "${name}", which is not in params.properties`;
    }
  }
  const used = new Set<string>();
  const envNames = new Set<string>();
  for (const [i, item] of (t.env ?? []).entries()) {
    if (RESERVED_ENV.has(item.name)) {
      return `${at}.env[${i}].name ${item.name} is set by the proxy itself and cannot be redefined`;
    }
    if (envNames.has(item.name)) {
      return `${at}.env[${i}].name ${item.name} is defined twice`;
    }
    envNames.add(item.name);
    if ('fromParam' in item) {
      if (!declared.has(item.fromParam)) {
        return `${at}.env[${i}].fromParam refers to "${item.fromParam}", which is not in params.properties`;
      }
      used.add(item.fromParam);
    }
  }
  for (const [i, item] of (t.args ?? []).entries()) {
    if (typeof item !== 'string') {
      if (!declared.has(item.fromParam)) {
        return `${at}.args[${i}].fromParam refers to "${item.fromParam}", which is not in params.properties`;
      }
      used.add(item.fromParam);
    }
  }
  for (const name of declared) {
    if (!used.has(name)) {
      return `${at}.params.properties.${name} is not passed to the container (no env or args item has fromParam: ${name})`;
    }
  }
  for (const kind of ['requests', 'limits'] as const) {
    for (const res of ['cpu', 'memory'] as const) {
      if (parseQuantity(t.resources[kind][res]) === undefined) {
        return `${at}.resources.${kind}.${res} "${t.resources[kind][res]}" is not a Kubernetes quantity`;
      }
    }
  }
  for (const res of ['cpu', 'memory'] as const) {
    if (parseQuantity(t.resources.requests[res])! > parseQuantity(t.resources.limits[res])!) {
      return `${at}.resources.requests.${res} must not exceed resources.limits.${res}`;
    }
  }
  return undefined;
}

/** Parses and checks catalog text; `file` only names the source in error messages. */
export function parseCatalog(text: string, file: string): Catalog {
  const fail = (why: string): never => {
    throw new Error(`catalog ${file}: ${why}`);
  };
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (err) {
    return fail(`not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (!validateFile(doc)) {
    return fail(structuralError(validateFile.errors ?? []));
  }
  const parsed = doc as CatalogFile;
  const byId = new Map<string, CatalogTemplate>();
  for (const [i, t] of parsed.templates.entries()) {
    const at = `templates[${i}]`;
    if (byId.has(t.id)) {
      fail(`${at}.id "${t.id}" is used by another template`);
    }
    const problem = semanticError(t, at);
    if (problem) {
      fail(problem);
    }
    byId.set(t.id, t);
  }
  return { file, templates: parsed.templates, byId };
}

export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`catalog ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCatalog(text, file);
}
