import React, { useState } from 'react';
import { Button, ConfirmModal, Stack, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { cancelJobsWithNotice } from '../../services/cancelJobs';

const jobs = (n: number) => (n === 1 ? '1 job' : `${n} jobs`);

/** Cancels the selected jobs after one confirmation that names how many; each job's result is its own toast. */
export function BulkCancel({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const count = ids.length;

  const onConfirm = () => {
    setConfirming(false);
    setCancelling(true);
    cancelJobsWithNotice(ids).finally(() => {
      setCancelling(false);
      onDone();
    });
  };

  return (
    <Stack direction="row" alignItems="center" gap={2}>
      <Text color="secondary">
        {count === 0 ? 'Select pending or running jobs to cancel them' : `${count} selected`}
      </Text>
      <Button
        size="sm"
        variant="destructive"
        fill="outline"
        icon={cancelling ? 'spinner' : 'times'}
        disabled={count === 0 || cancelling}
        data-testid={testIds.jobs.bulkCancel}
        onClick={() => setConfirming(true)}
      >
        {count === 0 ? 'Cancel selected' : `Cancel ${jobs(count)}`}
      </Button>
      <ConfirmModal
        isOpen={confirming}
        title={`Cancel ${jobs(count)}?`}
        body={
          `Running jobs stop within about a second; jobs that have not started have their Pod deleted. ` +
          `All stay listed as Cancelled until retention removes them; those that ran keep their logs.`
        }
        confirmText={`Cancel ${jobs(count)}`}
        dismissText="Keep them"
        onConfirm={onConfirm}
        onDismiss={() => setConfirming(false)}
      />
    </Stack>
  );
}
