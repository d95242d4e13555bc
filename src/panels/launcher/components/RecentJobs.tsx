import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { PhaseBadge } from '../../../components/PhaseBadge/PhaseBadge';
import { testIds } from '../../../components/testIds';
import { useLiveJob } from '../../../hooks/useLiveJob';
import { jobUrl } from '../../../utils/utils.routing';

/** The jobs this panel launched, newest first, each following the shared live-update loop. */
export function RecentJobs({ ids }: { ids: string[] }) {
  const s = useStyles2(getStyles);
  if (ids.length === 0) {
    return null;
  }
  return (
    <ul className={s.list} data-testid={testIds.launcherPanel.recentJobs} aria-label="Jobs launched from this panel">
      {ids.map((id) => (
        <RecentJob key={id} id={id} />
      ))}
    </ul>
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
            gone (cancelled or past retention)
          </Text>
        )}
      </Stack>
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
  }),
});
