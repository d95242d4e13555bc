import type { ParamsSchema, ParamValues } from '../../api/types';
import { defaultValues } from '../../services/params';

/** Reads `?template=…&params=<json>` (written by "Re-run"); anything malformed is ignored, never thrown. */
export function parseLaunchQuery(search: string): { template?: string; params?: ParamValues } {
  const query = new URLSearchParams(search);
  const template = query.get('template') || undefined;
  const raw = query.get('params');
  if (!raw) {
    return { template };
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { template };
    }
    const params = Object.fromEntries(
      Object.entries(parsed).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    ) as ParamValues;
    return { template, params };
  } catch {
    return { template };
  }
}

/** The template's defaults, overlaid with the given values for the parameters the template still has. */
export function initialValues(schema: ParamsSchema, given: ParamValues = {}): ParamValues {
  const known = Object.entries(given).filter(([name]) => name in schema.properties);
  return { ...defaultValues(schema), ...Object.fromEntries(known) };
}
