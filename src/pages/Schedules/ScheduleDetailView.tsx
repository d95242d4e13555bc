import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, EmptyState, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import { JobsTable } from '../../components/JobsTable/JobsTable';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { ScheduleActions } from '../../components/ScheduleActions/ScheduleActions';
import { ScheduleEditDrawer } from '../../components/ScheduleForm/ScheduleEditDrawer';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import { useNow } from '../../hooks/useNow';
import { useScheduleRuns } from '../../hooks/useScheduleRuns';
import { useSchedules } from '../../hooks/useSchedules';
import { prefixRoute, scheduleRunsUrl } from '../../utils/utils.routing';
import { LastRun, NextRun } from './SchedulesTable';

/** One schedule: its settings, its controls and its runs (the jobs whose `schedule` is this one), all live. */
export function ScheduleDetailView({ id }: { id: string }) {
  const styles = useStyles2(getStyles);
  const { schedules, error, loading, refresh } = useSchedules();
  const runs = useScheduleRuns(id);
  const [editing, setEditing] = useState(false);
  const schedule = schedules.find((s) => s.id === id);
  const nowMs = useNow(runs.some(isActive));

  if (!schedule) {
    if (loading) {
      return <LoadingPlaceholder text="Loading schedule…" />;
    }
    return error ? (
      <ProxyErrorBanner error={error} />
    ) : (
      <Alert severity="info" title={`Schedule ${id} does not exist`}>
        It was deleted, or it is not a CronJob FlowKube manages.{' '}
        <LinkButton variant="secondary" size="sm" href={prefixRoute(ROUTES.Schedules)}>
          Back to schedules
        </LinkButton>
      </Alert>
    );
  }
  const params = Object.entries(schedule.params);
  return (
    <div className={styles.container}>
      {error && <ProxyErrorBanner error={error} />}
      <Stack direction="row" alignItems="center" justifyContent="space-between" wrap="wrap">
        <span>
          <strong>{schedule.template}</strong> <code>{schedule.schedule}</code> ({schedule.description}), in{' '}
          {schedule.timeZone}; {schedule.concurrencyPolicy}; created by {schedule.createdBy}
        </span>
        <ScheduleActions
          schedule={schedule}
          onEdit={() => setEditing(true)}
          onChanged={refresh}
          onDeleted={() => locationService.push(prefixRoute(ROUTES.Schedules))}
        />
      </Stack>
      <Stack direction="row" gap={4}>
        <div>
          <h5>Next run</h5>
          <NextRun schedule={schedule} />
        </div>
        <div>
          <h5>Last run</h5>
          <LastRun schedule={schedule} />
        </div>
        {params.length > 0 && (
          <div>
            <h5>Parameters</h5>
            {params.map(([name, value]) => (
              <div key={name}>
                {name}: <code>{JSON.stringify(value)}</code>
              </div>
            ))}
          </div>
        )}
      </Stack>
      <Stack direction="row" alignItems="center" justifyContent="space-between">
        <h4>Runs</h4>
        <LinkButton size="sm" variant="secondary" icon="list-ul" href={scheduleRunsUrl(id)}>
          On the Jobs page
        </LinkButton>
      </Stack>
      <div data-testid={testIds.schedules.runs}>
        {runs.length === 0 ? (
          <EmptyState variant="not-found" message="No runs listed">
            Runs appear here when the schedule fires or is run now; finished runs are removed after the retention
            period.
          </EmptyState>
        ) : (
          <JobsTable jobs={runs} nowMs={nowMs} />
        )}
      </div>
      {editing && <ScheduleEditDrawer schedule={schedule} onClose={() => setEditing(false)} onSaved={refresh} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
});
