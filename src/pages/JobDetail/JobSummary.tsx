import React from 'react';
import { LoadingPlaceholder } from '@grafana/ui';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { useLiveJob } from '../../hooks/useLiveJob';
import { GoneJob } from './GoneJob';
import { JobFacts } from './JobFacts';
import type { JobSource } from './jobSource';

export function JobSummary({ id, source }: { id: string; source: JobSource }) {
  const { job, removed, error, loading } = useLiveJob(id);
  if (removed) {
    return <GoneJob source={source} />;
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
