import React, { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import {
  Button,
  EmptyState,
  FilterInput,
  Icon,
  IconButton,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Text,
  useStyles2,
} from '@grafana/ui';
import { isActive, JOB_PHASES } from '@flowkube/backend-proxy/contract';
import type { PhaseFilter } from '../../api/types';
import { JobsTable, type JobsSelection, type ServerSort } from '../../components/JobsTable/JobsTable';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { FilterCombobox } from '../../components/FilterCombobox/FilterCombobox';
import { testIds } from '../../components/testIds';
import { useJobsPage } from '../../hooks/useJobsPage';
import { useNow } from '../../hooks/useNow';
import {
  hasFilters,
  type JobFilters,
  type JobsPageState,
  matchingTotal,
  PAGE_SIZES,
  pageStateFromQuery,
  queryWithPageState,
  sourceFilterLabel,
  withoutSourceFilter,
} from '../../services/jobsPage';
import { launchPermission } from '../../utils/permissions';
import { launchUrl } from '../../utils/utils.routing';
import { BulkCancel } from './BulkCancel';
import { Pager } from './Pager';

// Unknown is a Pod phase Kubernetes rarely reports; not worth a button, still reachable through the URL.
const PHASES = JOB_PHASES.filter((p) => p !== 'Unknown');
/** Said on hover and to a screen reader: Active is not a phase of its own but what the launch limits count. */
const ACTIVE_DESCRIPTION = 'Pending or running, and not being cancelled: what the launch limits count';
const SIZES = PAGE_SIZES.map((n) => ({ label: String(n), value: n }));
/** Relative times ("3 minutes ago") move on even when nothing runs. */
const IDLE_TICK_MS = 30_000;

export function JobsView() {
  const styles = useStyles2(getStyles);
  const [query, setQuery] = useSearchParams();
  const state = useMemo(() => pageStateFromQuery(query), [query]);
  const setState = (next: JobsPageState) => setQuery(queryWithPageState(query, next), { replace: true });
  const setFilters = (filters: JobFilters) => setState({ ...state, filters });
  const page = useJobsPage(state);
  const { filters } = state;

  const permission = launchPermission();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selectable = useMemo(() => new Set(page.rows.filter(isActive).map((job) => job.id)), [page.rows]);
  // a job that finished, or left the page, is no longer a choice
  const chosen = useMemo(() => [...selected].filter((id) => selectable.has(id)), [selected, selectable]);
  const onSelect = useCallback(
    (ids: string[], on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        ids.forEach((id) => (on ? next.add(id) : next.delete(id)));
        return next;
      }),
    []
  );
  const selection = useMemo<JobsSelection | undefined>(
    () => (permission.allowed ? { selected, onChange: onSelect } : undefined),
    [permission.allowed, selected, onSelect]
  );

  // kept while the state is, so the table (memoized apart from the clock) is not re-rendered by every tick
  const serverSort = useMemo<ServerSort>(
    () => ({
      sort: state.sort,
      order: state.order,
      // the table reports its sort when it first shows too: only a real change rewrites the URL (restarting the walk)
      onSort: (sort, order) =>
        (sort !== state.sort || order !== state.order) &&
        setQuery(queryWithPageState(query, { ...state, sort, order }), { replace: true }),
    }),
    [state, query, setQuery]
  );

  const templates = useMemo(() => page.templates.map((t) => ({ label: t, value: t })), [page.templates]);
  const schedules = useMemo(() => {
    const ids = page.schedules;
    // a schedule named in the URL stays choosable before its first run appears
    return (filters.schedule && !ids.includes(filters.schedule) ? [...ids, filters.schedule] : ids).map((s) => ({
      label: s,
      value: s,
    }));
  }, [page.schedules, filters.schedule]);
  const phases = useMemo<Array<SelectableValue<PhaseFilter | ''>>>(() => {
    const counted = { counts: page.counts, activeCount: page.activeCount };
    const active = matchingTotal(counted, 'active');
    return [
      { label: `All ${matchingTotal(counted)}`, value: '' },
      // no count rather than a guess: the per-phase counts cannot give it
      { label: active === undefined ? 'Active' : `Active ${active}`, value: 'active', description: ACTIVE_DESCRIPTION },
      ...PHASES.map((p) => ({ label: `${p} ${page.counts[p] ?? 0}`, value: p })),
    ];
  }, [page.counts, page.activeCount]);
  // a launcher panel's "View all in Jobs" link sets it; without a chip nothing on the page would say so
  const fromSource = useMemo(() => sourceFilterLabel(filters, page.rows), [filters, page.rows]);
  const active = page.rows.some(isActive);
  const nowMs = useNow(true, active ? 1000 : IDLE_TICK_MS);
  const total = matchingTotal(page, filters.phase);
  const noJobsAtAll = !page.loading && !page.error && matchingTotal(page) === 0 && !hasFilters(filters);

  return (
    <div data-testid={testIds.jobs.container} className={styles.container}>
      {page.error && <ProxyErrorBanner error={page.error} />}
      <div className={styles.filters}>
        <FilterCombobox
          testId={testIds.jobs.filterTemplate}
          label="Template"
          placeholder="All templates"
          options={templates}
          value={filters.template}
          onChange={(template) => setFilters({ ...filters, template })}
        />
        <FilterCombobox
          testId={testIds.jobs.filterSchedule}
          label="Schedule"
          placeholder="Any schedule"
          options={schedules}
          value={filters.schedule}
          onChange={(schedule) => setFilters({ ...filters, schedule })}
        />
        <div data-testid={testIds.jobs.filterPhase}>
          <RadioButtonGroup<PhaseFilter | ''>
            options={phases}
            value={filters.phase ?? ''}
            onChange={(phase) => setFilters({ ...filters, phase: phase || undefined })}
          />
        </div>
        <FilterInput
          data-testid={testIds.jobs.filterText}
          placeholder="Search id, template, user, reason, values"
          value={filters.text}
          // the proxy matches plain text: Grafana's default escaping would send `cpu\-load` for `cpu-load`
          escapeRegex={false}
          width={46}
          onChange={(text) => setFilters({ ...filters, text })}
        />
        {fromSource && (
          <span className={styles.chip} data-testid={testIds.jobs.sourceFilter}>
            <Icon name="apps" />
            {fromSource}
            <IconButton
              name="times"
              size="sm"
              aria-label="Remove the panel filter"
              tooltip="Show jobs from every panel"
              data-testid={testIds.jobs.sourceFilterRemove}
              onClick={() => setFilters(withoutSourceFilter(filters))}
            />
          </span>
        )}
      </div>
      <div className={styles.toolbar}>
        {selection ? (
          <BulkCancel ids={chosen} onDone={() => setSelected(new Set())} />
        ) : (
          <Text color="secondary">{permission.reason ?? ''}</Text>
        )}
        <div className={styles.pageSize} data-testid={testIds.jobs.pageSize}>
          <Text color="secondary">Per page</Text>
          <RadioButtonGroup<number>
            size="sm"
            options={SIZES}
            value={state.pageSize}
            onChange={(pageSize) => setState({ ...state, pageSize })}
          />
        </div>
      </div>
      {page.loading ? (
        <LoadingPlaceholder text="Loading jobs…" />
      ) : noJobsAtAll ? (
        <div data-testid={testIds.jobs.empty}>
          <EmptyState
            variant="call-to-action"
            message="No jobs yet"
            button={
              <LinkButton href={launchUrl()} icon="rocket">
                Launch a job
              </LinkButton>
            }
          >
            Jobs launched from the catalog, from a launcher panel or by anyone else in this Grafana appear here live.
          </EmptyState>
        </div>
      ) : page.rows.length === 0 && !page.error ? (
        <div data-testid={testIds.jobs.noMatch}>
          <EmptyState
            variant="not-found"
            message="No jobs match these filters"
            button={
              <Button
                variant="secondary"
                icon="times"
                data-testid={testIds.jobs.clearFilters}
                onClick={() => setFilters({ text: '' })}
              >
                Clear filters
              </Button>
            }
          />
        </div>
      ) : (
        <>
          <JobsTable jobs={page.rows} nowMs={nowMs} serverSort={serverSort} selection={selection} />
          <Pager page={page} pageSize={state.pageSize} total={total} />
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%', minWidth: 0 }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(2) }),
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    minHeight: theme.spacing(4),
  }),
  pageSize: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  chip: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0.5, 0.5, 1),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.action.selected,
    border: `1px solid ${theme.colors.border.medium}`,
    whiteSpace: 'nowrap',
  }),
});
