import React, { useCallback, useEffect, useMemo, useRef } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Checkbox, type Column, type FetchDataFunc, InteractiveTable, Stack, TextLink, useStyles2 } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import type { Job } from '../../api/types';
import { useElementWidth } from '../../hooks/useElementWidth';
import type { SortField, SortOrder } from '../../services/jobsPage';
import { jobUrl } from '../../utils/utils.routing';
import { CancelJobButton } from '../JobActions/CancelJobButton';
import { RerunButton } from '../JobActions/RerunButton';
import { PhaseBadge } from '../PhaseBadge/PhaseBadge';
import { testIds } from '../testIds';
import { columnLevel, type ColumnLevel } from './columnLevel';
import { DurationCell, JobDetailRow, OutcomeCell, RelativeTime, ScheduleCell } from './cells';
import { NowContext, TableContext, type TableContextValue, useTableContext } from './tableContext';

export interface JobsSelection {
  selected: ReadonlySet<string>;
  /** Marks these ids selected or not. */
  onChange(ids: string[], selected: boolean): void;
}

/** The proxy sorts and pages: a header click asks for a new page instead of sorting the rows on screen. */
export interface ServerSort {
  sort: SortField;
  order: SortOrder;
  onSort(sort: SortField, order: SortOrder): void;
}

interface Props {
  jobs: Job[];
  /** Passed in so running durations and relative times tick with the page's clock. */
  nowMs: number;
  /** Without it the table sorts and pages the jobs it is given itself (a schedule's runs). */
  serverSort?: ServerSort;
  /** Checkboxes on the jobs that can be cancelled; absent for people who cannot cancel. */
  selection?: JobsSelection;
}

const CLIENT_PAGE_SIZE = 25;

/** The columns the proxy sorts by, by column id. */
const SORTS: Partial<Record<string, SortField>> = {
  createdAt: 'created',
  template: 'template',
  phase: 'phase',
  durationSeconds: 'duration',
};

function SelectAll() {
  const { jobs, selection } = useTableContext();
  const cancellable = jobs.filter(isActive).map((job) => job.id);
  const chosen = cancellable.filter((id) => selection?.selected.has(id)).length;
  return (
    <Checkbox
      aria-label="Select every job on this page that can be cancelled"
      data-testid={testIds.jobs.selectAll}
      disabled={cancellable.length === 0}
      value={cancellable.length > 0 && chosen === cancellable.length}
      indeterminate={chosen > 0 && chosen < cancellable.length}
      onChange={(e) => selection?.onChange(cancellable, e.currentTarget.checked)}
    />
  );
}

function SelectOne({ job }: { job: Job }) {
  const { selection } = useTableContext();
  // finished jobs cannot be cancelled, so there is nothing to select them for
  return isActive(job) ? (
    <Checkbox
      aria-label={`Select ${job.id}`}
      data-testid={testIds.jobs.select(job.id)}
      value={selection?.selected.has(job.id) ?? false}
      onChange={(e) => selection?.onChange([job.id], e.currentTarget.checked)}
    />
  ) : null;
}

function Actions({ job }: { job: Job }) {
  const { level, canCancel } = useTableContext();
  const iconOnly = level === 'narrow';
  return (
    <div data-testid={testIds.jobs.actions(job.id)}>
      <Stack direction="row" gap={1} wrap="nowrap" justifyContent="flex-end">
        {canCancel && isActive(job) && (
          <CancelJobButton job={job} testId={testIds.jobs.cancel(job.id)} iconOnly={iconOnly} />
        )}
        <RerunButton job={job} testId={testIds.jobs.rerun(job.id)} iconOnly={iconOnly} />
      </Stack>
    </div>
  );
}

