import { setImmediate as afterQueued } from 'node:timers/promises';

/** How long an answer that should take milliseconds may take before the test calls it missing. */
export const PROMPTLY_MS = 3000;

/**
 * Resolves to `promise`'s value, or fails naming `what` once `ms` pass: for waits whose own timeout is long (a 60 s
 * long-poll), so that a wake-up that never comes fails the test instead of passing when that timeout runs out.
 */
export async function settlesWithin<T>(promise: Promise<T>, what: string, ms = PROMPTLY_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `promise` is still unsettled once everything already queued (promise callbacks, I/O) has run. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const still = Symbol('pending');
  return (await Promise.race([promise, afterQueued(still)])) === still;
}
