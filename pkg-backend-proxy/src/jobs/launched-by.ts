const MAX_LENGTH = 128;

/**
 * What a launch records when Grafana sent no `X-Grafana-User`. Grafana drops any incoming header of that name and
 * sets it only with `[dataproxy] send_user_header = true` for a signed-in user (grafana/grafana
 * pkg/util/proxyutil/proxyutil.go, ApplyUserHeader): anonymous users, service accounts, the image renderer and
 * Grafana's default configuration send none. Saying so beats inventing a name.
 */
export const LAUNCHED_BY_UNKNOWN = 'unknown (no user header)';

/**
 * `X-Grafana-User` → a display name safe to store and show: Grafana sends the login as raw UTF-8 bytes, which
 * Node reads as latin1; control, format and unassigned characters are dropped (no log or terminal tricks).
 */
export function sanitizeLaunchedBy(header: string | string[] | undefined, fallback = LAUNCHED_BY_UNKNOWN): string {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) {
    return fallback;
  }
  let text = raw;
  if (/[\u0080-\u00ff]/.test(raw)) {
    const decoded = Buffer.from(raw, 'latin1').toString('utf8');
    if (!decoded.includes('\uFFFD')) {
      text = decoded;
    }
  }
  const clean = [...text.replace(/[\p{C}]/gu, '').trim()].slice(0, MAX_LENGTH).join('').trim();
  return clean === '' ? fallback : clean;
}
