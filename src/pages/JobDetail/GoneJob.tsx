import React, { useEffect, useSyncExternalStore } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Alert, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { MissingDatasource } from '../../components/MissingDatasource/MissingDatasource';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { JobFacts } from './JobFacts';
import type { JobSource } from './jobSource';

/**
 * A job the proxy no longer has (purged, or its Pod removed after retention): rebuilt from its audit events in
 * Loki when a Loki data source is configured, else said to be gone.
 */
export function GoneJob({ source }: { source: JobSource }) {
  const history = useSyncExternalStore(source.subscribeHistory, source.getHistory);
  useEffect(() => source.lookUpHistory(), [source]);
  const gone = `Job ${source.id} no longer exists`;
  const back = (
    <LinkButton variant="secondary" size="sm" href={prefixRoute(ROUTES.Jobs)}>
      Back to jobs
    </LinkButton>
  );

  if (!source.lokiDatasourceUid) {
    return (
      <Stack direction="column">
        <Alert severity="info" title={gone}>
          Its record was purged, or removed after the retention period. {back}
        </Alert>
        <MissingDatasource kind="Loki" shows="what it did: FlowKube keeps the history of jobs in Loki" />
      </Stack>
    );
  }
  const { entry } = history;
  if (entry?.job) {
    return (
      <Stack direction="column">
        <Alert
          severity="info"
          title="Its Pod is gone: this is the job as its audit events recorded it"
          data-testid={testIds.history.recorded}
        >
          {entry.purged
            ? `Its record was purged by ${entry.purged.by ?? 'someone'} at ${dateTimeFormat(entry.purged.at)}.`
            : 'It was removed after the retention period.'}
        </Alert>
        <JobFacts job={entry.job} recorded={entry} />
      </Stack>
    );
  }
  if (history.state === 'missing') {
    return (
      <Alert severity="info" title={gone}>
        Its record was purged, or removed after the retention period, and Loki holds no audit events of it from the last
        30 days. {back}
      </Alert>
    );
  }
  if (history.state === 'failed') {
    return (
      <Alert severity="error" title={`${gone}, and its history could not be read`}>
        Loki answered: {history.error} {back}
      </Alert>
    );
  }
  return <LoadingPlaceholder text="The job is gone; reading its history…" />;
}
