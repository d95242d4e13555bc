import React, { useState } from 'react';
import { Button, ConfirmModal } from '@grafana/ui';
import { isActive } from '@flowkube/backend-proxy/contract';
import { type ApiError, cancelJob } from '../../api/client';
import type { Job } from '../../api/types';
import { notifyError, notifySuccess } from '../../services/notify';
import { explainProxyError } from '../../services/proxyErrors';
import { launchPermission } from '../../utils/permissions';

interface Props {
  job: Job;
  testId: string;
  size?: 'sm' | 'md';
}

/** Cancel with a confirmation; the live list shows the outcome, so nothing is updated here by hand. */
export function CancelJobButton({ job, testId, size = 'sm' }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const permission = launchPermission();
  const active = isActive(job);

  const onConfirm = () => {
    setConfirming(false);
    setCancelling(true);
    cancelJob(job.id)
      .then(
        () => notifySuccess('Cancel requested', job.id),
        (error: ApiError) => notifyError(`Could not cancel ${job.id}`, explainProxyError(error, 'launch'))
      )
      .finally(() => setCancelling(false));
  };

  const tooltip = !permission.allowed
    ? permission.reason
    : active
      ? undefined
      : 'Only pending or running jobs can be cancelled';
  return (
    <>
      <Button
        size={size}
        variant="destructive"
        fill="outline"
        icon={cancelling ? 'spinner' : 'times'}
        disabled={!permission.allowed || !active || cancelling}
        tooltip={tooltip}
        data-testid={testId}
        onClick={() => setConfirming(true)}
      >
        Cancel
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
