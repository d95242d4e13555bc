import type { FieldError, ParamSchema, ParamsSchema, ParamValues } from '../../api/types';

type ParamValue = ParamValues[string];

/** The values a fresh form starts from: each default, and `false` for a switch without one (a switch is never empty). */
export function defaultValues(schema: ParamsSchema): ParamValues {
  const values: ParamValues = {};
  for (const [name, param] of Object.entries(schema.properties)) {
    if (param.default !== undefined) {
      values[name] = param.default;
    } else if (param.type === 'boolean') {
      values[name] = false;
    }
  }
  return values;
}

/**
 * Checks values the way the proxy does, so a person sees the problem before submitting.
 * Messages say the bound, because "invalid" alone does not tell what to type instead.
 */
export function validateParams(schema: ParamsSchema, values: ParamValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, param] of Object.entries(schema.properties)) {
    const value = values[name];
    if (value === undefined || value === '') {
      if (required.has(name)) {
        errors[name] = 'Required';
      }
      continue;
    }
    const message = validateValue(param, value);
    if (message) {
      errors[name] = message;
    }
  }
  for (const name of Object.keys(values)) {
    if (!(name in schema.properties)) {
      errors[name] = 'Unknown parameter: this template does not take it';
    }
  }
  return errors;
}

function validateValue(param: ParamSchema, value: ParamValue): string | undefined {
  switch (param.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Must be true or false';
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return 'Must be a number';
      }
      if (param.type === 'integer' && !Number.isInteger(value)) {
        return 'Must be a whole number';
      }
      return checkEnum(param, value) ?? checkBounds(param, value);
    case 'string':
      if (typeof value !== 'string') {
        return 'Must be text';
      }
      return checkEnum(param, value) ?? checkLength(param, value) ?? checkPattern(param, value);
  }
}

function checkEnum(param: ParamSchema, value: string | number): string | undefined {
  if (param.enum && !param.enum.includes(value)) {
    return `Must be one of: ${param.enum.join(', ')}`;
  }
  return undefined;
}

function checkBounds(param: ParamSchema, value: number): string | undefined {
  if (param.minimum !== undefined && value < param.minimum) {
    return `Must be at least ${param.minimum}`;
  }
  if (param.maximum !== undefined && value > param.maximum) {
    return `Must be at most ${param.maximum}`;
  }
  return undefined;
}

function checkLength(param: ParamSchema, value: string): string | undefined {
  // JSON Schema counts code points, not UTF-16 units.
  const length = [...value].length;
  if (param.minLength !== undefined && length < param.minLength) {
    return `Must be at least ${param.minLength} ${plural(param.minLength, 'character')}`;
  }
  if (param.maxLength !== undefined && length > param.maxLength) {
    return `Must be at most ${param.maxLength} ${plural(param.maxLength, 'character')}`;
  }
  return undefined;
}

function checkPattern(param: ParamSchema, value: string): string | undefined {
  if (param.pattern === undefined) {
    return undefined;
  }
  let re: RegExp;
  try {
    re = new RegExp(param.pattern, 'u');
  } catch {
    // The proxy validated the catalog; a pattern this browser cannot compile is left to the proxy to check.
    return undefined;
  }
  return re.test(value) ? undefined : `Must match the pattern ${param.pattern}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * Maps the proxy's dotted field paths onto form field names: `params.x` → `x`, anything else
 * (`template`, `params`) stays as it is so the caller can show it above the form.
 */
export function fieldErrorsFromApi(fields: FieldError[]): Record<string, string> {
  const messages = new Map<string, Set<string>>();
  for (const { field, message } of fields) {
    const key = field.startsWith('params.') ? field.slice('params.'.length) : field;
    messages.set(key, (messages.get(key) ?? new Set()).add(message));
  }
  return Object.fromEntries([...messages].map(([key, set]) => [key, [...set].join('; ')]));
}
