import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ApiError } from '../api/client';
import { type JobChanges, type LiveJobsStore, liveJobsStore } from '../services/liveJobs';

/**
 * Jobs coming, going or changing phase arrive in bursts (a schedule firing, a bulk cancel): one re-read after the
 * first change of a burst that makes an answer stale, not one per change.
 */
export const REFRESH_DELAY_MS = 500;

/** What `apply` makes of an answer and one batch of changes; `stale`: read it again (its membership may have moved). */
export interface Applied<T> {
  value: T;
  stale?: boolean;
}

export interface LiveQuery<T> {
  /** The newest answer (of `key`, or of the key before while the new one is read), changes applied. */
  value?: T;
  /** The key `value` answers. */
  valueKey?: string;
  error?: ApiError;
  /** No answer yet. */
  loading: boolean;
}

/**
 * What one view shows, read from the proxy and kept current by the shared loop's changes: Kubernetes' list, then
 * watch from the list's version. The read waits for the loop's cursor, so no change can fall between the two, and
 * is sent again when the loop starts over (a 410), when `key` changes or when `apply` calls the answer stale.
 * Changes that come while a read is in flight are applied to its answer when it lands.
 */
export function useLiveQuery<T>(
  key: string,
  read: () => Promise<T>,
  apply: (value: T, changes: JobChanges) => Applied<T>,
  store: LiveJobsStore = liveJobsStore
): LiveQuery<T> {
  const { epoch, error: loopError } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [answer, setAnswer] = useState<{ key: string; value: T }>();
  const [error, setError] = useState<ApiError>();
  const [reads, setReads] = useState(0);
  // the newest of each, for the read and the change listener (which outlive a render); set before they run
  const fns = useRef({ read, apply });
  useEffect(() => {
    fns.current = { read, apply };
  });
  const shown = useRef(answer);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (epoch === 0) {
      return;
    }
    let wanted = true;
    let pending: JobChanges[] | undefined = [];
    const readAgain = () => {
      timer.current ??= setTimeout(() => {
        timer.current = undefined;
        setReads((n) => n + 1);
      }, REFRESH_DELAY_MS);
    };
    const show = (value: T) => {
      shown.current = { key, value };
      setAnswer(shown.current);
    };
    const stop = store.onChanges((changes) => {
      if (pending) {
        pending.push(changes);
      } else if (shown.current?.key === key) {
        const next = fns.current.apply(shown.current.value, changes);
        if (next.value !== shown.current.value) {
          show(next.value);
        }
        if (next.stale) {
          readAgain();
        }
      }
    });
    fns.current.read().then(
      (value) => {
        if (!wanted) {
          return;
        }
        let stale = false;
        for (const changes of pending ?? []) {
          const next = fns.current.apply(value, changes);
          value = next.value;
          stale ||= Boolean(next.stale);
        }
        pending = undefined;
        show(value);
        setError(undefined);
        if (stale) {
          readAgain();
        }
      },
      (err: ApiError) => {
        if (wanted) {
          pending = undefined;
          setError(err);
        }
      }
    );
    return () => {
      wanted = false;
      stop();
    };
  }, [key, epoch, reads, store]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    value: answer?.value,
    valueKey: answer?.key,
    error: error ?? loopError,
    loading: answer === undefined && !error,
  };
}
