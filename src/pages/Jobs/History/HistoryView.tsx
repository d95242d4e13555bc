import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Unsubscribable } from 'rxjs';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type SelectableValue } from '@grafana/data';
import { type SceneComponentProps, sceneGraph, SceneObjectBase, type SceneObjectState } from '@grafana/scenes';
import { Alert, EmptyState, LoadingPlaceholder, RadioButtonGroup, Spinner, useStyles2 } from '@grafana/ui';
import type { AuditEvent } from '../../../api/types';
import { FilterCombobox } from '../../../components/FilterCombobox/FilterCombobox';
import { testIds } from '../../../components/testIds';
import { useHistoryLiveJobs } from '../../../hooks/useHistoryLiveJobs';
import { useNow } from '../../../hooks/useNow';
import {
  choicesOf,
  filterHistory,
  HISTORY_OUTCOMES,
  type HistoryFilters,
  historyEntries,
  historyFiltersFromQuery,
  type HistoryOutcome,
  queryWithHistoryFilters,
} from '../../../services/history';
import { HISTORY_MAX_PAGES } from '../../../services/historyPages';
import { HISTORY_MAX_LINES, historyExpr } from '../../../services/historyQueries';
import { type AuditHistory, readAuditHistory } from '../../../services/historySource';
import { HistoryTable } from './HistoryTable';

interface HistoryState extends SceneObjectState {
  datasourceUid: string;
  /** A walk through the range is under way. */
  loading: boolean;
  history?: AuditHistory;
  error?: string;
}

/**
 * Reads the audit events of the scene's time range from Loki, page after page back to the range's start (shown as
 * they come), again whenever the range moves or is refreshed.
 */
export class HistoryView extends SceneObjectBase<HistoryState> {
  private generation = 0;
  private walk?: Unsubscribable;

  constructor(state: HistoryState) {
    super(state);
    this.addActivationHandler(() => {
      const timeRange = sceneGraph.getTimeRange(this);
      this.load();
      const sub = timeRange.subscribeToState((next, prev) => next.value !== prev.value && this.load());
      return () => {
        sub.unsubscribe();
        this.walk?.unsubscribe();
      };
    });
  }

  private load(): void {
    // the walk of a range the person has left stops, and an answer it was still waiting for is dropped
    this.walk?.unsubscribe();
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    let read: AuditHistory | undefined;
    // what a finished walk read stays until the new range's first page replaces it; half a walk does not
    this.setState({ loading: true, history: this.state.history?.reading ? undefined : this.state.history });
    this.walk = readAuditHistory({
      datasourceUid: this.state.datasourceUid,
      expr: historyExpr(),
      range: sceneGraph.getTimeRange(this).state.value,
      maxLines: HISTORY_MAX_LINES,
      maxPages: HISTORY_MAX_PAGES,
    }).subscribe({
      next: (history) => {
        read = history;
        current() && this.setState({ history, error: undefined });
      },
      complete: () => current() && this.setState({ loading: false }),
      // the pages read before the failure stay, as what they are: the newest part of this range
      error: (error: Error) =>
        current() &&
        this.setState({ loading: false, error: error.message, history: read && { ...read, reading: false } }),
    });
  }

  static Component = HistoryRenderer;
}

const OUTCOMES: Array<SelectableValue<HistoryOutcome | ''>> = [
  { label: 'All', value: '' },
  ...HISTORY_OUTCOMES.map((o) => ({ label: o, value: o })),
];

const NO_EVENTS: AuditEvent[] = [];
const count = (n: number) => n.toLocaleString('en-US');

function HistoryRenderer({ model }: SceneComponentProps<HistoryView>) {
  const styles = useStyles2(getStyles);
  const { loading, history, error, datasourceUid } = model.useState();
  const events = history?.events ?? NO_EVENTS;
  const jobs = useHistoryLiveJobs(events);
  const [query, setQuery] = useSearchParams();
  const filters = useMemo(() => historyFiltersFromQuery(query), [query]);
  const setFilters = (next: HistoryFilters) => setQuery(queryWithHistoryFilters(query, next), { replace: true });
  const entries = useMemo(() => historyEntries(events, jobs), [events, jobs]);
  const visible = useMemo(() => filterHistory(entries, filters), [entries, filters]);
  const options = (key: 'template' | 'launchedBy', chosen?: string) =>
    [...new Set([...choicesOf(entries, key), ...(chosen ? [chosen] : [])])].map((v) => ({ label: v, value: v }));
  const nowMs = useNow(visible.some((e) => e.live && (e.outcome === 'Running' || e.outcome === 'Pending')));
  const readBackTo = history?.readBackTo === undefined ? '' : dateTimeFormat(history.readBackTo);

  return (
    <div className={styles.container} data-testid={testIds.history.container}>
      {error && (
        <Alert severity="error" title="Loki did not answer the history query">
          {error}
          {readBackTo && ` The events back to ${readBackTo} are shown; the older ones of this range were not read.`}
        </Alert>
      )}
      {history?.cut && (
        <Alert
          severity="warning"
          title="Only the newest events of this range are shown"
          data-testid={testIds.history.truncated}
        >
          History reads at most {count(HISTORY_MAX_PAGES * HISTORY_MAX_LINES)} events of a time range (
          {HISTORY_MAX_PAGES} Loki queries of {count(HISTORY_MAX_LINES)} lines), and this range has more: it reaches
          back to {readBackTo}. Jobs launched before then are missing, and jobs that ran across it may be incomplete.
          Pick a shorter time range.
        </Alert>
      )}
      <div className={styles.filters}>
        <FilterCombobox
          testId={testIds.history.filterTemplate}
          label="Template"
          placeholder="All templates"
          options={options('template', filters.template)}
          value={filters.template}
          onChange={(template) => setFilters({ ...filters, template })}
        />
        <FilterCombobox
          testId={testIds.history.filterUser}
          label="Launched by"
          placeholder="Anyone"
          options={options('launchedBy', filters.user)}
          value={filters.user}
          onChange={(user) => setFilters({ ...filters, user })}
        />
        <div data-testid={testIds.history.filterOutcome}>
          <RadioButtonGroup
            options={OUTCOMES}
            value={filters.outcome ?? ''}
            onChange={(outcome: HistoryOutcome | '') => setFilters({ ...filters, outcome: outcome || undefined })}
          />
        </div>
        {loading && history?.reading && (
          <span className={styles.reading} data-testid={testIds.history.readingOlder}>
            <Spinner inline /> Reading older events… (back to {readBackTo} so far)
          </span>
        )}
      </div>
      {loading && !history ? (
        <LoadingPlaceholder text="Reading the history from Loki…" />
      ) : !history ? null : visible.length === 0 ? (
        <div data-testid={testIds.history.empty}>
          <EmptyState
            variant="not-found"
            message={entries.length === 0 ? 'No jobs in this time range' : 'No job matches these filters'}
          />
        </div>
      ) : (
        <HistoryTable entries={visible} datasourceUid={datasourceUid} nowMs={nowMs} />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  filters: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), alignItems: 'center' }),
  reading: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
});
