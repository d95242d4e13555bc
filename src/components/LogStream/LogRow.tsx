import React, { memo } from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import { type LogLevel, type LogLine, splitMatches } from '../../services/logLines';
import { testIds } from '../testIds';

/**
 * One log line: the time in the page's format and the user's time zone (dateTimeFormat's default zone is the one
 * Grafana sets from the user's preference, as for the timeline and the Jobs table), the raw time in its tooltip,
 * then the line exactly as written, with the search marked.
 */
export const LogRow = memo(function LogRow({ line, search, wrap }: { line: LogLine; search: string; wrap: boolean }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={cx(styles.row, wrap ? styles.wrap : styles.nowrap)} data-testid={testIds.jobDetail.logLine}>
      <span className={styles.time} title={line.ts}>
        {line.ts ? safeFormat(line.ts) : ''}
      </span>
      <span className={cx(styles.level, styles[line.level])} aria-label={`level ${line.level}`} />
      <span className={styles.text}>
        {splitMatches(line.raw, search).map((part, i) =>
          part.match ? (
            <mark key={i} className={styles.mark}>
              {part.text}
            </mark>
          ) : (
            <React.Fragment key={i}>{part.text}</React.Fragment>
          )
        )}
      </span>
      <ClipboardButton
        className={styles.copy}
        getText={() => line.raw}
        icon="copy"
        variant="secondary"
        fill="text"
        size="sm"
        aria-label={`Copy line ${line.index + 1}`}
      />
    </div>
  );
});

function safeFormat(ts: string): string {
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : dateTimeFormat(ms);
}

const levelColors = (theme: GrafanaTheme2): Record<LogLevel, string> => ({
  error: theme.colors.error.main,
  warn: theme.colors.warning.main,
  info: theme.colors.info.main,
  debug: theme.colors.text.disabled,
  unknown: theme.colors.border.medium,
});

const getStyles = (theme: GrafanaTheme2) => {
  const colors = levelColors(theme);
  return {
    row: css({
      display: 'flex',
      alignItems: 'flex-start',
      gap: theme.spacing(1),
      padding: theme.spacing(0, 0.5),
      '&:hover': { background: theme.colors.action.hover },
      '&:hover button, & button:focus-visible': { opacity: 1 },
    }),
    wrap: css({ '& > span:nth-of-type(3)': { whiteSpace: 'pre-wrap', wordBreak: 'break-all' } }),
    nowrap: css({ width: 'max-content', minWidth: '100%', '& > span:nth-of-type(3)': { whiteSpace: 'pre' } }),
    time: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap', flexShrink: 0 }),
    level: css({ alignSelf: 'stretch', width: 3, flexShrink: 0, borderRadius: theme.shape.radius.default }),
    error: css({ background: colors.error }),
    warn: css({ background: colors.warn }),
    info: css({ background: colors.info }),
    debug: css({ background: colors.debug }),
    unknown: css({ background: colors.unknown }),
    text: css({ flexGrow: 1 }),
    mark: css({ background: theme.colors.warning.transparent, color: 'inherit', padding: 0 }),
    copy: css({ opacity: 0, flexShrink: 0, height: theme.spacing(2.5) }),
  };
};
