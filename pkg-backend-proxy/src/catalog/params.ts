import type { ValidateFunction } from 'ajv';
import type { FieldError, ParamValues } from '../schemas/index.ts';
import { createAjv, fieldErrors } from '../validation/ajv.ts';
import type { CatalogTemplate } from './schema.ts';

// allErrors so a form can mark every bad field at once; no coercion: "5" is not an integer
const ajv = createAjv({ coerce: false, useDefaults: true, allErrors: true });
const compiled = new WeakMap<CatalogTemplate, ValidateFunction>();

function validatorFor(template: CatalogTemplate): ValidateFunction {
  let validate = compiled.get(template);
  if (!validate) {
    validate = ajv.compile({ ...template.params, additionalProperties: false });
    compiled.set(template, validate);
  }
  return validate;
}

export type ParamsResult = { ok: true; values: ParamValues } | { ok: false; fields: FieldError[] };

/** Checks user-supplied values against the template and fills in defaults; the input is not modified. */
export function validateParams(template: CatalogTemplate, input: ParamValues | undefined): ParamsResult {
  const values: ParamValues = { ...(input ?? {}) };
  const validate = validatorFor(template);
  if (validate(values)) {
    return { ok: true, values };
  }
  const fields = fieldErrors(validate.errors, 'params').map((f) =>
    f.message === 'is not an allowed field' ? { ...f, message: `is not a parameter of template "${template.id}"` } : f
  );
  return { ok: false, fields };
}
