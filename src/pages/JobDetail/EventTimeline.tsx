import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Icon, type IconName, useStyles2 } from '@grafana/ui';
import type { AuditEvent } from '../../api/types';
import { testIds } from '../../components/testIds';
import { describeEvent } from '../../services/history';

const ICONS: Record<ReturnType<typeof describeEvent>['state'], IconName> = {
  done: 'check-circle',
  failed: 'times-circle',
  cancelled: 'ban',
};

/** A job's recorded transitions, in the order they happened, from its audit events. */
export function EventTimeline({ events }: { events: AuditEvent[] }) {
  const styles = useStyles2(getStyles);
  return (
    <ol className={styles.list} data-testid={testIds.history.timeline}>
      {events.map((e) => {
        const { label, state } = describeEvent(e);
        return (
          <li key={e.eventId} className={cx(styles.step, styles[state])}>
            <Icon name={ICONS[state]} />
            <span className={styles.label}>{label}</span>
            <span className={styles.time}>{dateTimeFormat(e.time)}</span>
          </li>
        );
      })}
    </ol>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'flex', gap: theme.spacing(3), listStyle: 'none', margin: 0, padding: 0, flexWrap: 'wrap' }),
  step: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  label: css({ fontWeight: theme.typography.fontWeightMedium }),
  time: css({ color: theme.colors.text.secondary }),
  done: css({ color: theme.colors.success.text }),
  failed: css({ color: theme.colors.error.text }),
  cancelled: css({ color: theme.colors.warning.text }),
});
