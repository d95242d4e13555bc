import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import type { JobFailure } from '../../api/types';
import { failureTitle } from '../../services/jobDisplay';
import { testIds } from '../testIds';

/**
 * Why the job did not succeed, first thing on its page: the reason, the message and the last ERROR lines of its
 * log, shown as the worker wrote them. A cancel is a person's decision, not an error, so it is not shown in red.
 */
export function FailureSummary({ failure }: { failure: JobFailure }) {
  const styles = useStyles2(getStyles);
  const cancelled = failure.reason === 'Cancelled';
  return (
    <Alert
      severity={cancelled ? 'info' : 'error'}
      title={cancelled ? failure.message : failureTitle(failure)}
      data-testid={testIds.jobDetail.failure}
    >
      {!cancelled && <p className={styles.message}>{failure.message}</p>}
      {failure.lastLogLines.length > 0 && (
        <pre className={styles.lines} aria-label="Last error lines of the log">
          {failure.lastLogLines.join('\n')}
        </pre>
      )}
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  message: css({ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }),
  lines: css({
    margin: theme.spacing(1, 0, 0),
    maxHeight: theme.spacing(20),
    overflow: 'auto',
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  }),
});
