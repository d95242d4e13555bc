import React, { createContext, useContext, useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { type Column, InteractiveTable, LinkButton, Stack, TextLink, useStyles2 } from '@grafana/ui';
import type { Job } from '../../api/types';
import { jobUrl, scheduleUrl } from '../../utils/utils.routing';
import { CancelJobButton } from '../JobActions/CancelJobButton';
import { RerunButton } from '../JobActions/RerunButton';
import { PhaseBadge } from '../PhaseBadge/PhaseBadge';
import { testIds } from '../testIds';
import { formatDuration, jobDurationSeconds, jobOutcome } from '../../services/jobDisplay';

interface Props {
  jobs: Job[];
  /** Passed in so running durations tick with the page's clock. */
  nowMs: number;
}

// The clock reaches the duration cells through context, not through the column definitions: new definitions
// every second would remount every cell, closing an open cancel confirmation under the person's cursor.
const NowContext = createContext(0);

function DurationCell({ job }: { job: Job }) {
  return <>{formatDuration(jobDurationSeconds(job, useContext(NowContext)))}</>;
}

export function JobsTable({ jobs, nowMs }: Props) {
  const styles = useStyles2(getStyles);
  const columns = useMemo<Array<Column<Job>>>(
    () => [
      {
        id: 'id',
        header: 'Job',
        cell: ({ row }) => (
          <span data-testid={testIds.jobs.row(row.original.id)}>
            <TextLink href={jobUrl(row.original.id)} inline={false}>
              {row.original.id}
            </TextLink>
          </span>
        ),
      },
      { id: 'template', header: 'Template', sortType: 'alphanumeric' },
      {
        id: 'schedule',
        header: 'Schedule',
        cell: ({ row }) =>
          row.original.schedule ? (
            <TextLink href={scheduleUrl(row.original.schedule)} inline={false}>
              {row.original.schedule}
            </TextLink>
          ) : (
            <span className={styles.outcome}>by hand</span>
          ),
      },
      {
        id: 'phase',
        header: 'Phase',
        sortType: 'alphanumeric',
        cell: ({ row }) => <PhaseBadge phase={row.original.phase} reason={row.original.reason} />,
      },
      { id: 'launchedBy', header: 'Launched by', sortType: 'alphanumeric' },
      {
        id: 'createdAt',
        header: 'Created',
        sortType: 'alphanumeric',
        cell: ({ row }) => dateTimeFormat(row.original.createdAt),
      },
      {
        id: 'durationSeconds',
        header: 'Duration',
        cell: ({ row }) => <DurationCell job={row.original} />,
      },
      {
        id: 'exitCode',
        header: 'Exit code / reason',
        // one line of the failure summary; the whole of it is in the tooltip and on the job's page
        cell: ({ row }) => {
          const outcome = jobOutcome(row.original);
          return (
            <span className={styles.failureLine} title={outcome}>
              {outcome}
            </span>
          );
        },
      },
      {
        id: 'actions',
        disableGrow: true,
        cell: ({ row }) => (
          <Stack direction="row" gap={1}>
            <LinkButton size="sm" variant="secondary" icon="eye" href={jobUrl(row.original.id)}>
              Open
            </LinkButton>
            <CancelJobButton job={row.original} testId={testIds.jobs.cancel(row.original.id)} />
            <RerunButton job={row.original} testId={testIds.jobs.rerun(row.original.id)} />
          </Stack>
        ),
      },
    ],
    [styles]
  );

  return (
    <NowContext.Provider value={nowMs}>
      <div data-testid={testIds.jobs.table}>
        <InteractiveTable columns={columns} data={jobs} getRowId={getRowId} pageSize={25} />
      </div>
    </NowContext.Provider>
  );
}

const getRowId = (job: Job) => job.id;

const getStyles = (theme: GrafanaTheme2) => ({
  outcome: css({ color: theme.colors.text.secondary }),
  failureLine: css({
    color: theme.colors.text.secondary,
    display: 'block',
    maxWidth: '40ch',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
});
