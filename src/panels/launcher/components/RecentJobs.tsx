import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import type { ApiError } from '../../../api/client';
import type { Job, JobSource } from '../../../api/types';
import { PhaseBadge } from '../../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../../components/testIds';
import { explainProxyError } from '../../../services/proxyErrors';
import { jobUrl, panelJobsUrl } from '../../../utils/utils.routing';

interface Props {
  /** Newest first, as many as the panel shows, each in its live state. */
  jobs: Job[];
  /** Ids the proxy reported gone since they were listed. */
  gone: ReadonlySet<string>;
  source: JobSource;
  error?: ApiError;
}

/** The jobs launched from this panel, newest first, kept current by the shared live-update loop, and the way to all. */
export function RecentJobs({ jobs, gone, source, error }: Props) {
  const s = useStyles2(getStyles);
  if (error) {
    return (
      <Text color="secondary" variant="bodySmall">
        Jobs launched from this panel could not be listed. {explainProxyError(error)}
      </Text>
    );
  }
  if (jobs.length === 0) {
    return null;
  }
  return (
    <div className={s.recent}>
      <ul className={s.list} data-testid={testIds.launcherPanel.recentJobs} aria-label="Jobs launched from this panel">
        {jobs.map((job) => (
          <RecentJob key={job.id} job={job} removed={gone.has(job.id)} />
        ))}
      </ul>
      <TextLink href={panelJobsUrl(source)} inline={false} data-testid={testIds.launcherPanel.viewAll}>
        View all in Jobs
      </TextLink>
    </div>
  );
}

function RecentJob({ job, removed }: { job: Job; removed: boolean }) {
  return (
    <li>
      <Stack gap={1} alignItems="center">
        <PhaseBadge phase={job.phase} reason={job.reason} />
        <TextLink href={jobUrl(job.id)} inline={false}>
          {job.id}
        </TextLink>
        <Text color="secondary" variant="bodySmall">
          {dateTimeFormatTimeAgo(job.createdAt)}
        </Text>
        {removed && (
          <Text color="secondary" variant="bodySmall">
            gone (purged or past retention)
          </Text>
        )}
      </Stack>
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  recent: css({ marginTop: theme.spacing(1), display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
});
