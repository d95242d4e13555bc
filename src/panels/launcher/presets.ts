import type { ParamSchema, ParamsSchema, ParamValues } from '../../api/types';

/**
 * The schema the preset editor shows: a number param becomes text so it can hold a dashboard variable ($var),
 * its bounds and default moved into the help text; nothing is required, since an empty preset means
 * "the template's default" (or the viewer's value, if editable).
 */
export function presetEditorSchema(schema: ParamsSchema): ParamsSchema {
  const properties: Record<string, ParamSchema> = {};
  for (const [name, param] of Object.entries(schema.properties)) {
    properties[name] = param.type === 'integer' || param.type === 'number' ? numberAsText(param) : param;
  }
  return { type: 'object', properties };
}

function numberAsText(param: ParamSchema): ParamSchema {
  if (param.enum) {
    return param;
  }
  const kind = param.type === 'integer' ? 'A whole number' : 'A number';
  const bounds = [
    param.minimum !== undefined ? `at least ${param.minimum}` : undefined,
    param.maximum !== undefined ? `at most ${param.maximum}` : undefined,
  ].filter(Boolean);
  const hint = `${kind}${bounds.length ? ` (${bounds.join(', ')})` : ''} or a dashboard variable such as $duration.`;
  const fallback = param.default !== undefined ? ` Empty: the template default, ${param.default}.` : '';
  return {
    type: 'string',
    title: param.title,
    description: [param.description, hint + fallback].filter(Boolean).join(' '),
  };
}

/**
 * Turns presets into launch values: strings are interpolated with the dashboard's variables, then number and
 * boolean params are parsed from the result. Presets for params the template no longer has are dropped
 * (the template was changed after they were set).
 */
export function resolvePresets(
  schema: ParamsSchema,
  presets: ParamValues,
  replaceVariables: (text: string) => string
): { values: ParamValues; errors: Record<string, string> } {
  const values: ParamValues = {};
  const errors: Record<string, string> = {};
  for (const [name, raw] of Object.entries(presets)) {
    const param = schema.properties[name];
    if (!param) {
      continue;
    }
    if (typeof raw !== 'string') {
      values[name] = raw;
      continue;
    }
    const text = replaceVariables(raw);
    const shown = text === raw ? `"${raw}"` : `"${raw}" (= "${text}")`;
    if (text.trim() === '') {
      continue;
    }
    if (param.type === 'integer' || param.type === 'number') {
      const n = Number(text.trim());
      if (Number.isNaN(n)) {
        errors[name] = `${shown} is not a number`;
      } else {
        values[name] = n;
      }
    } else if (param.type === 'boolean') {
      if (text === 'true' || text === 'false') {
        values[name] = text === 'true';
      } else {
        errors[name] = `${shown} is not true or false`;
      }
    } else {
      values[name] = text;
    }
  }
  return { values, errors };
}

/** The part of a schema the viewer may edit, in the template's order. */
export function pickParams(schema: ParamsSchema, names: string[]): ParamsSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([name]) => names.includes(name)));
  const required = (schema.required ?? []).filter((name) => names.includes(name));
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}
