import React, { useEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { isFinished } from '@flowkube/backend-proxy/contract';
import type { Job } from '../../api/types';
import { followJobLogs } from '../../services/logStream';
import { useLiveJob } from '../../hooks/useLiveJob';
import { testIds } from '../testIds';
import { parseLogLine } from './parseLogLine';

const MAX_LINES = 5000;
const RECONNECT_PAUSE_MS = 2000;

const finished = (job?: Job) => job !== undefined && isFinished(job.phase);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The proxy's log stream, for when no Loki data source is configured: follows while the Pod runs. */
export function LogStream({ id }: { id: string }) {
  const styles = useStyles2(getStyles);
  const { job, removed } = useLiveJob(id);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const over = finished(job) || removed;
  // The follow loop below outlives renders; it reads whether to go on from here.
  const ended = useRef(over);
  useEffect(() => {
    ended.current = over;
  }, [over]);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let seen = 0;
    (async () => {
      // One pass reads to the end of the log; a running Pod needs another once Grafana cuts the request.
      do {
        try {
          seen = await followJobLogs(id, {
            skip: seen,
            signal,
            onLines: (fresh) => setLines((prev) => [...prev, ...fresh].slice(-MAX_LINES)),
          });
          setError(undefined);
        } catch (err) {
          if (signal.aborted) {
            return;
          }
          // A Pending Pod has no log yet; only a finished job's error is final.
          setError(err instanceof Error ? err.message : String(err));
        }
        if (!ended.current) {
          await pause(RECONNECT_PAUSE_MS, signal);
        }
      } while (!signal.aborted && !ended.current);
    })();
    return () => controller.abort();
  }, [id]);

  return (
    <div data-testid={testIds.jobDetail.logStream}>
      {error && (
        <Alert severity={over ? 'error' : 'info'} title="Log stream">
          {error}
        </Alert>
      )}
      <pre className={styles.log} aria-label="Job log">
        {lines.length === 0 && !error ? (
          <span className={styles.muted}>{over ? 'The job wrote no log lines.' : 'Waiting for log lines…'}</span>
        ) : (
          lines.map((raw, i) => {
            const line = parseLogLine(raw);
            return (
              <div key={i} className={styles.line}>
                {line.ts && <span className={styles.muted}>{line.ts} </span>}
                {line.level && <span className={cx(styles.level, styles[levelStyle(line.level)])}>{line.level} </span>}
                <span>{line.msg}</span>
              </div>
            );
          })
        )}
      </pre>
    </div>
  );
}

function levelStyle(level: string): 'error' | 'warn' | 'info' {
  return level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : 'info';
}

const getStyles = (theme: GrafanaTheme2) => ({
  log: css({
    maxHeight: 480,
    overflow: 'auto',
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
  line: css({ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }),
  muted: css({ color: theme.colors.text.secondary }),
  level: css({ fontWeight: theme.typography.fontWeightMedium }),
  error: css({ color: theme.colors.error.text }),
  warn: css({ color: theme.colors.warning.text }),
  info: css({ color: theme.colors.info.text }),
});
