import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Icon, type IconName, useStyles2 } from '@grafana/ui';
import type { Job } from '../../api/types';
import { testIds } from '../testIds';
import { type TimelineStep, timelineSteps } from './timelineSteps';

const ICONS: Record<TimelineStep['state'], IconName> = {
  done: 'check-circle',
  current: 'fa fa-spinner',
  waiting: 'circle',
  failed: 'times-circle',
  cancelled: 'ban',
};

export interface TimelineItem extends TimelineStep {
  key: string;
}

/** Steps in a row, each with its icon, label and time; the icon's colour says how a step ended. */
export function Timeline({ steps, testId }: { steps: TimelineItem[]; testId: string }) {
  const styles = useStyles2(getStyles);
  return (
    <ol className={styles.list} data-testid={testId}>
      {steps.map((step) => (
        <li key={step.key} className={cx(styles.step, styles[step.state])}>
          <Icon name={ICONS[step.state]} data-testid={testIds.jobDetail.timelineIcon(step.state)} />
          <span className={styles.label}>{step.label}</span>
          <span className={styles.time}>{step.at ? dateTimeFormat(step.at) : '—'}</span>
        </li>
      ))}
    </ol>
  );
}

export function JobTimeline({ job }: { job: Job }) {
  const steps = timelineSteps(job).map((step) => ({ ...step, key: step.label }));
  return <Timeline steps={steps} testId={testIds.jobDetail.timeline} />;
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'flex', gap: theme.spacing(3), listStyle: 'none', margin: 0, padding: 0, flexWrap: 'wrap' }),
  step: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  label: css({ fontWeight: theme.typography.fontWeightMedium }),
  time: css({ color: theme.colors.text.secondary }),
  done: css({ color: theme.colors.success.text }),
  current: css({ color: theme.colors.primary.text }),
  waiting: css({ color: theme.colors.text.disabled }),
  // theme colours, so the failure reads red and the cancel as muted in the light and the dark theme alike
  failed: css({ color: theme.colors.error.text }),
  cancelled: css({ color: theme.colors.warning.text }),
});
