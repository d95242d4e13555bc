import React, { useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Checkbox, FilterInput, InlineSwitch, Stack, useStyles2 } from '@grafana/ui';
import type { ApiError } from '../../api/client';
import { useFollowEnd } from '../../hooks/useFollowEnd';
import { MAX_LINES, useJobLog } from '../../hooks/useJobLog';
import { saveTextFile } from '../../services/download';
import { countLevels, filterLogLines, LOG_LEVELS, type LogLevel } from '../../services/logLines';
import { fetchJobLog } from '../../services/logStream';
import { notifyError } from '../../services/notify';
import { explainProxyError } from '../../services/proxyErrors';
import { testIds } from '../testIds';
import { LogRow } from './LogRow';

const LEVEL_LABELS: Record<LogLevel, string> = {
  error: 'Error',
  warn: 'Warning',
  info: 'Info',
  debug: 'Debug',
  unknown: 'No level',
};

/**
 * The proxy's log stream, shown while the proxy has the job (with or without Loki): follows while the Pod runs.
 *
 * Built from @grafana/ui primitives because @grafana/ui 12.4 exports no log rows (LogRows lives in Grafana's
 * public/app/features/logs, which plugins cannot import), and the Scenes logs panel is Grafana's core `logs` panel,
 * which needs a data source query and reformats nothing we can pin: this source is a plain text stream.
 */
export function LogStream({ id }: { id: string }) {
  const styles = useStyles2(getStyles);
  const { lines, error, over } = useJobLog(id);
  const [search, setSearch] = useState('');
  const [levels, setLevels] = useState<LogLevel[]>([]);
  const [wrap, setWrap] = useState(true);
  const [downloading, setDownloading] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => filterLogLines(lines, { search, levels }), [lines, search, levels]);
  const counts = useMemo(() => countLevels(lines), [lines]);
  const { following, pause, jumpToEnd } = useFollowEnd(box, shown, !over);

  const toggleLevel = (level: LogLevel) =>
    setLevels((prev) => (prev.includes(level) ? prev.filter((l) => l !== level) : [...prev, level]));

  const download = async () => {
    setDownloading(true);
    try {
      saveTextFile(`${id}.log`, await fetchJobLog(id));
    } catch (err) {
      notifyError(`Could not download the log of ${id}`, explainProxyError(err as ApiError));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className={styles.container} data-testid={testIds.jobDetail.logStream}>
      {error && (
        <Alert severity={over ? 'error' : 'info'} title="Log stream">
          {error}
        </Alert>
      )}
      <Stack direction="row" alignItems="center" gap={2} wrap="wrap">
        <div className={styles.search}>
          <FilterInput
            placeholder="Search the log"
            value={search}
            onChange={setSearch}
            escapeRegex={false}
            data-testid={testIds.jobDetail.logSearch}
            aria-label="Search the log"
          />
        </div>
        <Stack direction="row" gap={1.5} wrap="wrap" role="group" aria-label="Levels">
          {LOG_LEVELS.filter((level) => counts[level] > 0 || levels.includes(level)).map((level) => (
            <Checkbox
              key={level}
              label={`${LEVEL_LABELS[level]} (${counts[level]})`}
              value={levels.includes(level)}
              onChange={() => toggleLevel(level)}
              data-testid={testIds.jobDetail.logLevel(level)}
            />
          ))}
        </Stack>
        <InlineSwitch
          label="Wrap lines"
          showLabel
          value={wrap}
          onChange={() => setWrap(!wrap)}
          data-testid={testIds.jobDetail.logWrap}
        />
        <Stack direction="row" gap={1}>
          {!over &&
            (following ? (
              <Button
                size="sm"
                variant="secondary"
                icon="pause"
                onClick={pause}
                data-testid={testIds.jobDetail.logFollow}
              >
                Pause
              </Button>
            ) : (
              <Button
                size="sm"
                variant="primary"
                icon="arrow-down"
                onClick={jumpToEnd}
                data-testid={testIds.jobDetail.logFollow}
              >
                Jump to end
              </Button>
            ))}
          <Button
            size="sm"
            variant="secondary"
            icon={downloading ? 'spinner' : 'download-alt'}
            disabled={downloading}
            onClick={download}
            data-testid={testIds.jobDetail.logDownload}
          >
            Download
          </Button>
        </Stack>
      </Stack>
      <div ref={box} className={styles.log} role="log" aria-label="Job log" tabIndex={0}>
        {lines.length === 0 && !error ? (
          <span className={styles.muted}>{over ? 'The job wrote no log lines.' : 'Waiting for log lines…'}</span>
        ) : (
          shown.map((line) => <LogRow key={line.index} line={line} search={search} wrap={wrap} />)
        )}
      </div>
      <span className={styles.muted} aria-live="polite">
        {shown.length === lines.length ? `${lines.length} lines` : `${shown.length} of ${lines.length} lines`}
        {lines.length >= MAX_LINES && ` (the last ${MAX_LINES}; Download has the whole log)`}
      </span>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  search: css({ width: 280 }),
  log: css({
    height: 480,
    overflow: 'auto',
    padding: theme.spacing(0.5, 0),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
