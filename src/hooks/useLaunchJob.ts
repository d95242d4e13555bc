import { useCallback, useRef, useState } from 'react';
import { type ApiError, launchJob } from '../api/client';
import type { Job, JobSource, ParamValues } from '../api/types';
import { launchContentKey, newIdempotencyKey } from '../services/idempotencyKey';
import { notifySuccess } from '../services/notify';
import { fieldErrorsFromApi } from '../services/params';

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
  const [launching, setLaunching] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const key = useRef<{ content: string; value: string }>();
  const inFlight = useRef<Promise<Job | undefined>>();

  const launch = useCallback((template: string, params: ParamValues, source?: JobSource) => {
    if (inFlight.current) {
      return inFlight.current;
    }
    const content = launchContentKey(template, params) + JSON.stringify(source ?? null);
    if (key.current?.content !== content) {
      key.current = { content, value: newIdempotencyKey() };
    }
    const idempotencyKey = key.current.value;
    setLaunching(true);
    setError(undefined);
    setFieldErrors({});

    const attempt = launchJob({ template, params, ...(source ? { source } : {}) }, idempotencyKey).then(
      (job) => {
        key.current = undefined;
        notifySuccess('Job launched', job.id);
        return job;
      },
      (apiError: ApiError) => {
        setError(apiError);
        setFieldErrors(fieldErrorsFromApi(apiError.fields));
        return undefined;
      }
    );
    inFlight.current = attempt.finally(() => {
      inFlight.current = undefined;
      setLaunching(false);
    });
    return inFlight.current;
  }, []);

  const reset = useCallback(() => {
    setError(undefined);
    setFieldErrors({});
  }, []);

  return { launch, launching, error, fieldErrors, reset };
}
