import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { type SceneComponentProps, sceneGraph, SceneObjectBase, type SceneObjectState } from '@grafana/scenes';
import { Alert, EmptyState, LoadingPlaceholder, RadioButtonGroup, useStyles2 } from '@grafana/ui';
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
import { HISTORY_MAX_LINES, historyExpr } from '../../../services/historyQueries';
import { type AuditQueryResult, queryAuditEvents } from '../../../services/historySource';
import { HistoryTable } from './HistoryTable';

interface HistoryState extends SceneObjectState {
  datasourceUid: string;
  loading: boolean;
  result?: AuditQueryResult;
  error?: string;
}

/** Reads the audit events of the scene's time range from Loki, again whenever the range moves or is refreshed. */
export class HistoryView extends SceneObjectBase<HistoryState> {
  private generation = 0;

  constructor(state: HistoryState) {
    super(state);
    this.addActivationHandler(() => {
      const timeRange = sceneGraph.getTimeRange(this);
      this.load();
      const sub = timeRange.subscribeToState((next, prev) => next.value !== prev.value && this.load());
      return () => sub.unsubscribe();
    });
  }

  private load(): void {
    // an answer for a range the person has since left is dropped
    const generation = ++this.generation;
    this.setState({ loading: true });
    queryAuditEvents({
      datasourceUid: this.state.datasourceUid,
      expr: historyExpr(),
      range: sceneGraph.getTimeRange(this).state.value,
      maxLines: HISTORY_MAX_LINES,
    }).then(
      (result) => generation === this.generation && this.setState({ loading: false, result, error: undefined }),
      (error: Error) => generation === this.generation && this.setState({ loading: false, error: error.message })
    );
  }

  static Component = HistoryRenderer;
}

const OUTCOMES: Array<SelectableValue<HistoryOutcome | ''>> = [
  { label: 'All', value: '' },
  ...HISTORY_OUTCOMES.map((o) => ({ label: o, value: o })),
];

const NO_EVENTS: AuditEvent[] = [];

function HistoryRenderer({ model }: SceneComponentProps<HistoryView>) {
  const styles = useStyles2(getStyles);
  const { loading, result, error, datasourceUid } = model.useState();
  const jobs = useHistoryLiveJobs(result?.events ?? NO_EVENTS);
  const [query, setQuery] = useSearchParams();
  const filters = useMemo(() => historyFiltersFromQuery(query), [query]);
  const setFilters = (next: HistoryFilters) => setQuery(queryWithHistoryFilters(query, next), { replace: true });
  const entries = useMemo(() => historyEntries(result?.events ?? [], jobs), [result, jobs]);
  const visible = useMemo(() => filterHistory(entries, filters), [entries, filters]);
  const options = (key: 'template' | 'launchedBy', chosen?: string) =>
    [...new Set([...choicesOf(entries, key), ...(chosen ? [chosen] : [])])].map((v) => ({ label: v, value: v }));
  const nowMs = useNow(visible.some((e) => e.live && (e.outcome === 'Running' || e.outcome === 'Pending')));

  return (
    <div className={styles.container} data-testid={testIds.history.container}>
      {error && (
        <Alert severity="error" title="Loki did not answer the history query">
          {error}
        </Alert>
      )}
      {result?.truncated && (
        <Alert
          severity="warning"
          title="Only the newest events of this range are shown"
          data-testid={testIds.history.truncated}
        >
          Loki returns at most {HISTORY_MAX_LINES} lines per query, and this range has more: older jobs in it are
          missing or incomplete. Pick a shorter time range.
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
      </div>
      {loading && !result ? (
        <LoadingPlaceholder text="Reading the history from Loki…" />
      ) : visible.length === 0 ? (
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
});
