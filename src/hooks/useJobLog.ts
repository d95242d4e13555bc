import { useEffect, useRef, useState } from 'react';
import { isFinished } from '@flowkube/backend-proxy/contract';
import type { ApiError } from '../api/client';
import { followJobLogs } from '../services/logStream';
import { type LogLine, parseLogLine } from '../services/logLines';
import { explainProxyError } from '../services/proxyErrors';
import { useLiveJob } from './useLiveJob';

/** Lines kept in the page; the download fetches the whole log again, so nothing is lost beyond this. */
export const MAX_LINES = 5000;
const RECONNECT_PAUSE_MS = 2000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface JobLog {
  lines: LogLine[];
  /** Why the log cannot be read (yet): a Pod not started, a proxy error. Cleared once a stream opens. */
  error?: string;
  /** The job has ended (or is gone), so no more lines will come. */
  over: boolean;
}

/** The proxy's log stream of one job, followed while the Pod runs and read again after each cut. */
export function useJobLog(id: string): JobLog {
  const { job, removed } = useLiveJob(id);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string>();
  const over = (job !== undefined && isFinished(job.phase)) || removed;
  // The follow loop below outlives renders; it reads whether to go on from here.
  const ended = useRef(over);
  useEffect(() => {
    ended.current = over;
  }, [over]);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let seen = 0;
    // Every line's position in the whole log, counted across reconnects (which skip what was already read).
    let total = 0;
    (async () => {
      // One pass reads to the end of the log; a running Pod needs another once something cuts the request.
      do {
        try {
          seen = await followJobLogs(id, {
            skip: seen,
            signal,
            onOpen: () => setError(undefined),
            onLines: (fresh) => {
              const parsed = fresh.map((raw) => parseLogLine(raw, total++));
              setLines((prev) => [...prev, ...parsed].slice(-MAX_LINES));
            },
          });
        } catch (err) {
          if (signal.aborted) {
            return;
          }
          // A Pending Pod has no log yet; only a finished job's error is final. followJobLogs rejects with an ApiError.
          setError(explainProxyError(err as ApiError));
        }
        if (!ended.current) {
          await pause(RECONNECT_PAUSE_MS, signal);
        }
      } while (!signal.aborted && !ended.current);
    })();
    return () => controller.abort();
  }, [id]);

  return { lines, error, over };
}
