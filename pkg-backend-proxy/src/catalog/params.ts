import { paramProblems, withDefaults } from '../contract/params.ts';
import type { FieldError, ParamValues } from '../schemas/index.ts';
import type { CatalogTemplate } from './schema.ts';

export type ParamsResult = { ok: true; values: ParamValues } | { ok: false; fields: FieldError[] };

/**
 * Checks user-supplied values against the template and fills in defaults; the input is not modified. The check is
 * the contract's, the same one the plugin's form runs, so a value the form accepts is one the proxy accepts.
 * No coercion: "5" is not an integer, "true" is not a boolean.
 */
export function validateParams(template: CatalogTemplate, input: ParamValues | undefined): ParamsResult {
  const values = withDefaults(template.params, input ?? {});
  const problems = Object.entries(paramProblems(template.params, values));
  if (problems.length === 0) {
    return { ok: true, values };
  }
  const fields = problems.map(([name, message]) => ({
    field: `params.${name}`,
    // The API answer can name the template; the form's wording cannot know which one it is in.
    message: Object.hasOwn(template.params.properties, name)
      ? message
      : `is not a parameter of template "${template.id}"`,
  }));
  return { ok: false, fields };
}
