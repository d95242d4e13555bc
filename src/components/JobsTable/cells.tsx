import React from 'react';
import { css } from '@emotion/css';
import { dateTime, dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { TextLink, Tooltip, useStyles2 } from '@grafana/ui';
import type { Job } from '../../api/types';
import { formatDuration, jobDurationSeconds, jobOutcome, paramRows } from '../../services/jobDisplay';
import { scheduleUrl } from '../../utils/utils.routing';
import { useNowMs } from './tableContext';

/** "3 minutes ago", with the time itself (the page's format and time zone) in a tooltip. */
export function RelativeTime({ at, testId }: { at: string; testId?: string }) {
  const styles = useStyles2(getStyles);
  const nowMs = useNowMs();
  // counted from the page's clock, so it moves on with it; never "in a few seconds" for a clock a little behind
  const relative = dateTime(at).from(Math.max(nowMs, Date.parse(at)));
  return (
    <Tooltip content={dateTimeFormat(at)}>
      <time dateTime={at} className={styles.oneLine} tabIndex={0} data-testid={testId}>
        {relative}
      </time>
    </Tooltip>
  );
}

export function DurationCell({ job }: { job: Job }) {
  const styles = useStyles2(getStyles);
  return <span className={styles.oneLine}>{formatDuration(jobDurationSeconds(job, useNowMs()))}</span>;
}

/** One line of the failure summary; the whole of it is in the tooltip, the row's detail and on the job's page. */
export function OutcomeCell({ job }: { job: Job }) {
  const styles = useStyles2(getStyles);
  const outcome = jobOutcome(job);
  return (
    <span className={styles.outcome} title={outcome}>
      {outcome}
    </span>
  );
}

export function ScheduleCell({ job }: { job: Job }) {
  const styles = useStyles2(getStyles);
  return job.schedule ? (
    <TextLink href={scheduleUrl(job.schedule)} inline={false}>
      {job.schedule}
    </TextLink>
  ) : (
    <span className={styles.secondary}>by hand</span>
  );
}

/** Everything about a job the row has no column for at this width, and its parameters. */
export function JobDetailRow({ job }: { job: Job }) {
  const outcome = jobOutcome(job);
  const items: Array<[string, React.ReactNode]> = [
    ['Template', job.template],
    ['Schedule', <ScheduleCell key="schedule" job={job} />],
    ['Launched by', job.launchedBy],
    ['Created', dateTimeFormat(job.createdAt)],
    ['Started', job.startedAt ? dateTimeFormat(job.startedAt) : '–'],
    ['Finished', job.finishedAt ? dateTimeFormat(job.finishedAt) : '–'],
    ['Duration', <DurationCell key="duration" job={job} />],
    ...(outcome ? [['Outcome', outcome] as [string, React.ReactNode]] : []),
    ...paramRows(job.params).map(({ title, value }) => [title, value] as [string, React.ReactNode]),
  ];
  return <DetailList items={items} />;
}

/** Terms and their values, two columns: what a row's detail shows (the Jobs list's and History's). */
export function DetailList({ items }: { items: Array<[string, React.ReactNode]> }) {
  const styles = useStyles2(getStyles);
  return (
    <dl className={styles.detail}>
      {items.map(([term, value]) => (
        <React.Fragment key={term}>
          <dt className={styles.secondary}>{term}</dt>
          <dd className={styles.detailValue}>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  oneLine: css({ whiteSpace: 'nowrap' }),
  secondary: css({ color: theme.colors.text.secondary }),
  outcome: css({
    color: theme.colors.text.secondary,
    display: 'block',
    maxWidth: '32ch',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  detail: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    margin: 0,
  }),
  detailValue: css({ margin: 0, overflowWrap: 'anywhere' }),
});
