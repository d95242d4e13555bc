import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { type Column, InteractiveTable, Stack, TextLink, useStyles2 } from '@grafana/ui';
import type { Schedule } from '../../api/types';
import { PhaseBadge } from '../../components/PhaseBadge/PhaseBadge';
import { ScheduleActions } from '../../components/ScheduleActions/ScheduleActions';
import { testIds } from '../../components/testIds';
import { browserTimeZone, nextRunDisplay } from '../../services/schedules';
import { jobUrl, scheduleUrl } from '../../utils/utils.routing';

interface Props {
  schedules: Schedule[];
  onEdit: (schedule: Schedule) => void;
  onChanged: () => void;
}

export function NextRun({ schedule }: { schedule: Schedule }) {
  const styles = useStyles2(getStyles);
  const shown = nextRunDisplay(schedule, browserTimeZone());
  return (
    <div data-testid={testIds.schedules.nextRun(schedule.id)}>
      <div>{shown.local}</div>
      {shown.inZone && <div className={styles.secondary}>{`${shown.inZone} (${schedule.timeZone})`}</div>}
    </div>
  );
}

export function LastRun({ schedule }: { schedule: Schedule }) {
  const { lastRun } = schedule;
  return (
    <span data-testid={testIds.schedules.lastRun(schedule.id)}>
      {lastRun ? (
        <TextLink href={jobUrl(lastRun.id)} inline={false}>
          <PhaseBadge phase={lastRun.phase} />
        </TextLink>
      ) : (
        'No run yet'
      )}
    </span>
  );
}

export function SchedulesTable({ schedules, onEdit, onChanged }: Props) {
  const styles = useStyles2(getStyles);
  const columns = useMemo<Array<Column<Schedule>>>(
    () => [
      {
        id: 'id',
        header: 'Schedule',
        cell: ({ row }) => (
          <span data-testid={testIds.schedules.row(row.original.id)}>
            <TextLink href={scheduleUrl(row.original.id)} inline={false}>
              {row.original.id}
            </TextLink>
          </span>
        ),
      },
      { id: 'template', header: 'Template', sortType: 'alphanumeric' },
      {
        id: 'schedule',
        header: 'Cron',
        cell: ({ row }) => (
          <Stack direction="column" gap={0}>
            <code>{row.original.schedule}</code>
            <span className={styles.secondary}>{row.original.description}</span>
          </Stack>
        ),
      },
      { id: 'nextRunAt', header: 'Next run', cell: ({ row }) => <NextRun schedule={row.original} /> },
      { id: 'lastRun', header: 'Last run', cell: ({ row }) => <LastRun schedule={row.original} /> },
      {
        id: 'actions',
        disableGrow: true,
        cell: ({ row }) => (
          <ScheduleActions schedule={row.original} onEdit={() => onEdit(row.original)} onChanged={onChanged} />
        ),
      },
    ],
    [styles, onEdit, onChanged]
  );
  return (
    <div data-testid={testIds.schedules.table}>
      <InteractiveTable columns={columns} data={schedules} getRowId={(s: Schedule) => s.id} pageSize={25} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  secondary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
