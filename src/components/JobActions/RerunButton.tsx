import React from 'react';
import { LinkButton } from '@grafana/ui';
import type { Job } from '../../api/types';
import { launchPermission } from '../../utils/permissions';
import { launchUrl } from '../../utils/utils.routing';

/** Opens Launch with the same template and parameters, so the person can adjust them before launching again. */
export function RerunButton({ job, testId, size = 'sm' }: { job: Job; testId: string; size?: 'sm' | 'md' }) {
  const permission = launchPermission();
  return (
    <LinkButton
      size={size}
      variant="secondary"
      icon="repeat"
      href={launchUrl(job.template, job.params)}
      disabled={!permission.allowed}
      tooltip={permission.reason}
      data-testid={testId}
    >
      Re-run
    </LinkButton>
  );
}
