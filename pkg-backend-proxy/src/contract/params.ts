import type { ParamSchema, ParamsSchema, ParamValue, ParamValues } from './types.ts';

// The one parameter check: the proxy runs it on every launch and the plugin's forms run it as the person types,
// so the form never accepts what the proxy refuses, nor the other way round. It implements the JSON Schema
// keywords a template may use (schemas/template.ts) with the meaning ajv gives them, and stays free of ajv and
// TypeBox so that it can run in the browser. Messages complete a sentence that starts with the field's name.

/** The values a launch runs with: the given ones, plus the default of each parameter not given. */
export function withDefaults(schema: ParamsSchema, values: ParamValues): ParamValues {
  const filled: ParamValues = { ...values };
  for (const [name, param] of Object.entries(schema.properties)) {
    if (!Object.hasOwn(filled, name) && param.default !== undefined) {
      filled[name] = param.default;
    }
  }
  return filled;
}

/**
 * What is wrong with `values`, at most one problem per parameter name, checked after defaults are filled in (a
 * missing parameter with a default is not missing). Empty when the launch may go ahead.
 */
export function paramProblems(schema: ParamsSchema, values: ParamValues): Record<string, string> {
  const filled = withDefaults(schema, values);
  // No prototype: a value named "__proto__" is an unknown parameter to report, not a setter to call.
  const problems: Record<string, string> = Object.create(null);
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(filled, name)) {
      problems[name] = 'is required';
    }
  }
  for (const [name, value] of Object.entries(filled)) {
    const param = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    const problem = param ? valueProblem(param, value) : 'is not a parameter of this template';
    if (problem) {
      problems[name] = problem;
    }
  }
  return problems;
}

function valueProblem(param: ParamSchema, value: ParamValue): string | undefined {
  switch (param.type) {
    case 'boolean':
      return typeof value === 'boolean' ? checkEnum(param, value) : 'must be true or false';
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return 'must be a number';
      }
      if (param.type === 'integer' && !Number.isInteger(value)) {
        return 'must be a whole number';
      }
      return checkEnum(param, value) ?? checkBounds(param, value);
    case 'string':
      if (typeof value !== 'string') {
        return 'must be text';
      }
      return checkEnum(param, value) ?? checkLength(param, value) ?? checkPattern(param, value);
  }
}

function checkEnum(param: ParamSchema, value: ParamValue): string | undefined {
  if (param.enum && !param.enum.some((allowed) => allowed === value)) {
    return `must be one of: ${param.enum.join(', ')}`;
  }
  return undefined;
}

function checkBounds(param: ParamSchema, value: number): string | undefined {
  if (param.minimum !== undefined && value < param.minimum) {
    return `must be at least ${param.minimum}`;
  }
  if (param.maximum !== undefined && value > param.maximum) {
    return `must be at most ${param.maximum}`;
  }
  return undefined;
}

function checkLength(param: ParamSchema, value: string): string | undefined {
  // JSON Schema counts code points, not UTF-16 units.
  const length = [...value].length;
  if (param.minLength !== undefined && length < param.minLength) {
    return `must be at least ${param.minLength} ${plural(param.minLength, 'character')}`;
  }
  if (param.maxLength !== undefined && length > param.maxLength) {
    return `must be at most ${param.maxLength} ${plural(param.maxLength, 'character')}`;
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
    // The proxy refuses such a catalog at load; a browser whose engine cannot compile the pattern leaves it to the proxy.
    return undefined;
  }
  return re.test(value) ? undefined : `must match the pattern ${param.pattern}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
