import { useCallback } from 'react';
import { type ApiError, launchJob } from '../api/client';
import type { Job, JobSource, ParamValues } from '../api/types';
import { launchContentKey } from '../services/idempotencyKey';
import { notifySuccess } from '../services/notify';
import { useIdempotentSubmit } from './useIdempotentSubmit';

export interface LaunchJobState {
  /**
   * Resolves to the job, or undefined when the launch failed (see `error` and `fieldErrors`). `source` names the
   * launcher panel it comes from.
   */
  launch: (template: string, params: ParamValues, source?: JobSource) => Promise<Job | undefined>;
  launching: boolean;
  /** Explain it with describeProxyError(error, 'launch'). */
  error?: ApiError;
  /** Keyed by param name (`params.x` → `x`), or `template`/`params` for errors about the whole request. */
  fieldErrors: Record<string, string>;
  reset: () => void;
}

/**
 * Launches a job with an Idempotency-Key tied to what is launched: a double click, or a retry after
 * a network error, sends the same key so the proxy makes one job; a changed form gets a new key.
 * After a success the key is dropped, so launching the same thing again on purpose makes a new job.
 */
export function useLaunchJob(): LaunchJobState {
  const { submit, keyFor, pending, error, fieldErrors, reset } = useIdempotentSubmit<Job>();

  const launch = useCallback(
    (template: string, params: ParamValues, source?: JobSource) =>
      submit(async () => {
        const content = launchContentKey(template, params) + JSON.stringify(source ?? null);
        const job = await launchJob({ template, params, ...(source ? { source } : {}) }, keyFor(content));
        notifySuccess('Job launched', job.id);
        return job;
      }),
    [submit, keyFor]
  );

  return { launch, launching: pending, error, fieldErrors, reset };
}
