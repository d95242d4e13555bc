import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../schemas/index.ts';

// ajv-formats is CommonJS: under nodenext its callable is the default export's default.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/**
 * One way to build ajv for the whole proxy. Bodies and files are never coerced ("5" stays a string
 * and fails an integer), only query strings and path params are, because there everything is text.
 */
export function createAjv(options: {
  coerce: boolean;
  useDefaults?: boolean;
  allErrors?: boolean;
  verbose?: boolean;
}): Ajv {
  const ajv = new Ajv({
    coerceTypes: options.coerce,
    useDefaults: options.useDefaults ?? options.coerce,
    removeAdditional: false,
    allErrors: options.allErrors ?? false,
    strict: false,
    verbose: options.verbose ?? false,
  });
  addFormats(ajv);
  return ajv;
}

/** `/templates/1/params` → `templates[1].params`, prefixed with `root` when given. */
export function dottedPath(instancePath: string, root = ''): string {
  const parts = instancePath.split('/').slice(1);
  let path = root;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) {
      path += `[${part}]`;
    } else {
      path += path === '' ? part : `.${part}`;
    }
  }
  return path;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Turns ajv errors into field errors that name the exact field, never a schema path. */
export function fieldErrors(errors: ErrorObject[] | null | undefined, root = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const err of errors ?? []) {
    let field = dottedPath(err.instancePath, root);
    let message = err.message ?? 'is invalid';
    if (err.keyword === 'additionalProperties') {
      field = join(field, String(err.params.additionalProperty));
      message = 'is not an allowed field';
    } else if (err.keyword === 'required') {
      field = join(field, String(err.params.missingProperty));
      message = 'is required';
    } else if (err.keyword === 'enum') {
      message = `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${field}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field: field === '' ? root || 'body' : field, message });
    }
  }
  return out;
}

export function describeFields(fields: FieldError[]): string {
  return fields.map((f) => `${f.field} ${f.message}`).join('; ');
}
