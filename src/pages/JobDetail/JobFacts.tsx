import React, { useEffect, useRef } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import type { Job } from '../../api/types';
import { CancelJobButton } from '../../components/JobActions/CancelJobButton';
import { FailureSummary } from '../../components/FailureSummary/FailureSummary';
import { RerunButton } from '../../components/JobActions/RerunButton';
import { JobTimeline } from '../../components/JobTimeline/JobTimeline';
import { PhaseBadge } from '../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../components/testIds';
import { useNow } from '../../hooks/useNow';
import type { HistoryEntry } from '../../services/history';
import { formatDuration, jobDurationSeconds, jobOutcome } from '../../services/jobDisplay';
import { scheduleUrl } from '../../utils/utils.routing';
import { EventTimeline } from './EventTimeline';
import { JobDetails } from './JobDetails';

/** The job's page; with `recorded`, the job as its audit events left it, its Pod gone. */
export function JobFacts({ job, recorded }: { job: Job; recorded?: HistoryEntry }) {
  const styles = useStyles2(getStyles);
  const nowMs = useNow(!recorded && isActive(job));
  const container = useRef<HTMLDivElement>(null);
  // Launching (or Re-run) leaves focus nowhere: the submit button is gone with its page. The job's facts take it,
  // so keyboard and screen-reader users start here; focus someone placed elsewhere is left alone.
  useEffect(() => {
    if (document.activeElement === document.body) {
      container.current?.focus({ preventScroll: true });
    }
  }, []);
  return (
    <div
      ref={container}
      tabIndex={-1}
      aria-label={`Job ${job.id}`}
      className={styles.container}
      data-testid={testIds.jobDetail.container}
    >
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
          {!recorded && <CancelJobButton job={job} testId={testIds.jobDetail.cancel} size="md" />}
          <RerunButton job={job} testId={testIds.jobDetail.rerun} size="md" />
        </Stack>
      </Stack>
      {recorded ? <EventTimeline events={recorded.events} /> : <JobTimeline job={job} />}
      {!job.failure && (job.reason || job.message || (job.exitCode !== undefined && job.exitCode !== 0)) && (
        <Alert severity={job.phase === 'Failed' ? 'error' : 'info'} title={jobOutcome(job) || job.phase}>
          {job.message}
        </Alert>
      )}
      <JobDetails job={job} placement={!recorded} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  muted: css({ color: theme.colors.text.secondary }),
});
