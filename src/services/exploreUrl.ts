import type { Job } from '../api/types';
import { jobLogsExpr } from './jobQueries';
import { jobTimeWindow } from './jobTimeWindow';

export interface ExploreTarget {
  datasource: { type: string; uid: string };
  expr: string;
  from: string;
  to: string;
}

/** Grafana's Explore link (schemaVersion 1 panes), relative to Grafana's root, for one query in one pane. */
export function exploreUrl({ datasource, expr, from, to }: ExploreTarget): string {
  const panes = {
    flowkube: { datasource: datasource.uid, queries: [{ refId: 'A', expr, datasource }], range: { from, to } },
  };
  const query = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes) });
  return `/explore?${query.toString()}`;
}

/** Explore at every log line of one job, over its lifetime (absolute times go as epoch milliseconds). */
export function jobLogsExploreUrl(job: Job, datasourceUid: string): string {
  const { from, to } = jobTimeWindow(job);
  const ms = (time: string) => (time === 'now' ? time : String(Date.parse(time)));
  return exploreUrl({
    datasource: { type: 'loki', uid: datasourceUid },
    expr: jobLogsExpr(job.template, job.id, '.+'),
    from: ms(from),
    to: ms(to),
  });
}
