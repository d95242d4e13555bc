import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import type { Job } from '../../api/types';
import { CancelJobButton } from '../../components/JobActions/CancelJobButton';
import { FailureSummary } from '../../components/FailureSummary/FailureSummary';
import { RerunButton } from '../../components/JobActions/RerunButton';
import { formatDuration, jobDurationSeconds, jobOutcome } from '../../services/jobDisplay';
import { JobTimeline } from '../../components/JobTimeline/JobTimeline';
import { PhaseBadge } from '../../components/PhaseBadge/PhaseBadge';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import { useNow } from '../../hooks/useNow';
import { useLiveJob } from '../../hooks/useLiveJob';
import { prefixRoute, scheduleUrl } from '../../utils/utils.routing';
import { JobDetails } from './JobDetails';

export function JobSummary({ id }: { id: string }) {
  const { job, removed, error, loading } = useLiveJob(id);
  if (removed) {
    return (
      <Alert severity="info" title={`Job ${id} no longer exists`}>
        Its record was purged, or removed after the retention period.{' '}
        <LinkButton variant="secondary" size="sm" href={prefixRoute(ROUTES.Jobs)}>
          Back to jobs
        </LinkButton>
      </Alert>
    );
  }
  if (!job) {
    return error ? <ProxyErrorBanner error={error} /> : loading ? <LoadingPlaceholder text="Loading job…" /> : null;
  }
  return (
    <>
      {error && <ProxyErrorBanner error={error} />}
      <JobFacts job={job} />
    </>
  );
}

function JobFacts({ job }: { job: Job }) {
  const styles = useStyles2(getStyles);
  const nowMs = useNow(isActive(job));
  return (
    <div className={styles.container} data-testid={testIds.jobDetail.container}>
      {job.failure && <FailureSummary failure={job.failure} />}
      <Stack direction="row" alignItems="center" justifyContent="space-between" wrap="wrap">
        <Stack direction="row" alignItems="center" gap={2}>
          <PhaseBadge phase={job.phase} reason={job.reason} />
          <span>
            <strong>{job.template}</strong> launched by <strong>{job.launchedBy}</strong>
          </span>
          {job.schedule && (
            <LinkButton
              size="sm"
              variant="secondary"
              fill="text"
              icon="clock-nine"
              href={scheduleUrl(job.schedule)}
              data-testid={testIds.jobDetail.schedule}
            >
              {`Schedule ${job.schedule}`}
            </LinkButton>
          )}
          <span className={styles.muted}>{formatDuration(jobDurationSeconds(job, nowMs))}</span>
        </Stack>
        <Stack direction="row" gap={1}>
          <CancelJobButton job={job} testId={testIds.jobDetail.cancel} size="md" />
          <RerunButton job={job} testId={testIds.jobDetail.rerun} size="md" />
        </Stack>
      </Stack>
      <JobTimeline job={job} />
      {!job.failure && (job.reason || job.message || (job.exitCode !== undefined && job.exitCode !== 0)) && (
        <Alert severity={job.phase === 'Failed' ? 'error' : 'info'} title={jobOutcome(job) || job.phase}>
          {job.message}
        </Alert>
      )}
      <JobDetails job={job} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  muted: css({ color: theme.colors.text.secondary }),
});
