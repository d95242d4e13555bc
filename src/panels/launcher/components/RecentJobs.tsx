import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import type { ApiError } from '../../../api/client';
import type { JobSource } from '../../../api/types';
import { PhaseBadge } from '../../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../../components/testIds';
import { useLiveJob } from '../../../hooks/useLiveJob';
import { explainProxyError } from '../../../services/proxyErrors';
import { jobUrl, panelJobsUrl } from '../../../utils/utils.routing';

interface Props {
  /** Newest first, as many as the panel shows. */
  ids: string[];
  source: JobSource;
  error?: ApiError;
}

/** The jobs launched from this panel, newest first, each following the shared live-update loop, and the way to all. */
export function RecentJobs({ ids, source, error }: Props) {
  const s = useStyles2(getStyles);
  if (error) {
    return (
      <Text color="secondary" variant="bodySmall">
        Jobs launched from this panel could not be listed. {explainProxyError(error)}
      </Text>
    );
  }
  if (ids.length === 0) {
    return null;
  }
  return (
    <div className={s.recent}>
      <ul className={s.list} data-testid={testIds.launcherPanel.recentJobs} aria-label="Jobs launched from this panel">
        {ids.map((id) => (
          <RecentJob key={id} id={id} />
        ))}
      </ul>
      <TextLink href={panelJobsUrl(source)} inline={false} data-testid={testIds.launcherPanel.viewAll}>
        View all in Jobs
      </TextLink>
    </div>
  );
}

function RecentJob({ id }: { id: string }) {
  const { job, removed } = useLiveJob(id);
  return (
    <li>
      <Stack gap={1} alignItems="center">
        {job ? <PhaseBadge phase={job.phase} reason={job.reason} /> : null}
        <TextLink href={jobUrl(id)} inline={false}>
          {id}
        </TextLink>
        {job && (
          <Text color="secondary" variant="bodySmall">
            {dateTimeFormatTimeAgo(job.createdAt)}
          </Text>
        )}
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
