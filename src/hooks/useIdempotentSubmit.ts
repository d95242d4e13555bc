import { useCallback, useRef, useState } from 'react';
import type { ApiError } from '../api/client';
import { newIdempotencyKey } from '../services/idempotencyKey';
import { fieldErrorsFromApi } from '../services/params';

export interface IdempotentSubmitState<T> {
  /**
   * Runs `send`, unless a submission is still in flight: then it hands back that one, so a double click sends once.
   * Resolves to what `send` resolved to, or undefined when it failed (see `error` and `fieldErrors`).
   */
  submit: (send: () => Promise<T>) => Promise<T | undefined>;
  /**
   * The Idempotency-Key for `content`, for `send` to put on its request: the same while the content stays the same,
   * so a retry after a lost answer repeats the first request; new once the content changes or a submission succeeded,
   * so sending the same thing again on purpose is a new request.
   */
  keyFor: (content: string) => string;
  pending: boolean;
  /** The last submission's failure, as every call in api/client.ts rejects with. */
  error?: ApiError;
  /** Keyed by param name (`params.x` → `x`), or by the request's own field for errors about the whole request. */
  fieldErrors: Record<string, string>;
  reset: () => void;
}

/** One request at a time, with an Idempotency-Key kept across the retries of one submission. */
export function useIdempotentSubmit<T>(): IdempotentSubmitState<T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const key = useRef<{ content: string; value: string }>();
  const inFlight = useRef<Promise<T | undefined>>();

  const keyFor = useCallback((content: string) => {
    if (key.current?.content !== content) {
      key.current = { content, value: newIdempotencyKey() };
    }
    return key.current.value;
  }, []);

  const submit = useCallback((send: () => Promise<T>) => {
    if (inFlight.current) {
      return inFlight.current;
    }
    setPending(true);
    setError(undefined);
    setFieldErrors({});
    inFlight.current = send()
      .then(
        (value) => {
          key.current = undefined;
          return value;
        },
        (apiError: ApiError) => {
          setError(apiError);
          setFieldErrors(fieldErrorsFromApi(apiError.fields));
          return undefined;
        }
      )
      .finally(() => {
        inFlight.current = undefined;
        setPending(false);
      });
    return inFlight.current;
  }, []);

  const reset = useCallback(() => {
    setError(undefined);
    setFieldErrors({});
  }, []);

  return { submit, keyFor, pending, error, fieldErrors, reset };
}
