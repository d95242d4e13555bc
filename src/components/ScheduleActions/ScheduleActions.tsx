import React, { useState } from 'react';
import { locationService } from '@grafana/runtime';
import { Button, ConfirmModal, Stack, Switch, Tooltip } from '@grafana/ui';
import { type ApiError, deleteSchedule, runScheduleNow, updateSchedule } from '../../api/client';
import type { Schedule } from '../../api/types';
import { notifyError, notifySuccess } from '../../services/notify';
import { explainProxyError } from '../../services/proxyErrors';
import { schedulePermission } from '../../utils/permissions';
import { jobUrl } from '../../utils/utils.routing';
import { testIds } from '../testIds';

interface Props {
  schedule: Schedule;
  onEdit: () => void;
  /** Called after a change this control made, so the list is re-read at once rather than at the next poll. */
  onChanged: () => void;
  /** Called after the schedule was deleted (its own view leaves for the list). */
  onDeleted?: () => void;
}

/** Suspend/resume, Run now, Edit and Delete; for a Viewer each is disabled and says why. */
export function ScheduleActions({ schedule, onEdit, onChanged, onDeleted }: Props) {
  const [busy, setBusy] = useState<'suspend' | 'run' | 'delete'>();
  const [confirming, setConfirming] = useState(false);
  const permission = schedulePermission();
  const { id } = schedule;

  const act = (what: 'suspend' | 'run' | 'delete', call: () => Promise<unknown>, failure: string) => {
    setBusy(what);
    call()
      .then(onChanged, (error: ApiError) => notifyError(failure, explainProxyError(error, 'launch')))
      .finally(() => setBusy(undefined));
  };

  const onSuspend = () =>
    act(
      'suspend',
      () =>
        updateSchedule(id, { suspend: !schedule.suspend }).then(() =>
          notifySuccess(schedule.suspend ? 'Schedule resumed' : 'Schedule suspended', id)
        ),
      `Could not ${schedule.suspend ? 'resume' : 'suspend'} ${id}`
    );
  const onRunNow = () =>
    act(
      'run',
      () =>
        runScheduleNow(id).then((job) => {
          notifySuccess('Run started', job.id);
          locationService.push(jobUrl(job.id));
        }),
      `Could not run ${id}`
    );
  const onDelete = () => {
    setConfirming(false);
    act(
      'delete',
      () =>
        deleteSchedule(id).then(() => {
          notifySuccess('Schedule deleted', id);
          onDeleted?.();
        }),
      `Could not delete ${id}`
    );
  };

  const disabled = !permission.allowed;
  const suspendLabel = schedule.suspend ? 'Suspended: switch on to resume' : 'Active: switch off to suspend';
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <Tooltip content={permission.reason ?? suspendLabel}>
        <span>
          <Switch
            value={!schedule.suspend}
            aria-label={suspendLabel}
            disabled={disabled || busy !== undefined}
            onChange={onSuspend}
            data-testid={testIds.schedules.suspend(id)}
          />
        </span>
      </Tooltip>
      <Button
        size="sm"
        variant="secondary"
        icon={busy === 'run' ? 'spinner' : 'play'}
        disabled={disabled || busy !== undefined}
        tooltip={permission.reason ?? 'Start one run now, outside the cron'}
        onClick={onRunNow}
        data-testid={testIds.schedules.runNow(id)}
      >
        Run now
      </Button>
      <Button
        size="sm"
        variant="secondary"
        icon="pen"
        disabled={disabled}
        tooltip={permission.reason}
        onClick={onEdit}
        data-testid={testIds.schedules.edit(id)}
      >
        Edit
      </Button>
      <Button
        size="sm"
        variant="destructive"
        fill="outline"
        icon={busy === 'delete' ? 'spinner' : 'trash-alt'}
        disabled={disabled || busy !== undefined}
        tooltip={permission.reason}
        onClick={() => setConfirming(true)}
        data-testid={testIds.schedules.delete(id)}
      >
        Delete
      </Button>
      <ConfirmModal
        isOpen={confirming}
        title="Delete schedule"
        body={`Delete ${id}? It will not run again. A run in progress finishes, and past runs stay listed until they are cleaned up.`}
        confirmText="Delete schedule"
        dismissText="Keep it"
        onConfirm={onDelete}
        onDismiss={() => setConfirming(false)}
      />
    </Stack>
  );
}
