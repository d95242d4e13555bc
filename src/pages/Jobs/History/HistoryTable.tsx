import React, { createContext, useContext, useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, locationUtil } from '@grafana/data';
import { Badge, type Column, InteractiveTable, LinkButton, TextLink, useStyles2 } from '@grafana/ui';
import { PhaseBadge } from '../../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../../components/testIds';
import { jobLogsExploreUrl } from '../../../services/exploreUrl';
import type { HistoryEntry } from '../../../services/history';
import { formatDuration, jobDurationSeconds, jobOutcome, paramRows, sourceText } from '../../../services/jobDisplay';
import { jobUrl } from '../../../utils/utils.routing';

interface Props {
  entries: HistoryEntry[];
  datasourceUid: string;
  nowMs: number;
}

// As in the live table: the clock reaches the duration cells through context, so a tick does not remount the rows.
const NowContext = createContext(0);

/** A job that is neither live nor recorded as ended has no known end, so no duration either. */
function DurationCell({ entry: { job, live } }: { entry: HistoryEntry }) {
  const nowMs = useContext(NowContext);
  const known = job && (live || job.finishedAt || job.durationSeconds !== undefined);
  return <>{known ? formatDuration(jobDurationSeconds(job, nowMs)) : '–'}</>;
}

/** One line: how it failed (the failure summary's first line), or why the launch was refused. */
function summaryOf(entry: HistoryEntry): string {
  if (entry.rejection) {
    return [entry.rejection.reason, entry.rejection.message].filter(Boolean).join(': ');
  }
  return entry.job ? jobOutcome(entry.job) : '';
}

const paramsOf = (entry: HistoryEntry) =>
  paramRows(entry.params)
    .map((row) => `${row.name}=${row.value}`)
    .join(', ');

export function HistoryTable({ entries, datasourceUid, nowMs }: Props) {
  const styles = useStyles2(getStyles);
  const columns = useMemo<Array<Column<HistoryEntry>>>(
    () => [
      {
        id: 'key',
        header: 'Job',
        cell: ({ row: { original: e } }) => (
          <span data-testid={testIds.history.row(e.key)}>
            {e.job ? (
              <TextLink href={jobUrl(e.key)} inline={false}>
                {e.key}
              </TextLink>
            ) : (
              <span className={styles.muted}>no job made</span>
            )}
          </span>
        ),
      },
      { id: 'template', header: 'Template', sortType: 'alphanumeric' },
      {
        id: 'outcome',
        header: 'Outcome',
        sortType: 'alphanumeric',
        cell: ({ row: { original: e } }) =>
          e.outcome === 'Rejected' ? (
            <Badge text="Rejected" color="red" icon="ban" tooltip={e.rejection?.message} />
          ) : (
            <span title={e.live ? 'Live: the proxy still has this job' : 'As last recorded in the audit stream'}>
              <PhaseBadge phase={e.outcome} reason={e.job?.reason} />
            </span>
          ),
      },
      {
        id: 'launchedBy',
        header: 'Launched by',
        sortType: 'alphanumeric',
        cell: ({ row: { original: e } }) => {
          const from = e.job?.source ? `from ${sourceText(e.job.source)}` : undefined;
          return (
            <>
              {e.launchedBy}
              {from && (
                <span className={styles.line} title={from} data-testid={testIds.history.source(e.key)}>
                  {from}
                </span>
              )}
            </>
          );
        },
      },
      {
        id: 'time',
        header: 'Launched',
        sortType: 'alphanumeric',
        cell: ({ row }) => dateTimeFormat(row.original.time),
      },
      { id: 'duration', header: 'Duration', cell: ({ row }) => <DurationCell entry={row.original} /> },
      {
        id: 'params',
        header: 'Parameters',
        cell: ({ row }) => {
          const text = paramsOf(row.original);
          return (
            <span className={styles.line} title={text}>
              {text || '–'}
            </span>
          );
        },
      },
      {
        id: 'summary',
        header: 'Failure / reason',
        cell: ({ row }) => {
          const text = summaryOf(row.original);
          return (
            <span className={styles.line} title={text}>
              {text}
            </span>
          );
        },
      },
      {
        id: 'logs',
        disableGrow: true,
        cell: ({ row: { original: e } }) =>
          e.job ? (
            <LinkButton
              size="sm"
              variant="secondary"
              icon="compass"
              href={locationUtil.assureBaseUrl(jobLogsExploreUrl(e.job, datasourceUid))}
              data-testid={testIds.history.logs(e.key)}
            >
              Logs
            </LinkButton>
          ) : null,
      },
    ],
    [styles, datasourceUid]
  );
  return (
    <NowContext.Provider value={nowMs}>
      <div data-testid={testIds.history.table}>
        <InteractiveTable columns={columns} data={entries} getRowId={(e: HistoryEntry) => e.key} pageSize={25} />
      </div>
    </NowContext.Provider>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary }),
  line: css({
    color: theme.colors.text.secondary,
    display: 'block',
    maxWidth: '40ch',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
});
