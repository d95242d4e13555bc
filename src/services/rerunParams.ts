import type { Job, ParamsSchema, ParamValues } from '../api/types';

/**
 * The values a job really ran with, for Re-run: what was launched (the proxy stores it with the defaults filled in),
 * plus what the worker chose itself and logged, such as log-gen's drawn `seed`. A worker logs such a value as a
 * top-level field of a JSON line named like the parameter; the first line that has it wins. A value the form could
 * not hold exactly (an integer beyond 2^53) is left out rather than changed.
 */
// The fields every FlowKube worker line has (python/flowkube_worker.py CORE_KEYS): the logger's own, never a parameter.
const LOGGER_FIELDS = new Set(['ts', 'level', 'msg', 'job_type', 'pod']);

export function rerunParams(job: Job, schema: ParamsSchema | undefined, logLines: string[]): ParamValues {
  const missing = Object.entries(schema?.properties ?? {}).filter(
    ([name]) => !(name in job.params) && !LOGGER_FIELDS.has(name)
  );
  const found: ParamValues = {};
  for (const raw of logLines) {
    if (missing.every(([name]) => name in found)) {
      break;
    }
    const fields = jsonObject(raw);
    if (!fields) {
      continue;
    }
    for (const [name, param] of missing) {
      const value = fields[name];
      if (name in found || value === undefined) {
        continue;
      }
      const fits =
        param.type === 'integer'
          ? Number.isSafeInteger(value)
          : param.type === 'number'
            ? typeof value === 'number' && Number.isFinite(value)
            : param.type === 'boolean'
              ? typeof value === 'boolean'
              : typeof value === 'string';
      if (fits && (!param.enum || param.enum.some((allowed) => allowed === value))) {
        found[name] = value as ParamValues[string];
      }
    }
  }
  return { ...job.params, ...found };
}

/** Only the parameters some log line may hold: true when Re-run should read the log first. */
export function needsLoggedParams(job: Job, schema: ParamsSchema | undefined): boolean {
  return job.startedAt !== undefined && Object.keys(schema?.properties ?? {}).some((name) => !(name in job.params));
}

function jsonObject(raw: string): Record<string, unknown> | undefined {
  if (!raw.trimStart().startsWith('{')) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
