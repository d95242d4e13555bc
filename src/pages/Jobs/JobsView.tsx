import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import {
  EmptyState,
  FilterInput,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Combobox,
  useStyles2,
} from '@grafana/ui';
import { isActive, JOB_PHASES } from '@flowkube/backend-proxy/contract';
import type { JobPhase } from '../../api/types';
import { JobsTable } from '../../components/JobsTable/JobsTable';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { testIds } from '../../components/testIds';
import { useNow } from '../../hooks/useNow';
import { useLiveJobs } from '../../hooks/useLiveJobs';
import { launchUrl } from '../../utils/utils.routing';
import {
  filterJobs,
  filtersFromQuery,
  type JobFilters,
  queryWithFilters,
  schedulesOf,
  templatesOf,
} from './filterJobs';

const PHASES: Array<SelectableValue<JobPhase | ''>> = [
  { label: 'All', value: '' },
  // Unknown is a Pod phase Kubernetes rarely reports; not worth a button, still reachable through the URL.
  ...JOB_PHASES.filter((p) => p !== 'Unknown').map((p) => ({ label: p, value: p })),
];

export function JobsView() {
  const styles = useStyles2(getStyles);
  const { jobs, error, loading } = useLiveJobs();
  const [query, setQuery] = useSearchParams();
  const filters = useMemo(() => filtersFromQuery(query), [query]);
  const setFilters = (next: JobFilters) => setQuery(queryWithFilters(query, next), { replace: true });
  const visible = useMemo(() => filterJobs(jobs, filters), [jobs, filters]);
  const templates = useMemo(() => templatesOf(jobs).map((t) => ({ label: t, value: t })), [jobs]);
  const schedules = useMemo(() => {
    const ids = schedulesOf(jobs);
    // a schedule named in the URL stays choosable before its first run appears
    return (filters.schedule && !ids.includes(filters.schedule) ? [...ids, filters.schedule] : ids).map((s) => ({
      label: s,
      value: s,
    }));
  }, [jobs, filters.schedule]);
  const nowMs = useNow(jobs.some(isActive));

  return (
    <div data-testid={testIds.jobs.container} className={styles.container}>
      {error && <ProxyErrorBanner error={error} />}
      <div className={styles.filters}>
        <div data-testid={testIds.jobs.filterTemplate}>
          <Combobox
            aria-label="Template"
            placeholder="All templates"
            width={24}
            isClearable
            options={templates}
            value={filters.template ?? null}
            onChange={(option) => setFilters({ ...filters, template: option?.value })}
          />
        </div>
        <div data-testid={testIds.jobs.filterSchedule}>
          <Combobox
            aria-label="Schedule"
            placeholder="Any schedule"
            width={24}
            isClearable
            options={schedules}
            value={filters.schedule ?? null}
            onChange={(option) => setFilters({ ...filters, schedule: option?.value })}
          />
        </div>
        <div data-testid={testIds.jobs.filterPhase}>
          <RadioButtonGroup<JobPhase | ''>
            options={PHASES}
            value={filters.phase ?? ''}
            onChange={(phase) => setFilters({ ...filters, phase: phase || undefined })}
          />
        </div>
        <FilterInput
          data-testid={testIds.jobs.filterText}
          placeholder="Search id, template, user, reason"
          value={filters.text}
          width={40}
          onChange={(text) => setFilters({ ...filters, text })}
        />
      </div>
      {loading && !error ? (
        <LoadingPlaceholder text="Loading jobs…" />
      ) : jobs.length === 0 && !error ? (
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
      ) : visible.length === 0 && jobs.length > 0 ? (
        <EmptyState variant="not-found" message="No jobs match these filters" />
      ) : (
        <JobsTable jobs={visible} nowMs={nowMs} />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(2) }),
});
