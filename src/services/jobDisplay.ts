import type { Job, JobFailure, ParamsSchema, ParamValues } from '../api/types';

// How a job reads on screen, for every page and panel that shows one.

/** Seconds the job has run: the proxy's figure once finished, otherwise counted from its start. */
export function jobDurationSeconds(job: Job, nowMs: number): number | undefined {
  if (job.durationSeconds !== undefined) {
    return job.durationSeconds;
  }
  if (!job.startedAt) {
    return undefined;
  }
  const end = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  return Math.max(0, Math.round((end - Date.parse(job.startedAt)) / 1000));
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) {
    return '–';
  }
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s}s`;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  // Round figures (a template's 10-minute timeout) read better without a zero tail.
  if (s < 3600) {
    return s % 60 === 0 ? `${s / 60}m` : `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 3600)}h ${pad(minutes)}m`;
}

/** A failure summary's heading: the reason and, unless a person stopped it, the exit code. */
export function failureTitle(failure: JobFailure): string {
  return failure.exitCode !== undefined && failure.reason !== 'Cancelled'
    ? `${failure.reason} (exit ${failure.exitCode})`
    : failure.reason;
}

/**
 * The one thing a person wants to know about how a job ended: the failure summary in one line when it did not
 * succeed, else the reason if there is one, else the exit code.
 */
export function jobOutcome(job: Job): string {
  if (job.failure) {
    const { message } = job.failure;
    const title = failureTitle(job.failure);
    return message && message !== job.failure.reason ? `${title}: ${message}` : title;
  }
  if (job.reason) {
    return job.exitCode !== undefined ? `${job.reason} (exit ${job.exitCode})` : job.reason;
  }
  return job.exitCode !== undefined ? `exit ${job.exitCode}` : '';
}

/**
 * The launcher panel a job came from, as a person reads it: "panel <title, else its id> on dashboard <UID>", or the
 * dashboard alone when no panel is named.
 */
export function sourceText(source: { dashboardUid: string; panelId?: number; title?: string }): string {
  const { dashboardUid, panelId, title } = source;
  return panelId === undefined ? `dashboard ${dashboardUid}` : `panel ${title ?? panelId} on dashboard ${dashboardUid}`;
}

/**
 * Parameters as a person reads them: the template's title for each (its name when the template has none or is
 * gone), and the value as typed, without JSON's quotes. Template order first, then any the template no longer has.
 */
export function paramRows(
  params: ParamValues,
  schema?: ParamsSchema
): Array<{ name: string; title: string; value: string }> {
  const known = Object.keys(schema?.properties ?? {}).filter((name) => name in params);
  const rest = Object.keys(params).filter((name) => !known.includes(name));
  return [...known, ...rest].map((name) => ({
    name,
    title: schema?.properties[name]?.title ?? name,
    value: String(params[name]),
  }));
}

/** `cpu 100m–500m, memory 64Mi–128Mi`: request–limit per resource, `–` alone when nothing is set. */
export function formatResources(resources: Job['resources']): string {
  const names = [...new Set([...Object.keys(resources?.requests ?? {}), ...Object.keys(resources?.limits ?? {})])];
  if (names.length === 0) {
    return '–';
  }
  return names
    .map((name) => {
      const request = resources?.requests?.[name];
      const limit = resources?.limits?.[name];
      const range =
        request && limit
          ? request === limit
            ? request
            : `${request}–${limit}`
          : request
            ? `${request} requested`
            : `at most ${limit}`;
      return `${name} ${range}`;
    })
    .join(', ');
}
