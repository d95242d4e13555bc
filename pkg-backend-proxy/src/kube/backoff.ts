/** Exponential backoff: the first retry waits `initialMs`, each further failure doubles it, up to `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** The wait before the next try after `failures` failures in a row (0 for the first retry). */
export function backoffDelay(backoff: BackoffOptions, failures: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
}