function buildColumns(level: ColumnLevel, selectable: boolean, styles: ReturnType<typeof getStyles>) {
  const wide = level === 'wide';
  const columns: Array<Column<Job> | false> = [
    selectable && {
      id: 'select',
      header: SelectAll,
      disableGrow: true,
      cell: ({ row }) => <SelectOne job={row.original} />,
    },
    {
      id: 'id',
      header: 'Job',
      cell: ({ row }) => (
        <span data-testid={testIds.jobs.row(row.original.id)} className={styles.oneLine}>
          <TextLink href={jobUrl(row.original.id)} inline={false}>
            {row.original.id}
          </TextLink>
        </span>
      ),
    },
    level !== 'narrow' && { id: 'template', header: 'Template', sortType: 'basic' },
    wide && { id: 'schedule', header: 'Schedule', cell: ({ row }) => <ScheduleCell job={row.original} /> },
    {
      id: 'phase',
      header: 'Phase',
      sortType: 'basic',
      cell: ({ row }) => (
        <span className={styles.oneLine}>
          <PhaseBadge phase={row.original.phase} reason={row.original.reason} />
        </span>
      ),
    },
    wide && { id: 'launchedBy', header: 'Launched by' },
    {
      id: 'createdAt',
      header: 'Created',
      sortType: 'basic',
      sortDescFirst: true,
      cell: ({ row }) => <RelativeTime at={row.original.createdAt} testId={testIds.jobs.created(row.original.id)} />,
    },
    level !== 'narrow' && {
      id: 'durationSeconds',
      header: 'Duration',
      sortType: 'basic',
      sortDescFirst: true,
      cell: ({ row }) => <DurationCell job={row.original} />,
    },
    level !== 'narrow' && {
      id: 'outcome',
      header: 'Exit code / reason',
      cell: ({ row }) => <OutcomeCell job={row.original} />,
    },
    { id: 'actions', disableGrow: true, cell: ({ row }) => <Actions job={row.original} /> },
  ];
  return columns.filter((c): c is Column<Job> => c !== false);
}

/**
 * Jobs in a table whose columns that do not fit collapse into each row's expandable detail, so ids, dates and
 * actions keep one line and no horizontal scroll is needed.
 */
export function JobsTable({ nowMs, ...table }: Props) {
  return (
    <NowContext.Provider value={nowMs}>
      <Table {...table} />
    </NowContext.Provider>
  );
}

// Memoized apart from the clock: a tick re-renders the times and durations only, not every row's controls.
const Table = React.memo(function Table({ jobs, serverSort, selection }: Omit<Props, 'nowMs'>) {
  const styles = useStyles2(getStyles);
  const [measure, width] = useElementWidth<HTMLDivElement>();
  const level = columnLevel(width);
  const selectable = selection !== undefined;
  // new column definitions remount every cell (closing an open cancel confirmation), so they change only with the
  // layout; the clock, the selection and the rows reach the cells through context
  const columns = useMemo(() => buildColumns(level, selectable, styles), [level, selectable, styles]);
  const initialSortBy = useMemo(() => {
    const id = serverSort && Object.keys(SORTS).find((key) => SORTS[key] === serverSort.sort);
    return id ? [{ id, desc: serverSort.order === 'desc' }] : [];
    // the table owns its sort once shown; the URL only seeds it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const onSort = useRef(serverSort?.onSort);
  useEffect(() => {
    onSort.current = serverSort?.onSort;
  });
  const fetchData = useCallback<FetchDataFunc<Job>>(({ sortBy }) => {
    const by = sortBy[0];
    const field = by && SORTS[by.id];
    if (field) {
      onSort.current?.(field, by.desc ? 'desc' : 'asc');
    }
  }, []);
  const context = useMemo<TableContextValue>(
    () => ({ jobs, selection, level, canCancel: selectable }),
    [jobs, selection, level, selectable]
  );

  return (
    <TableContext.Provider value={context}>
      <div data-testid={testIds.jobs.table} data-columns={level} ref={measure} className={styles.container}>
        <InteractiveTable
          columns={columns}
          data={jobs}
          getRowId={getRowId}
          fetchData={serverSort ? fetchData : undefined}
          pageSize={serverSort ? 0 : CLIENT_PAGE_SIZE}
          initialSortBy={initialSortBy}
          disableSortRemove
          renderExpandedRow={(job) => <JobDetailRow job={job} />}
        />
      </div>
    </TableContext.Provider>
  );
});

const getRowId = (job: Job) => job.id;

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ width: '100%', minWidth: 0 }),
  oneLine: css({ whiteSpace: 'nowrap', display: 'inline-block' }),
});
