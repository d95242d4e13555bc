import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { DetailList } from '../../../components/JobsTable/cells';
import { useNowMs } from '../../../components/JobsTable/tableContext';
import type { HistoryEntry } from '../../../services/history';
import { formatDuration, jobDurationSeconds, jobOutcome, paramRows, sourceText } from '../../../services/jobDisplay';

/** A job that is neither live nor recorded as ended has no known end, so no duration either. */
export function DurationCell({ entry: { job, live } }: { entry: HistoryEntry }) {
  const nowMs = useNowMs();
  const known = job && (live || job.finishedAt || job.durationSeconds !== undefined);
  return <>{known ? formatDuration(jobDurationSeconds(job, nowMs)) : '–'}</>;
}

/** One line: how it failed (the failure summary's first line), or why the launch was refused. */
export function summaryOf(entry: HistoryEntry): string {
  if (entry.rejection) {
    return [entry.rejection.reason, entry.rejection.message].filter(Boolean).join(': ');
  }
  return entry.job ? jobOutcome(entry.job) : '';
}

export const paramsOf = (entry: HistoryEntry) =>
  paramRows(entry.params)
    .map((row) => `${row.name}=${row.value}`)
    .join(', ');

/** Everything the row may have no column for at this width: who, from where, how long, why, and each parameter. */
export function HistoryDetailRow({ entry }: { entry: HistoryEntry }) {
  const summary = summaryOf(entry);
  const items: Array<[string, React.ReactNode]> = [
    ['Template', entry.template],
    ['Launched by', entry.launchedBy],
    ...(entry.job?.source ? [['From', sourceText(entry.job.source)] as [string, React.ReactNode]] : []),
    ['Launched', dateTimeFormat(entry.time)],
    ['Duration', <DurationCell key="duration" entry={entry} />],
    ...(summary ? [[entry.rejection ? 'Reason' : 'Outcome', summary] as [string, React.ReactNode]] : []),
    ...paramRows(entry.params).map(({ title, value }) => [title, value] as [string, React.ReactNode]),
  ];
  return <DetailList items={items} />;
}
