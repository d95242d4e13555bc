import React, { useState } from 'react';
import { Button, ConfirmModal } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import type { Job } from '../../api/types';
import { cancelJobsWithNotice } from '../../services/cancelJobs';
import { launchPermission } from '../../utils/permissions';

interface Props {
  job: Job;
  testId: string;
  size?: 'sm' | 'md';
  /** Only the icon, the label in its tooltip: for narrow tables. */
  iconOnly?: boolean;
}

/**
 * Cancel with a confirmation; the live list shows the outcome, so nothing is updated here by hand. A finished job
 * has nothing to cancel, so it gets no button at all (issue 12 §5), not a disabled one: a disabled button with a
 * tooltip is kept for a person who may not cancel, so they learn whom to ask.
 */
export function CancelJobButton({ job, testId, size = 'sm', iconOnly = false }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const permission = launchPermission();

  const onConfirm = () => {
    setConfirming(false);
    setCancelling(true);
    cancelJobsWithNotice([job.id]).finally(() => setCancelling(false));
  };

  // the job that finishes while the confirmation is open takes the dialog with it: there is nothing left to confirm
  if (!isActive(job)) {
    return null;
  }
  const label = `Cancel ${job.id}`;
  return (
    <>
      <Button
        size={size}
        variant="destructive"
        fill="outline"
        icon={cancelling ? 'spinner' : 'times'}
        disabled={!permission.allowed || cancelling}
        tooltip={permission.reason ?? (iconOnly ? label : undefined)}
        aria-label={iconOnly ? label : undefined}
        data-testid={testId}
        onClick={() => setConfirming(true)}
      >
        {iconOnly ? undefined : 'Cancel'}
      </Button>
      <ConfirmModal
        isOpen={confirming}
        title="Cancel job"
        body={
          job.phase === 'Running'
            ? `Stop ${job.id}? It stops within about a second and stays listed as Cancelled, with its logs, until retention removes it.`
            : `Cancel ${job.id}? It has not started, so its Pod is deleted; it stays listed as Cancelled until retention removes it.`
        }
        confirmText="Cancel job"
        dismissText="Keep running"
        onConfirm={onConfirm}
        onDismiss={() => setConfirming(false)}
      />
    </>
  );
}
