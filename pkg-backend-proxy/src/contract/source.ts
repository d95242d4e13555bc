// What a launch's `source` (the launcher panel it comes from) may hold: the proxy's schema checks it, the proxy
// re-checks what it reads back from Pod annotations, and the panel checks what it is about to send.
import type { JobSource } from './types.ts';

/** Grafana's dashboard UIDs: letters, digits, `_` and `-`, at most 40. */
export const DASHBOARD_UID_PATTERN = '^[a-zA-Z0-9_-]{1,40}$';
/** Panel ids are JSON integers in the dashboard; Grafana's own are small and positive. */
export const MAX_PANEL_ID = 2147483647;
/** The title is only shown: long enough for "dashboard / panel". */
export const MAX_SOURCE_TITLE = 200;

export function isDashboardUid(value: string): boolean {
  return new RegExp(DASHBOARD_UID_PATTERN).test(value);
}

/**
 * `value` as a launch source when the launch API would take it, else undefined: a refused launch's body is quoted in
 * the audit stream only this far, so a bad request cannot put arbitrary text there.
 */
export function validSource(value: unknown): JobSource | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const { dashboardUid, panelId, title, ...rest } = value as Record<string, unknown>;
  const ok =
    Object.keys(rest).length === 0 &&
    typeof dashboardUid === 'string' &&
    isDashboardUid(dashboardUid) &&
    typeof panelId === 'number' &&
    Number.isInteger(panelId) &&
    panelId >= 0 &&
    panelId <= MAX_PANEL_ID &&
    (title === undefined || (typeof title === 'string' && title.length <= MAX_SOURCE_TITLE));
  return ok ? { dashboardUid, panelId, ...(title === undefined ? {} : { title }) } : undefined;
}
