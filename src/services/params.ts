import { paramProblems } from '@flowkube/backend-proxy/contract';
import type { FieldError, ParamSchema, ParamsSchema, ParamValues } from '../api/types';

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
 * Checks values with the proxy's own check (the contract's `paramProblems`), so a person sees before submitting
 * exactly what the proxy would refuse. Keyed by param name; messages say the bound, not just "invalid".
 */
export function validateParams(schema: ParamsSchema, values: ParamValues): Record<string, string> {
  const problems = Object.entries(paramProblems(schema, values));
  // The contract's messages continue the field's name ("count must be at least 1"); under a field they stand alone.
  return Object.fromEntries(problems.map(([name, message]) => [name, message[0].toUpperCase() + message.slice(1)]));
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

/**
 * What a field accepts, shown before anything is typed: its range or length and the default an empty field runs
 * with. `From 1 to 1000. Default: 15.`, `Up to 256 characters. Default: Hello.`, `Optional.`
 */
export function paramHint(param: ParamSchema, required: boolean): string {
  const parts: string[] = [];
  const { minimum: min, maximum: max, minLength, maxLength } = param;
  if (param.enum === undefined && (param.type === 'integer' || param.type === 'number')) {
    const kind = param.type === 'integer' ? 'A whole number' : 'A number';
    if (min !== undefined && max !== undefined) {
      parts.push(`${kind} from ${min} to ${max}`);
    } else if (min !== undefined) {
      parts.push(`${kind}, at least ${min}`);
    } else if (max !== undefined) {
      parts.push(`${kind}, at most ${max}`);
    }
  }
  if (param.type === 'string' && param.enum === undefined) {
    if (minLength !== undefined && maxLength !== undefined) {
      parts.push(`${minLength} to ${maxLength} characters`);
    } else if (maxLength !== undefined) {
      parts.push(`Up to ${maxLength} characters`);
    } else if (minLength !== undefined) {
      parts.push(`At least ${minLength} characters`);
    }
  }
  if (param.default !== undefined && param.type !== 'boolean') {
    parts.push(`Default: ${String(param.default)}`);
  } else if (!required && param.type !== 'boolean') {
    parts.push('Optional');
  }
  return parts.map((p) => `${p}.`).join(' ');
}

/**
 * The field errors of a refused request that no input of the form shows next to itself: errors about the request as a
 * whole (`template`, `params`), or about a field the form does not have (a parameter the template dropped since).
 * `placed` names the inputs the form has.
 */
export function unplacedFieldErrors(fieldErrors: Record<string, string>, placed: Iterable<string>): string[] {
  const shown = new Set(placed);
  return Object.entries(fieldErrors)
    .filter(([name]) => !shown.has(name))
    .map(([name, message]) => (name === 'template' || name === 'params' ? message : `${name}: ${message}`));
}
