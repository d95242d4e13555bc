const MAX_LENGTH = 128;

/**
 * `X-Grafana-User` → a display name safe to store and show: Grafana sends the login as raw UTF-8 bytes, which
 * Node reads as latin1; control, format and unassigned characters are dropped (no log or terminal tricks).
 */
export function sanitizeLaunchedBy(header: string | string[] | undefined, fallback: string): string {
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
