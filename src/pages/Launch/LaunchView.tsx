import React, { useState } from 'react';
import { useLocation } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, EmptyState, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { ScheduleForm } from '../../components/ScheduleForm/ScheduleForm';
import { TemplateCard } from '../../components/TemplateCard/TemplateCard';
import { testIds } from '../../components/testIds';
import { useActiveJobs } from '../../hooks/useActiveJobs';
import { useTemplates } from '../../hooks/useTemplates';
import { liveJobsStore } from '../../services/liveJobs';
import { scheduleUrl } from '../../utils/utils.routing';
import { LaunchForm } from './LaunchForm';
import { initialValues, parseLaunchQuery } from './launchQuery';

export function LaunchView() {
  const styles = useStyles2(getStyles);
  const location = useLocation();
  const [query] = useState(() => parseLaunchQuery(location.search));
  const [chosen, setChosen] = useState(query.template);
  // "Schedule…" on a card opens the same parameter form with the cron fields, in place of the launch form
  const [scheduling, setScheduling] = useState(false);
  // counts the clicks on Choose and Schedule…: each one takes focus into its form, also when that template was already
  // chosen
  const [focusRequest, setFocusRequest] = useState(0);
  // live: a template added by a ConfigMap appears here without a reload
  const { templates, error, loading } = useTemplates(liveJobsStore);
  const active = useActiveJobs(liveJobsStore);
  const template = templates.find((t) => t.id === chosen);

  if (loading) {
    return <LoadingPlaceholder text="Loading the catalog…" />;
  }
  if (error) {
    return <ProxyErrorBanner error={error} />;
  }
  if (templates.length === 0) {
    return <EmptyState variant="not-found" message="The catalog has no templates" />;
  }
  return (
    <div className={styles.container} data-testid={testIds.launch.container}>
      {chosen && !template && (
        <Alert severity="warning" title={`Template "${chosen}" is not in the catalog`}>
          It may have been removed from the proxy’s catalog. Choose another one below.
        </Alert>
      )}
      <div className={styles.cards}>
        {templates.map((t) => (
          <TemplateCard
            key={t.id}
            template={t}
            active={active === undefined ? undefined : (active[t.id] ?? 0)}
            selected={t.id === chosen}
            onChoose={() => {
              setChosen(t.id);
              setScheduling(false);
              setFocusRequest((n) => n + 1);
            }}
            onSchedule={() => {
              setChosen(t.id);
              setScheduling(true);
              setFocusRequest((n) => n + 1);
            }}
          />
        ))}
      </div>
      {template && scheduling && (
        <ScheduleForm
          key={`schedule-${template.id}`}
          template={template}
          prefill={initialValues(template.params, template.id === query.template ? query.params : undefined)}
          onSaved={(schedule) => locationService.push(scheduleUrl(schedule.id))}
          onCancel={() => setScheduling(false)}
          focusRequest={focusRequest}
        />
      )}
      {template && !scheduling && (
        <LaunchForm
          key={template.id}
          template={template}
          prefill={template.id === query.template ? query.params : undefined}
          focusRequest={focusRequest}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  cards: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
    gap: theme.spacing(2),
  }),
});
