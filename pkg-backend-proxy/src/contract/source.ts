// What a launch's `source` (the launcher panel it comes from) may hold: the proxy's schema checks it, the proxy
// re-checks what it reads back from Pod annotations, and the panel checks what it is about to send.

/** Grafana's dashboard UIDs: letters, digits, `_` and `-`, at most 40. */
export const DASHBOARD_UID_PATTERN = '^[a-zA-Z0-9_-]{1,40}$';
/** Panel ids are JSON integers in the dashboard; Grafana's own are small and positive. */
export const MAX_PANEL_ID = 2147483647;
/** The title is only shown: long enough for "dashboard / panel". */
export const MAX_SOURCE_TITLE = 200;

export function isDashboardUid(value: string): boolean {
  return new RegExp(DASHBOARD_UID_PATTERN).test(value);
}
