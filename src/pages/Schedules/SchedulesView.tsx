import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, EmptyState, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { Schedule } from '../../api/types';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { ScheduleEditDrawer } from '../../components/ScheduleForm/ScheduleEditDrawer';
import { testIds } from '../../components/testIds';
import { useSchedules } from '../../hooks/useSchedules';
import { schedulePermission } from '../../utils/permissions';
import { launchUrl } from '../../utils/utils.routing';
import { SchedulesTable } from './SchedulesTable';

export function SchedulesView() {
  const styles = useStyles2(getStyles);
  const { schedules, error, loading, refresh } = useSchedules();
  const [editing, setEditing] = useState<Schedule>();
  const permission = schedulePermission();

  return (
    <div data-testid={testIds.schedules.container} className={styles.container}>
      {error && <ProxyErrorBanner error={error} />}
      {!permission.allowed && (
        <Alert severity="info" title="You can look, not change" data-testid={testIds.schedules.permission}>
          {permission.reason}
        </Alert>
      )}
      {loading ? (
        <LoadingPlaceholder text="Loading schedules…" />
      ) : schedules.length === 0 && !error ? (
        <div data-testid={testIds.schedules.empty}>
          <EmptyState
            variant="call-to-action"
            message="No schedules yet"
            button={
              <LinkButton href={launchUrl()} icon="clock-nine">
                Schedule a template
              </LinkButton>
            }
          >
            Choose “Schedule…” on a template’s card on the Launch page. Kubernetes runs schedules as CronJobs, so they
            keep firing while Grafana or the proxy is down.
          </EmptyState>
        </div>
      ) : (
        <SchedulesTable schedules={schedules} onEdit={setEditing} onChanged={refresh} />
      )}
      {editing && <ScheduleEditDrawer schedule={editing} onClose={() => setEditing(undefined)} onSaved={refresh} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
});
