import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, locationUtil } from '@grafana/data';
import { Badge, type Column, InteractiveTable, LinkButton, TextLink, useStyles2 } from '@grafana/ui';
import { columnLevel, type ColumnLevel } from '../../../components/JobsTable/columnLevel';
import { NowContext } from '../../../components/JobsTable/tableContext';
import { PhaseBadge } from '../../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../../components/testIds';
import { useElementWidth } from '../../../hooks/useElementWidth';
import { jobLogsExploreUrl } from '../../../services/exploreUrl';
import type { HistoryEntry } from '../../../services/history';
import { sourceText } from '../../../services/jobDisplay';
import { jobUrl } from '../../../utils/utils.routing';
import { DurationCell, HistoryDetailRow, paramsOf, summaryOf } from './historyCells';

interface Props {
  entries: HistoryEntry[];
  datasourceUid: string;
  nowMs: number;
}

type Styles = ReturnType<typeof getStyles>;

/** As in the Jobs list: the columns that do not fit the table's width fold into each row's detail. */
function buildColumns(level: ColumnLevel, datasourceUid: string, styles: Styles) {
  const wide = level === 'wide';
  const columns: Array<Column<HistoryEntry> | false> = [
    {
      id: 'key',
      header: 'Job',
      cell: ({ row: { original: e } }) => (
        <span data-testid={testIds.history.row(e.key)} className={styles.oneLine}>
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
    level !== 'narrow' && { id: 'template', header: 'Template', sortType: 'alphanumeric' },
    {
      id: 'outcome',
      header: 'Outcome',
      sortType: 'alphanumeric',
      cell: ({ row: { original: e } }) =>
        e.outcome === 'Rejected' ? (
          <Badge text="Rejected" color="red" icon="ban" tooltip={e.rejection?.message} />
        ) : (
          <span
            className={styles.oneLine}
            title={e.live ? 'Live: the proxy still has this job' : 'As last recorded in the audit stream'}
          >
            <PhaseBadge phase={e.outcome} reason={e.job?.reason} />
          </span>
        ),
    },
    level !== 'narrow' && {
      id: 'launchedBy',
      header: 'Launched by',
      sortType: 'alphanumeric',
      cell: ({ row: { original: e } }) => {
        const from = e.job?.source ? `from ${sourceText(e.job.source)}` : undefined;
        return (
          <>
            <span className={styles.line} title={e.launchedBy}>
              {e.launchedBy}
            </span>
            {from && (
              <span className={styles.secondaryLine} title={from} data-testid={testIds.history.source(e.key)}>
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
      cell: ({ row: { original: e } }) => (
        <time dateTime={e.time} className={styles.oneLine}>
          {dateTimeFormat(e.time)}
        </time>
      ),
    },
    level !== 'narrow' && {
      id: 'duration',
      header: 'Duration',
      cell: ({ row }) => (
        <span className={styles.oneLine}>
          <DurationCell entry={row.original} />
        </span>
      ),
    },
    wide && {
      id: 'params',
      header: 'Parameters',
      cell: ({ row }) => {
        const text = paramsOf(row.original);
        return (
          <span className={styles.secondaryLine} title={text}>
            {text || '–'}
          </span>
        );
      },
    },
    wide && {
      id: 'summary',
      header: 'Failure / reason',
      cell: ({ row }) => {
        const text = summaryOf(row.original);
        return (
          <span className={styles.secondaryLine} title={text}>
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
  ];
  return columns.filter((c): c is Column<HistoryEntry> => c !== false);
}

export function HistoryTable({ entries, datasourceUid, nowMs }: Props) {
  const styles = useStyles2(getStyles);
  const [measure, width] = useElementWidth<HTMLDivElement>();
  const level = columnLevel(width);
  // the clock reaches the duration cells through context, so a tick does not remount the rows
  const columns = useMemo(() => buildColumns(level, datasourceUid, styles), [level, datasourceUid, styles]);
  return (
    <NowContext.Provider value={nowMs}>
      <div data-testid={testIds.history.table} data-columns={level} ref={measure} className={styles.container}>
        <InteractiveTable
          columns={columns}
          data={entries}
          getRowId={(e: HistoryEntry) => e.key}
          pageSize={25}
          renderExpandedRow={(e) => <HistoryDetailRow entry={e} />}
        />
      </div>
    </NowContext.Provider>
  );
}

const ellipsis = { display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ width: '100%', minWidth: 0 }),
  oneLine: css({ whiteSpace: 'nowrap', display: 'inline-block' }),
  muted: css({ color: theme.colors.text.secondary }),
  line: css({ ...ellipsis, maxWidth: '24ch' }),
  secondaryLine: css({ ...ellipsis, color: theme.colors.text.secondary, maxWidth: '32ch' }),
});
